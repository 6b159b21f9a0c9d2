"""Court settings: typed, validated, audited, stored with the database.

Rules that courts apply differently (domain-rules.md marks them **configurable**)
are settings with the law's or common practice's default. A feature declares its
settings with ``declare(Setting(...))`` at import; ``get`` returns the stored value
or the default; ``put`` checks the value, needs the administrator's permission,
and writes an audit row in the same transaction.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from courtdesk.domain.text import has_control_characters
from courtdesk.errors import FieldProblem, ValidationError
from courtdesk.services import audit
from courtdesk.services.permissions import Permission, require
from courtdesk.services.workspace import Workspace
from courtdesk.store import court

Check = Callable[[str], str | None]  # returns a problem (Chinese) or None


@dataclass(frozen=True)
class Setting:
    key: str
    label: str  # Chinese, shown in the settings dialog
    default: str
    kind: str = "text"  # text, int, bool, decimal, path
    help: str = ""
    check: Check | None = None
    group: str = "通用"


_REGISTRY: dict[str, Setting] = {}

# Modules that declare settings, imported before the settings are listed or read, so
# the settings dialog shows every one whichever screens happened to be opened. A
# feature that declares settings adds its module here.
SETTING_MODULES: tuple[str, ...] = (
    "courtdesk.services.accounts",
    "courtdesk.services.fees",
    "courtdesk.services.hearings",
    "courtdesk.services.lending",
    "courtdesk.services.maintenance",
    "courtdesk.services.notices",
    "courtdesk.services.service",
    "courtdesk.services.service_documents",
    "courtdesk.services.stats",
    "courtdesk.services.time_limits",
)
_loaded = False


def _load_declarations() -> None:
    global _loaded  # noqa: PLW0603 - a one-time import of the declaring modules
    if not _loaded:
        _loaded = True
        for module in SETTING_MODULES:
            importlib.import_module(module)


def declare(setting: Setting) -> Setting:
    _REGISTRY[setting.key] = setting
    return setting


def declared() -> list[Setting]:
    """Every declared setting, grouped, in declaration order within a group."""
    _load_declarations()
    return sorted(_REGISTRY.values(), key=lambda s: s.group)


def spec(key: str) -> Setting:
    if key not in _REGISTRY:
        _load_declarations()
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(f"undeclared setting {key}") from None


def int_range(low: int, high: int) -> Check:
    def check(value: str) -> str | None:
        try:
            number = int(value)
        except ValueError:
            return f"「{value}」不是整数"
        if not low <= number <= high:
            return f"应在 {low} 到 {high} 之间"
        return None

    return check


def get(ws: Workspace, key: str) -> str:
    stored = court.get_setting(ws.db.connection, key)
    return spec(key).default if stored is None else stored


def get_int(ws: Workspace, key: str) -> int:
    return int(get(ws, key))


def get_ints(ws: Workspace, *keys: str) -> tuple[int, ...]:
    """Several integer settings read together (a case view reads three as it opens)."""
    stored = court.get_settings(ws.db.connection, keys)
    return tuple(int(stored.get(key, spec(key).default)) for key in keys)


def validate(key: str, value: str) -> str:
    setting = spec(key)
    value = value.strip()
    problem: str | None = None
    if has_control_characters(value):
        problem = "含有无法显示的控制字符"
    elif setting.kind == "int":
        try:
            int(value)
        except ValueError:
            problem = f"「{value}」不是整数"
    elif setting.kind == "bool" and value not in ("0", "1"):
        problem = "只能是 0 或 1"
    if problem is None and setting.check is not None:
        problem = setting.check(value)
    if problem:
        raise ValidationError([FieldProblem(key, f"{setting.label}{problem}")])
    return value


def current(ws: Workspace) -> dict[str, str]:
    """The value of every declared setting (stored, or its default)."""
    stored = court.all_settings(ws.db.connection)
    return {s.key: stored.get(s.key, s.default) for s in declared()}


def put_many(ws: Workspace, values: dict[str, str]) -> list[str]:
    """Check every value first, then store the changed ones in one transaction.

    Raises one ValidationError naming every refused field, and stores nothing then.
    Returns the keys that changed.
    """
    require(ws.actor, Permission.MANAGE_COURT)
    problems: list[FieldProblem] = []
    clean: dict[str, str] = {}
    for key, value in values.items():
        try:
            clean[key] = validate(key, value)
        except ValidationError as error:
            problems += error.problems
    if problems:
        raise ValidationError(problems)
    changed = []
    with ws.db.transaction() as conn:
        for key, value in clean.items():
            stored = court.get_setting(conn, key)
            if value == (spec(key).default if stored is None else stored):
                continue  # unchanged: no write, no audit row
            court.put_setting(conn, key, value)
            audit.record(conn, ws.actor, "settings.put", "settings", None, {key: [stored, value]})
            changed.append(key)
    return changed


def put(ws: Workspace, key: str, value: str) -> None:
    require(ws.actor, Permission.MANAGE_COURT)
    value = validate(key, value)
    with ws.db.transaction() as conn:
        old = court.put_setting(conn, key, value)
        if old != value:
            audit.record(conn, ws.actor, "settings.put", "settings", None, {key: [old, value]})
