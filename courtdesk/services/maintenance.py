"""Keeping the court's records safe: checking the file, backups and restore.

- ``check_file(path)``: SQLite's integrity and foreign-key checks and the audit
  hash chain, read-only, naming each row that breaks (``courtdesk check``).
- ``backup(ws, target)``: a consistent copy made while courtdesk runs (SQLite's
  online backup API), verified (integrity and chain) and recorded (table
  ``backups`` and an audit row) — ``courtdesk backup`` and 文件 → 备份数据库.
- ``auto_backup(ws, kind)``: the GUI's daily and on-exit copies into the folder
  the administrator configured, keeping the newest of each recent day, week and
  month (``domain.retention``) and deleting older automatic copies.
- ``restore(ws, source)``: checks the backup, keeps a safety copy of the current
  database, then writes the backup's pages into the live file; the caller
  reopens (the GUI signs everyone in again).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from courtdesk.domain.retention import backups_to_keep
from courtdesk.errors import CourtdeskError, DatabaseFileError, ValidationError
from courtdesk.paths import path_problem
from courtdesk.services import audit, settings
from courtdesk.services.permissions import Permission, require
from courtdesk.services.workspace import Actor, Workspace
from courtdesk.store import backups as backup_store
from courtdesk.store import court, integrity
from courtdesk.store.audit import now_iso
from courtdesk.store.backups import BackupRecord
from courtdesk.store.database import Database
from courtdesk.store.integrity import FileReport
from courtdesk.store.location import network_location

__all__ = ["BackupRecord", "FileReport"]

AUTO_KINDS = ("daily", "exit")


def _absolute_folder(value: str) -> str | None:
    if value and not Path(value).expanduser().is_absolute():
        return "应为完整路径（例如 D:\\courtdesk备份 或 \\\\服务器\\共享\\备份），或留空"
    return None


BACKUP_FOLDER = settings.declare(
    settings.Setting(
        "backup.folder",
        "自动备份文件夹",
        "",
        "path",
        help="留空：数据库所在文件夹下的 backups 文件夹。最好是另一块硬盘或网络共享。",
        check=_absolute_folder,
        group="备份",
    )
)
BACKUP_DAILY = settings.declare(
    settings.Setting("backup.daily", "每天自动备份一次", "1", "bool", group="备份")
)
BACKUP_ON_EXIT = settings.declare(
    settings.Setting("backup.on_exit", "退出程序时自动备份", "1", "bool", group="备份")
)
KEEP_DAILY = settings.declare(
    settings.Setting(
        "backup.keep_daily",
        "保留最近几天的每日备份",
        "7",
        "int",
        check=settings.int_range(1, 366),
        group="备份",
    )
)
KEEP_WEEKLY = settings.declare(
    settings.Setting(
        "backup.keep_weekly",
        "保留最近几周的每周备份",
        "5",
        "int",
        check=settings.int_range(0, 260),
        group="备份",
    )
)
KEEP_MONTHLY = settings.declare(
    settings.Setting(
        "backup.keep_monthly",
        "保留最近几个月的每月备份",
        "12",
        "int",
        check=settings.int_range(0, 240),
        group="备份",
    )
)


# ------------------------------------------------------------------ checking
def check_file(path: str | Path) -> FileReport:
    """Every check on the file at ``path``, read-only (no sign-in: the file may not open)."""
    return integrity.inspect(Path(path).expanduser().absolute())


def report_lines(report: FileReport) -> list[str]:
    """The check's findings as the lines ``courtdesk check`` prints."""
    lines = [f"数据库文件：{report.path}（结构版本 {report.schema_version}）"]
    if report.integrity == ("ok",):
        lines.append("SQLite 完整性检查：通过")
    else:
        lines.append("SQLite 完整性检查：发现问题")
        lines += [f"  {message}" for message in report.integrity]
    if report.foreign_keys:
        lines.append("引用检查：发现问题")
        lines += [f"  {message}" for message in report.foreign_keys]
    else:
        lines.append("引用检查：通过")
    if report.tallies:
        lines.append("案件数统计：与案件记录不符")
        lines += [f"  {message}" for message in report.tallies]
    chain = report.chain
    if chain.ok:
        lines.append(f"操作记录哈希链：{chain.rows:,} 条，全部相符")
    else:
        lines.append(f"操作记录哈希链：{chain.rows:,} 条，发现 {len(chain.problems)} 处问题")
        lines += [f"  {problem.message}" for problem in chain.problems]
    warning = network_location(report.path)
    if warning:
        lines.append(f"警告：{warning}")
    lines.append(
        "结论：" + ("数据库完好" if report.ok else "数据库有问题，请勿继续写入，并联系系统管理员")
    )
    return lines


