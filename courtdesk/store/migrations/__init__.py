"""The schema as a chain of migrations, oldest first.

A new database is built by running the whole chain, so the upgrade path every
court's database takes is the path the tests take too. Each migration is a module
with a docstring saying what it changes and an ``upgrade(conn)`` function; it runs
inside one transaction together with the ``PRAGMA user_version`` bump.

To change the schema: add ``vNNNN_<what>.py`` and append it to MIGRATIONS. Never
edit a migration that has shipped.
"""

from __future__ import annotations

import sqlite3
from types import ModuleType
from typing import Protocol

from courtdesk.store.migrations import (
    v0001_initial,
    v0002_court_holidays,
    v0010_assignments,
    v0020_time_limits,
    v0030_hearings,
    v0040_service,
    v0041_service_stats,
    v0050_notice_templates,
    v0060_accounts,
    v0061_audit_guard,
    v0062_backups,
    v0063_private_cases,
    v0070_lpr_fixings,
    v0071_case_tallies,
    v0072_private_in_docket_indexes,
    v0073_private_cases_covering,
    v0074_private_cases_truly_covering,
    v0075_public_and_private_counts,
    v0076_room_time_with_end,
    v0077_task_basis,
)


class Migration(Protocol):
    def upgrade(self, conn: sqlite3.Connection) -> None: ...


_MODULES: tuple[ModuleType, ...] = (
    v0001_initial,
    v0002_court_holidays,
    v0010_assignments,
    v0020_time_limits,
    v0030_hearings,
    v0040_service,
    v0041_service_stats,
    v0050_notice_templates,
    v0060_accounts,
    v0061_audit_guard,
    v0062_backups,
    v0063_private_cases,
    v0070_lpr_fixings,
    v0071_case_tallies,
    v0072_private_in_docket_indexes,
    v0073_private_cases_covering,
    v0074_private_cases_truly_covering,
    v0075_public_and_private_counts,
    v0076_room_time_with_end,
    v0077_task_basis,
)


def _number(module: ModuleType) -> int:
    """``v0012_hearings`` → 12."""
    return int(module.__name__.rsplit(".", 1)[1][1:5])


MIGRATIONS: tuple[tuple[int, Migration], ...] = tuple(
    sorted(((_number(m), m) for m in _MODULES), key=lambda pair: pair[0])
)
if len({n for n, _ in MIGRATIONS}) != len(MIGRATIONS):
    raise RuntimeError("two migrations share a number")
LATEST_VERSION = MIGRATIONS[-1][0]
