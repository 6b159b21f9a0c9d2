"""Two programs registering into one database file end with unique, gapless numbers."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import date
from pathlib import Path

from courtdesk.domain.parties import PartyDraft
from courtdesk.services.cases import CaseDraft

PER_PROCESS = 40


def _register_many(
    path: str, username: str, tag: str, start: multiprocessing.synchronize.Event
) -> None:
    from courtdesk.services import cases
    from courtdesk.services.workspace import open_workspace

    ws = open_workspace(path, username)
    start.wait()
    for n in range(PER_PROCESS):
        cases.register_case(
            ws,
            CaseDraft(
                type_code="民初",
                procedure="civil_summary",
                cause="买卖合同纠纷",
                filing_date=date(2026, 11, 20),
                parties=(PartyDraft("原告", f"{tag}原告{n}"), PartyDraft("被告", f"{tag}被告{n}")),
            ),
        )
    ws.close()


def test_two_processes_register_into_one_file(empty_path: Path) -> None:
    with sqlite3.connect(empty_path) as conn:
        conn.execute(
            "INSERT INTO users (username, display_name, created_at) VALUES ('li', '立案员', 'x')"
        )
        user_id = conn.execute("SELECT id FROM users WHERE username = 'li'").fetchone()[0]
        conn.execute("INSERT INTO user_roles VALUES (?, 'registrar')", (user_id,))
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    workers = [
        ctx.Process(target=_register_many, args=(str(empty_path), "li", tag, start))
        for tag in "甲乙"
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    with sqlite3.connect(empty_path) as conn:
        numbers = [
            r[0]
            for r in conn.execute(
                "SELECT sequence FROM cases WHERE type_code = '民初' ORDER BY sequence"
            )
        ]
        names = {r[0] for r in conn.execute("SELECT name FROM parties")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert numbers == list(range(1, 2 * PER_PROCESS + 1))
    assert len(names) == 4 * PER_PROCESS
