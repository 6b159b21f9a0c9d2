"""The double-clickable build: PyInstaller makes a one-folder program that works.

Slow (about a minute and a half), so it is marked slow; it still runs in CI.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "tests" / "fixtures").glob("courtdesk-v*.sqlite3"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def frozen_program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    result = subprocess.run(
        [
            str(pyinstaller),
            "--noconfirm",
            "--clean",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(ROOT / "build.spec"),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    folders = list((work / "dist").iterdir())
    assert len(folders) == 1
    suffix = ".exe" if os.name == "nt" else ""
    assert (folders[0] / f"courtdesk{suffix}").is_file(), "the double-clickable program"
    program = folders[0] / f"courtdesk-cli{suffix}"
    assert program.is_file()
    return program


def frozen_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["COURTDESK_HOME"] = str(home)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run_frozen(program: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The frozen command line with ``args``, its home and working folder in ``home``."""
    return subprocess.run(
        [str(program), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=frozen_env(home),
        cwd=home,
    )


def test_the_frozen_program_passes_its_self_check(frozen_program: Path, tmp_path: Path) -> None:
    result = run_frozen(frozen_program, tmp_path, "--self-check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "自检通过" in result.stdout
    assert "失败" not in result.stdout


def test_the_frozen_program_makes_a_demo_in_worker_processes(
    frozen_program: Path, tmp_path: Path
) -> None:
    """A big demo starts worker processes ("spawn": the frozen program starts itself
    again, and freeze_support() in courtdesk/__main__.py makes that start a worker)."""
    db = tmp_path / "workers.sqlite3"
    result = run_frozen(
        frozen_program, tmp_path, "demo", "--db", str(db), "--cases", "300", "--workers"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "生成 300 件演示案件" in result.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM service_tasks").fetchone()[0] > 300


def test_the_frozen_program_carries_its_resources_and_nothing_it_does_not_need(
    frozen_program: Path,
) -> None:
    folder = frozen_program.parent
    bundled = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for name in ("uming.ttc", "ARPHICPL.TXT", "case_types.json", "demo.json"):
        assert any(p.endswith(name) for p in bundled), name
    # reportlab's C accelerators, which it imports through exec() (build.spec names them).
    assert any("_rl_accel" in p for p in bundled), "rl_accel"
    assert not any("tkinter" in p or "_tkinter" in p for p in bundled)
    assert not any("QtWebEngine" in p for p in bundled)
    # The virtual keyboard plugin would pull in Qt Quick and QML (about 17 MB).
    assert not any("Qt6Quick" in p or "Qt6Qml" in p or "virtualkeyboard" in p for p in bundled)
    assert any(p.endswith("qtbase_zh_CN.qm") for p in bundled), "Qt's buttons in Chinese"
    assert not any(p.endswith("qtbase_de.qm") for p in bundled)
    # Qt's GTK platform theme is left out (build.spec), and with it the host libraries
    # only it linked to (GTK itself where installed, cairo, pango, harfbuzz …).
    assert not any("libqgtk3" in p for p in bundled), "Qt's GTK platform theme"
    assert not any(Path(p).name.startswith(("libgtk-3", "libgdk-3")) for p in bundled)
    # The README tells IT staff the folder's size (about 230 MB on Linux). PyInstaller
    # links each Qt library from _internal/ to its place in PySide6/ (35 symbolic links,
    # about 90 MB if followed): a link takes no room, so only real files are counted,
    # as the disk (and du) counts them.
    size = sum((folder / p).stat().st_size for p in bundled if not (folder / p).is_symlink())
    assert size < 260 * 1024 * 1024, f"{size / 1024 / 1024:.0f} MB"


def test_data_lives_outside_the_program_and_old_databases_migrate(
    frozen_program: Path, tmp_path: Path
) -> None:
    """A newer build opens a database made by an older schema and migrates it in place.

    Databases from before sign-in existed have no passwords: the administrator sets
    one first (``user set-up-admin``), then signs in as everyone will.
    """
    old = FIXTURES[0]
    home = tmp_path / "home"
    home.mkdir()
    database = home / "courtdesk.sqlite3"
    shutil.copyfile(old, database)
    env = {
        **frozen_env(home),
        "COURTDESK_NEW_PASSWORD": "court-admin-1",
        "COURTDESK_PASSWORD": "court-admin-1",
    }
    result = subprocess.run(
        [str(frozen_program), "user", "set-up-admin"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [str(frozen_program), "case", "show", "--user", "admin", "（2026）吉0193民初1号", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert '"case_number": "（2026）吉0193民初1号"' in result.stdout
    assert list(home.glob("courtdesk.before-v*.sqlite3"))
    assert not list(frozen_program.parent.rglob("*.sqlite3"))
