"""Where the user's data lives: database, settings, logs and backups.

Always in the user's data directory (platformdirs), never beside the program, so
replacing the program folder with a newer version keeps every record.
``COURTDESK_HOME`` moves everything (tests use it to stay away from real data).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "courtdesk"
DATABASE_NAME = "courtdesk.sqlite3"


def data_dir() -> Path:
    override = os.environ.get("COURTDESK_HOME")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database() -> Path:
    return data_dir() / DATABASE_NAME


def log_dir() -> Path:
    return data_dir() / "logs"