def network_warning(ws: Workspace) -> str | None:
    """A warning for the administrator when the database is on a network share."""
    return network_location(ws.path)


# ------------------------------------------------------------------ backups
@dataclass(frozen=True)
class BackupResult:
    path: Path
    kind: str
    size_bytes: int
    audit_rows: int
    deleted: tuple[Path, ...] = ()


def backup_folder(ws: Workspace) -> Path:
    configured = settings.get(ws, BACKUP_FOLDER.key).strip()
    return Path(configured).expanduser() if configured else ws.path.parent / "backups"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d-%H%M%S")


def _auto_name(ws: Workspace, kind: str, moment: datetime) -> Path:
    return backup_folder(ws) / f"{ws.path.stem}-{_stamp(moment)}-{kind}.sqlite3"


def _backup_message(target: Path, error: DatabaseFileError) -> str:
    cause = error.__cause__
    text = str(cause).lower() if cause is not None else ""
    if "full" in text or "no space" in text or getattr(cause, "errno", None) == 28:
        return f"备份失败：备份文件 {target} 所在的磁盘空间已满，数据库本身未受影响"
    return f"备份失败：无法写入备份文件 {target}（{error.message}），数据库本身未受影响"


def _copy_and_verify(
    ws: Workspace, target: Path, kind: str, moment: datetime | None = None
) -> BackupResult:
    target = target.expanduser().absolute()
    if (problem := path_problem(target, "备份文件")) is not None:
        raise ValidationError(problem, "path")
    if target == ws.path:
        raise CourtdeskError("备份文件不能是数据库文件本身")
    if target.exists():
        raise CourtdeskError(f"文件 {target} 已存在，请换一个文件名，以免覆盖已有的备份")
    try:
        ws.db.backup_to(target)
    except DatabaseFileError as error:
        raise DatabaseFileError(_backup_message(target, error), str(target)) from error
    report = integrity.inspect(target)
    if not report.ok:
        target.unlink(missing_ok=True)
        problems = "；".join(report_lines(report)[1:4])
        raise DatabaseFileError(f"备份文件校验未通过，已删除：{problems}", str(target))
    size = target.stat().st_size
    with ws.db.transaction() as tx:
        backup_id = backup_store.insert(
            tx,
            at=moment.isoformat(timespec="seconds") if moment else now_iso(),
            kind=kind,
            path=str(target),
            size_bytes=size,
            audit_rows=report.chain.rows,
            audit_hash=report.chain.head_hash,
            username=ws.actor.username,
        )
        audit.record(
            tx,
            ws.actor,
            "backup.create",
            "backups",
            backup_id,
            {"kind": [None, kind], "path": [None, str(target)], "size_bytes": [None, size]},
        )
    return BackupResult(target, kind, size, report.chain.rows)


def backup(ws: Workspace, target: str | Path) -> BackupResult:
    """A verified, recorded copy of the database at ``target`` (made while others work)."""
    require(ws.actor, Permission.BACKUP_DATABASE)
    return _copy_and_verify(ws, Path(target), "manual")


def daily_backup_due(ws: Workspace, today: datetime | None = None) -> bool:
    if settings.get(ws, BACKUP_DAILY.key) != "1":
        return False
    moment = today or datetime.now().astimezone()
    latest = backup_store.latest(ws.db.connection, AUTO_KINDS, limit=1)
    return not latest or latest[0].at[:10] < moment.date().isoformat()


