"""What a user can do: one use case per function, each in one transaction with its audit row."""
