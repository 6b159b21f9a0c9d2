"""Backups made while courtdesk works, verified and recorded; restore with a safety copy."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from courtdesk.cli import main
from courtdesk.domain.parties import PartyDraft
from courtdesk.errors import CourtdeskError, DatabaseFileError, PermissionDeniedError
from courtdesk.services import accounts, cases, maintenance, settings
from courtdesk.services.accounts import DEMO_PASSWORD
from courtdesk.services.cases import CaseDraft
from courtdesk.services.workspace import Workspace


def small_case(name: str) -> CaseDraft:
    return CaseDraft(
        "民初",
        "civil_summary",
        "买卖合同纠纷",
        date(2026, 11, 20),
        (PartyDraft("原告", f"{name}甲"), PartyDraft("被告", f"{name}乙")),
    )


def count(path: Path, sql: str = "SELECT count(*) FROM cases") -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(sql).fetchone()[0])


@pytest.fixture
def admin(demo_path: Path) -> Workspace:
    ws = accounts.sign_in(demo_path, "admin", DEMO_PASSWORD)
    yield ws  # type: ignore[misc]
    ws.close()


def test_a_backup_made_while_a_clerk_registers_is_consistent_verified_and_recorded(
    admin: Workspace, registrar: Workspace, tmp_path: Path
) -> None:
    stop = threading.Event()
    registered: list[int] = []

    def keep_registering() -> None:
        ws = registrar.as_user(registrar.actor)
        try:
            while not stop.is_set() and len(registered) < 200:
                registered.append(cases.register_case(ws, small_case(f"并发{len(registered)}")).id)
        finally:
            ws.close()

    writer = threading.Thread(target=keep_registering)
    writer.start()
    try:
        results = [maintenance.backup(admin, tmp_path / f"copy{n}.sqlite3") for n in range(3)]
    finally:
        stop.set()
        writer.join(60)
    for result in results:
        report = maintenance.check_file(result.path)
        assert report.ok, maintenance.report_lines(report)
        # Consistent: every case in the copy has its parties and its audit rows.
        with sqlite3.connect(result.path) as conn:
            orphans = conn.execute(
                "SELECT count(*) FROM cases c WHERE NOT EXISTS"
                " (SELECT 1 FROM parties p WHERE p.case_id = c.id)"
            ).fetchone()[0]
            assert orphans == 0
        assert result.audit_rows == report.chain.rows
    with sqlite3.connect(admin.path) as conn:
        recorded = conn.execute("SELECT kind, path FROM backups ORDER BY id").fetchall()
        audited = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'backup.create'"
        ).fetchone()[0]
    assert [k for k, _ in recorded] == ["manual"] * 3 and audited == 3
    assert {Path(p) for _, p in recorded} == {r.path for r in results}


def test_backups_are_for_the_administrator_and_never_overwrite(
    admin: Workspace, registrar: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDeniedError, match="备份数据库"):
        maintenance.backup(registrar, tmp_path / "x.sqlite3")
    target = tmp_path / "x.sqlite3"
    maintenance.backup(admin, target)
    with pytest.raises(CourtdeskError, match="已存在"):
        maintenance.backup(admin, target)
    with pytest.raises(CourtdeskError, match="数据库文件本身"):
        maintenance.backup(admin, admin.path)


def test_daily_and_exit_backups_go_to_the_folder_and_old_ones_are_pruned(
    admin: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "second-disk"
    settings.put_many(
        admin,
        {
            "backup.folder": str(folder),
            "backup.keep_daily": "3",
            "backup.keep_weekly": "2",
            "backup.keep_monthly": "1",
        },
    )
    start = datetime(2026, 9, 1, 9, 0).astimezone()
    for day in range(40):
        moment = start + timedelta(days=day)
        assert maintenance.auto_backup(admin, "daily", moment) is not None
        # Once a day: the second try the same day does nothing.
        assert maintenance.auto_backup(admin, "daily", moment + timedelta(hours=2)) is None
    assert maintenance.auto_backup(admin, "exit", start + timedelta(days=39, hours=9)) is not None
    kept = sorted(p.name for p in folder.iterdir())
    stem = admin.path.stem
    assert f"{stem}-20261010-180000-exit.sqlite3" in kept
    # 3 days + 2 weeks + 1 month, overlapping: never more than 6 files, never fewer than 3.
    assert 3 <= len(kept) <= 6
    assert not any(name.endswith(".part") for name in kept)
    assert all(maintenance.check_file(folder / name).ok for name in kept)


def test_automatic_backups_can_be_turned_off(admin: Workspace) -> None:
    settings.put_many(admin, {"backup.daily": "0", "backup.on_exit": "0"})
    assert maintenance.auto_backup(admin, "daily") is None
    assert maintenance.auto_backup(admin, "exit") is None


def test_restore_checks_the_file_keeps_a_safety_copy_and_replaces_the_data(
    admin: Workspace, registrar: Workspace, tmp_path: Path
) -> None:
    path = admin.path
    backup = maintenance.backup(admin, tmp_path / "before.sqlite3").path
    before = count(path)
    for n in range(3):
        cases.register_case(registrar, small_case(f"恢复{n}"))
    assert count(path) == before + 3
    registrar.close()
    result = maintenance.restore(admin, backup)
    assert count(path) == before
    # The safety copy holds what was there just before the restore.
    assert count(result.safety_copy) == before + 3
    assert maintenance.check_file(result.safety_copy).ok
    report = maintenance.check_file(path)
    assert report.ok, maintenance.report_lines(report)
    with sqlite3.connect(path) as conn:
        last = conn.execute(
            "SELECT action, changes FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert last[0] == "backup.restore" and str(result.safety_copy) in last[1]
    # And the program keeps working on the restored file.
    ws = accounts.sign_in(path, "admin", DEMO_PASSWORD)
    ws.close()


def test_a_damaged_or_foreign_backup_is_refused_before_anything_changes(
    admin: Workspace, tmp_path: Path, empty_path: Path
) -> None:
    good = maintenance.backup(admin, tmp_path / "good.sqlite3").path
    bad = tmp_path / "bad.sqlite3"
    shutil.copyfile(good, bad)
    conn = sqlite3.connect(bad)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET username = 'x' WHERE id = 2")
    conn.commit()
    conn.close()
    before = count(admin.path)
    with pytest.raises(DatabaseFileError, match="未通过检查"):
        maintenance.restore(admin, bad)
    text = tmp_path / "notes.txt"
    text.write_text("不是数据库", encoding="utf-8")
    with pytest.raises(DatabaseFileError, match="不是 courtdesk 数据库"):
        maintenance.restore(admin, text)
    other_court = tmp_path / "other.sqlite3"
    from courtdesk.services.setup import init_court

    init_court(other_court, "北京市朝阳区人民法院", "京0105").close()
    with pytest.raises(CourtdeskError, match="属于另一法院"):
        maintenance.restore(admin, other_court)
    assert count(admin.path) == before
    assert maintenance.check_file(admin.path).ok


def test_backup_and_restore_from_the_command_line(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COURTDESK_PASSWORD", DEMO_PASSWORD)
    out_file = tmp_path / "cli-backup.sqlite3"
    assert main(["backup", "--db", str(demo_path), "--user", "admin", "--out", str(out_file)]) == 0
    out, _ = capsys.readouterr()
    assert "校验通过" in out and out_file.exists()
    with sqlite3.connect(demo_path) as conn:
        registrar = conn.execute(
            "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
            " WHERE r.role = 'registrar' LIMIT 1"
        ).fetchone()[0]
    assert (
        main(
            [
                "backup",
                "--db",
                str(demo_path),
                "--user",
                registrar,
                "--out",
                str(tmp_path / "r.sqlite3"),
            ]
        )
        == 1
    )
    _, err = capsys.readouterr()
    assert "无权进行「备份数据库」" in err
    assert (
        main(["restore", "--db", str(demo_path), "--user", "admin", "--from", str(out_file)]) == 0
    )
    out, _ = capsys.readouterr()
    assert "已从" in out and "安全副本" not in out and "另存为" in out


def test_a_full_backup_disk_is_a_clear_message_and_leaves_no_partial_file(
    admin: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated here (see tests/crash/test_full_disk.py for a real full file system).
    real_connect = sqlite3.connect

    def full_disk(target: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        if str(target).endswith(".part"):
            raise sqlite3.OperationalError("database or disk is full")
        return real_connect(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", full_disk)
    target = tmp_path / "full" / "copy.sqlite3"
    with pytest.raises(DatabaseFileError, match="磁盘空间已满，数据库本身未受影响"):
        maintenance.backup(admin, target)
    monkeypatch.undo()
    assert not list((tmp_path / "full").glob("*"))
    assert maintenance.check_file(admin.path).ok