def auto_backup(ws: Workspace, kind: str, now: datetime | None = None) -> BackupResult | None:
    """The GUI's automatic copy (``daily`` or ``exit``) into the configured folder.

    Any signed-in user's program makes it (it is the program's duty, not a user's
    choice of file); returns None when the settings turn it off or today's daily
    copy exists. Older automatic copies beyond the retention settings are deleted.
    """
    if kind not in AUTO_KINDS:
        raise ValueError(kind)
    if kind == "daily" and not daily_backup_due(ws, now):
        return None
    if kind == "exit" and settings.get(ws, BACKUP_ON_EXIT.key) != "1":
        return None
    moment = now or datetime.now().astimezone()
    folder = backup_folder(ws)
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseFileError(
                f"自动备份失败：无法使用备份文件夹 {folder}（{error.strerror}），"
                "请系统管理员在设置中检查“自动备份文件夹”",
                str(folder),
            ) from error
    result = _copy_and_verify(ws, _auto_name(ws, kind, moment), kind, moment)
    deleted = prune(ws)
    return BackupResult(result.path, kind, result.size_bytes, result.audit_rows, deleted)


_AUTO_FILE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<kind>daily|exit)\.sqlite3$")


def automatic_copies(ws: Workspace) -> dict[datetime, Path]:
    """The automatic copies of this database in the backup folder, by time."""
    folder = backup_folder(ws)
    found: dict[datetime, Path] = {}
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _AUTO_FILE.match(path.name)
        if match is None or match["stem"] != ws.path.stem:
            continue
        try:
            found[datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")] = path
        except ValueError:
            continue
    return found


def prune(ws: Workspace) -> tuple[Path, ...]:
    """Delete automatic copies the retention settings no longer keep."""
    copies = automatic_copies(ws)
    keep = backups_to_keep(
        copies,
        settings.get_int(ws, KEEP_DAILY.key),
        settings.get_int(ws, KEEP_WEEKLY.key),
        settings.get_int(ws, KEEP_MONTHLY.key),
    )
    deleted = []
    for stamp, path in sorted(copies.items()):
        if stamp not in keep:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            deleted.append(path)
    return tuple(deleted)


def recent_backups(ws: Workspace) -> list[BackupRecord]:
    """Backups recorded in this database, newest first (the restore dialog's list)."""
    require(ws.actor, Permission.RESTORE_DATABASE)
    records = backup_store.latest(ws.db.connection, ("daily", "exit", "manual", "safety"), 200)
    return [r for r in records if Path(r.path).is_file()]


# ------------------------------------------------------------------ restore
@dataclass(frozen=True)
class RestoreResult:
    source: Path
    safety_copy: Path
    audit_rows: int


def restore(ws: Workspace, source: str | Path) -> RestoreResult:
    """Replace the database with a checked backup, keeping a safety copy of it first.

    Closes ``ws`` (its connections saw the old data); the caller opens the
    database again and signs in (accounts may differ in the backup).
    """
    require(ws.actor, Permission.RESTORE_DATABASE)
    source_path = Path(source).expanduser().absolute()
    if (problem := path_problem(source_path, "备份文件")) is not None:
        raise ValidationError(problem, "path")
    if source_path == ws.path:
        raise CourtdeskError("不能用数据库文件本身恢复")
    report = integrity.inspect(source_path)
    if not report.ok:
        details = "；".join(
            line.strip()
            for line in report_lines(report)[1:]
            if "问题" in line or line.startswith("  ")
        )
        raise DatabaseFileError(
            f"备份文件 {source_path} 未通过检查，未恢复：{details}", str(source_path)
        )
    if report.court_code != ws.court_code:
        raise CourtdeskError(
            f"备份文件 {source_path} 属于另一法院（代字 {report.court_code or '无'}），"
            f"不能恢复到 {ws.court_name}（{ws.court_code}）的数据库"
        )
    safety = _copy_and_verify(
        ws, backup_folder(ws) / f"{ws.path.stem}-{_stamp(datetime.now())}-safety.sqlite3", "safety"
    )
    ws.db.restore_from(source_path)
    ws.close()
    db = Database.open(ws.path)  # migrates a backup made by an older courtdesk
    try:
        with db.transaction() as tx:
            audit.record(
                tx,
                _actor_in(tx, ws.actor),
                "backup.restore",
                "backups",
                None,
                {"from": [None, str(source_path)], "safety_copy": [None, str(safety.path)]},
            )
    finally:
        db.close()
    return RestoreResult(source_path, safety.path, report.chain.rows)


def _actor_in(conn: sqlite3.Connection, actor: Actor) -> Actor:
    """The actor as the restored database knows them (their account may not exist in it)."""
    if actor.user_id is not None:
        row = court.user_by_id(conn, actor.user_id)
        if row is not None and row["username"] == actor.username:
            return actor
    return Actor(None, actor.username, actor.display_name, actor.roles)
