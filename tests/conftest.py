"""Shared fixtures.

Tests never touch the developer's real data (COURTDESK_HOME points into a temporary
folder, as napari keeps tests away from real settings), run Qt offscreen when there
is no display, and fail if they leave background work running.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from courtdesk.services.demo import fill_demo
from courtdesk.services.setup import init_court
from courtdesk.services.workspace import Workspace, open_workspace

DEMO_CASES = 600
DEMO_AS_OF = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "courtdesk-home"
    home.mkdir()
    monkeypatch.setenv("COURTDESK_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database made once per run; tests get their own copy."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    fill_demo(path, DEMO_CASES, seed=7, as_of=DEMO_AS_OF)
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def empty_path(tmp_path: Path) -> Path:
    path = tmp_path / "court.sqlite3"
    init_court(path, "长春新区人民法院", "吉0193").close()
    return path


def _open_as(path: Path, username: str | None) -> Iterator[Workspace]:
    ws = open_workspace(path, username)
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def registrar(demo_path: Path) -> Iterator[Workspace]:
    """The demo database, acted on by the first filing clerk."""
    probe = open_workspace(demo_path)
    from courtdesk.services.workspace import default_username

    name = default_username(probe)
    probe.close()
    yield from _open_as(demo_path, name)


@pytest.fixture
def system_ws(demo_path: Path) -> Iterator[Workspace]:
    yield from _open_as(demo_path, None)


@pytest.fixture
def cli_sign_in(monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """Sign the command line in (``COURTDESK_USER``/``COURTDESK_PASSWORD``) as the first
    demo account with ``role``; returns the user name."""
    import sqlite3

    from courtdesk.services.accounts import DEMO_PASSWORD

    def sign_in(path: Path, role: str = "president") -> str:
        conn = sqlite3.connect(path)
        try:
            row = conn.execute(
                "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
                " WHERE r.role = ? ORDER BY u.id LIMIT 1",
                (role,),
            ).fetchone()
        finally:
            conn.close()
        monkeypatch.setenv("COURTDESK_USER", str(row[0]))
        monkeypatch.setenv("COURTDESK_PASSWORD", DEMO_PASSWORD)
        return str(row[0])

    return sign_in
