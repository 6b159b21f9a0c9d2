"""Rules the import contracts cannot see: SQL is written only in courtdesk/store."""

from __future__ import annotations

import ast
from pathlib import Path

import courtdesk

PACKAGE = Path(courtdesk.__file__).parent
SQL_CALLS = {"execute", "executemany", "executescript"}


def test_sql_lives_only_in_the_store() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.is_relative_to(PACKAGE / "store"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in SQL_CALLS:
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert offenders == [], "SQL outside courtdesk/store: " + ", ".join(offenders)
