"""A search's count and pages are the same whichever way the store finds them.

With many hits (pinyin initials at a million cases) a page walks the sort's index
and probes the hits; with few it reads and sorts the hits. A search alone is
counted from the full-text index less the hidden private hits. Each shortcut is
checked here against the general path on the same demo database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from courtdesk.services import docket
from courtdesk.services.docket import DocketFilter, SortKey
from courtdesk.services.workspace import Workspace
from courtdesk.store import docket as docket_store

QUERIES = ("z", "zw", "王", "民初", "2201")


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("walk_from", [docket_store.WALK_FROM_HITS, 1])
def test_a_search_alone_counts_what_the_general_path_counts(
    registrar: Workspace,
    system_ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    walk_from: int,
) -> None:
    monkeypatch.setattr(docket_store, "WALK_FROM_HITS", walk_from)  # many hits, or few
    alone = DocketFilter(text=text)
    general = replace(alone, filed_from=date(1900, 1, 1))  # the same cases, the long way
    for ws in (registrar, system_ws):
        assert docket.count(ws, alone) == docket.count(ws, general)
    assert docket.count(system_ws, alone) >= docket.count(registrar, alone) > 0


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_walking_the_sort_index_finds_the_same_pages_as_sorting_the_hits(
    registrar: Workspace, monkeypatch: pytest.MonkeyPatch, sort: SortKey, descending: bool
) -> None:
    flt = DocketFilter(text="z")
    total = docket.count(registrar, flt)
    assert total > 40

    def pages() -> list[list[int]]:
        return [
            [r.id for r in docket.page(registrar, flt, sort, descending, offset, 20)]
            for offset in (0, 20, total - 10)
        ]

    sorted_hits = pages()
    monkeypatch.setattr(docket_store, "WALK_FROM_HITS", 1)
    assert pages() == sorted_hits
    assert [len(p) for p in sorted_hits] == [20, 20, 10]


def test_a_remembered_hit_count_follows_every_write(registrar: Workspace) -> None:
    """search_hits is remembered per connection, and forgotten as soon as the file
    changes: written by another connection (another workstation) or by this one."""
    import sqlite3

    from courtdesk.store.search import match_expression

    conn = registrar.db.connection
    match = match_expression("民初")
    assert match is not None
    before = docket_store.search_hits(conn, match)
    assert before > 0 and docket_store.search_hits(conn, match) == before
    with sqlite3.connect(registrar.db.path) as other:
        other.execute(
            "INSERT INTO case_search (rowid, terms, initials, codes)"
            " SELECT 9000001, terms, initials, codes FROM case_search WHERE case_search MATCH ?"
            " LIMIT 1",
            (match,),
        )
    assert docket_store.search_hits(conn, match) == before + 1
    conn.execute("DELETE FROM case_search WHERE rowid = 9000001")
    assert docket_store.search_hits(conn, match) == before
