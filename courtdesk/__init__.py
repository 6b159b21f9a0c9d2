"""courtdesk: case management for a basic-level people's court.

The package is layered (see ../shared/architecture.md and the import-linter
contracts in pyproject.toml): ``domain`` holds the legal rules, ``store`` the
SQLite database, ``services`` the use cases, ``notices`` the printed documents and
``ui`` the Qt window; ``cli`` is a thin command line over the services.
"""

__version__ = "0.1.0"
