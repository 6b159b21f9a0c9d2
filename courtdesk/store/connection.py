"""courtdesk's SQLite connections, and what they read once per change of the file.

The court's settings and holiday entries change a few times a year but are read by
nearly every screen: a conflict check read the holidays (two statements) and three
settings, a case view three more, each time. A ``CourtConnection`` keeps such small
tables once read, and reads them again as soon as anything in the file may have
changed: a commit by any other connection (``PRAGMA data_version``, which SQLite
changes for exactly that, other processes included) or a change made on this one
(``total_changes``).

Inside a write transaction nothing is kept or served from the store: what is read
there may still be rolled back. Plain ``sqlite3`` connections (a test's, a backup's)
read every time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class CourtConnection(sqlite3.Connection):
    """A sqlite3 connection with a store of small tables read once per change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # True inside Database.snapshot's read transaction (and only there): nothing
        # read in it can be rolled back, so what it reads may be kept; and nothing can
        # change under it, so the file's counters are asked once per snapshot.
        self.reading = False
        self._asked = False
        self._kept: dict[str, Any] = {}
        self._stamp: tuple[int, int] | None = None

    def begin_reading(self) -> None:
        self.reading, self._asked = True, False

    def end_reading(self) -> None:
        self.reading = False

    def kept(self, name: str, load: Callable[[sqlite3.Connection], T]) -> T:
        """What ``load`` read, unless the file may have changed since (see read_once)."""
        if not (self.reading and self._asked):
            stamp = (int(self.execute("PRAGMA data_version").fetchone()[0]), self.total_changes)
            self._asked = self.reading
            if stamp != self._stamp:
                self.forget()
                self._stamp = stamp
        if name not in self._kept:
            self._kept[name] = load(self)
        value: T = self._kept[name]
        return value

    def forget(self) -> None:
        """Drop what is kept (a restore writes the file's pages past both counters)."""
        self._kept.clear()
        self._stamp = None


def read_once(conn: sqlite3.Connection, name: str, load: Callable[[sqlite3.Connection], T]) -> T:
    """``load(conn)``, kept on a CourtConnection until the file may have changed.

    The value is shared by every caller until then: ``load`` must return something
    that nobody changes (a frozen value, or a dict the callers only read).
    """
    if not isinstance(conn, CourtConnection) or (conn.in_transaction and not conn.reading):
        return load(conn)
    return conn.kept(name, load)
