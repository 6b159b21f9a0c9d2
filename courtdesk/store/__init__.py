"""The SQLite store: one Database class, its migrations, and the queries. No Qt here."""
