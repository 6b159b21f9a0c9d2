"""A workspace: one courtdesk database and the user acting on it.

Services take a Workspace as their first argument. ``ws.db`` is a connection that
belongs to the calling thread (SQLite connections must not be shared), opened on
first use, so the GUI's worker threads and the CLI use the same code.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from courtdesk.errors import CourtdeskError, NotFoundError
from courtdesk.store import court
from courtdesk.store.database import Database

# Roles (issue: accounts and roles). Stored as these codes; labels are for display.
ROLE_LABELS = {
    "admin": "系统管理员",
    "registrar": "立案",
    "judge": "法官",
    "clerk": "书记员",
    "service": "送达",
    "chief": "庭长",
    "president": "院长",
    "readonly": "只读",
    # 人民陪审员: sits on collegiate panels (分案), sees the cases of those panels.
    "assessor": "人民陪审员",
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: recorded on every audit row, checked by every change."""

    user_id: int | None
    username: str
    display_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    # The actor's 庭室: a 庭长 reads every case of it, private ones included.
    division_id: int | None = None

    @property
    def roles_label(self) -> str:
        labels = {**ROLE_LABELS, "system": "系统", "guest": "未登录"}
        return "、".join(labels.get(r, r) for r in sorted(self.roles))


# Changes made by courtdesk itself (creating a database, demo data, migrations).
SYSTEM = Actor(None, "system", "courtdesk 系统", frozenset({"system"}))

# Someone using a command-line tool without signing in (the calculators): may do
# only what every role may (services.permissions.GRANTS), and reads no case.
GUEST_ROLE = "guest"
GUEST = Actor(None, "guest", "未登录用户", frozenset({GUEST_ROLE}))


class Workspace:
    def __init__(self, path: Path, actor: Actor) -> None:
        self.path = path
        self.actor = actor
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[Database] = []

    @property
    def db(self) -> Database:
        """This thread's connection to the database."""
        db: Database | None = getattr(self._local, "db", None)
        if db is None:
            db = Database.open(self.path)
            self._local.db = db
            with self._lock:
                self._open.append(db)
        return db

    def as_user(self, actor: Actor) -> Workspace:
        """The same database acted on by someone else (a new workspace; connections are not shared)."""
        return Workspace(self.path, actor)

    def setting(self, key: str, default: str = "") -> str:
        value = court.get_setting(self.db.connection, key)
        return default if value is None else value

    @property
    def court_name(self) -> str:
        return self.setting("court_name")

    @property
    def court_code(self) -> str:
        return self.setting("court_code")

    def close(self) -> None:
        with self._lock:
            for db in self._open:
                db.close()
            self._open.clear()
        self._local = threading.local()


def open_workspace(path: str | os.PathLike[str], username: str | None = None) -> Workspace:
    """Open an existing courtdesk database as ``username`` (or as the system, if None)."""
    resolved = Path(path).expanduser().absolute()
    probe = Workspace(resolved, SYSTEM)
    db = probe.db  # opens, checks and migrates in this thread
    if not court.get_setting(db.connection, "court_code"):
        probe.close()
        raise CourtdeskError(
            f"数据库文件 {resolved} 尚未初始化（没有法院名称和代字），请先运行 courtdesk init"
        )
    if username is None:
        return probe
    try:
        probe.actor = load_actor(probe, username)
    except CourtdeskError:
        probe.close()
        raise
    return probe


def needs_upgrade(path: str | os.PathLike[str]) -> bool:
    """Whether opening ``path`` will first upgrade its schema (which at a million cases
    can take minutes, once): the program says so before it starts."""
    return Database.needs_upgrade(path)


def load_actor(ws: Workspace, username: str) -> Actor:
    conn = ws.db.connection
    row = court.user_by_username(conn, username)
    if row is None:
        raise NotFoundError(f"用户「{username}」不存在")
    if not row["active"]:
        raise CourtdeskError(f"用户「{username}」已停用")
    return Actor(
        user_id=int(row["id"]),
        username=str(row["username"]),
        display_name=str(row["display_name"]),
        roles=frozenset(court.roles_of(conn, int(row["id"]))),
        division_id=row["division_id"],
    )


def default_username(ws: Workspace) -> str:
    """Whom tools open a database as without a password: the first filing clerk, else the administrator.

    Only for the self-check, the benchmark and tests: the program itself always
    signs in through accounts.sign_in (the sign-in dialog, or ``--user`` at the CLI).
    """
    conn = ws.db.connection
    for role in ("registrar", "admin"):
        people = court.users_with_role(conn, role)
        if people:
            return str(people[0]["username"])
    raise NotFoundError(f"数据库文件 {ws.path} 中没有可用的用户账户")
