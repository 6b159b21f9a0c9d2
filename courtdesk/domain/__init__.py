"""Pure legal rules and value types. Imports only the standard library and the holiday package."""
