"""In-process events and providers between services, inside one transaction.

Features that react to each other without importing each other (like Anki's
hooks): scheduling a hearing must create the summons to serve, registering a case
must create the copies of the complaint to serve, but the scheduling and the
service modules should not depend on each other's insides.

- ``publish(conn, actor, name, **payload)``: called by a service *inside its write
  transaction*; every handler subscribed to ``name`` runs there and then, on the
  same connection, so the reaction commits or rolls back with the change. A
  handler that raises aborts the whole change: nothing is half-stored.
- ``provide(name, fn)`` / ``ask(name, ...)``: one module answers a question
  another asks (for example, by when can a summons reach each party).

Events published today (payload keys):
- ``case.registered``: case_id
- ``hearing.scheduled`` (services.hearings: scheduling, and the new hearing of a
  postponement): hearing_id, case_id, start, end (datetime), place (str: the room's
  name, "在线庭审" or the off-site place), kind (str: the hearing type as printed,
  one of 开庭, 调解, 听证, 询问, 宣判, 巡回审判)
- ``hearing.moved`` (a hearing dragged or edited to another time or room):
  hearing_id, case_id, old_start, new_start, end (datetime), place (str), kind (str)
- ``hearing.postponed`` (延期): hearing_id, case_id, reason (str), new_hearing_id
  (int, or None when the new date is still open: 另行通知). When there is a new
  hearing, ``hearing.scheduled`` for it follows in the same transaction, so the
  postponed hearing's documents are withdrawn and the new one's created.
- ``hearing.cancelled``: hearing_id, case_id, reason (str)
- ``time_limit.extension_applied`` (services.time_limits): case_id, extension_id
- ``time_limit.extension_decided``: case_id, extension_id, approved (bool)
- ``time_limit.exclusion_changed`` (an excluded period opened or ended): case_id,
  exclusion_id
- ``case.procedure_converted`` (简易转普通 …): case_id, from_procedure, to_procedure
- ``case.closed`` (services.closing; the case is read-only from now on, see
  services.case_guard): case_id, closed_date (date). Features with future events
  for the case (hearings, pending service) may subscribe to withdraw them.
- ``case.archived``: case_id
Subscribers:
- ``courtdesk.services.hearings``: case.closed cancels the case's hearings after the
  closing day (publishing hearing.cancelled for each).
- ``courtdesk.services.service_events``: case.registered and the hearing events
  (scheduled, moved, postponed, cancelled) create, rewrite or withdraw service
  tasks (立案 documents, 传票, 出庭通知书); case.closed withdraws what need not be
  served any more.
Providers:
- ``service.outlook``: (conn, case_id, today) -> list[ServiceOutlook], provided by
  ``courtdesk.services.service_events``; asked by scheduling for the 3-day summons
  rule, with the hints ``case`` (the cases row) and ``calendar`` (the holiday
  calendar) it has already read, so one check does not read them twice. Without a provider scheduling assumes postal service taking
  ``hearing.assumed_service_days`` days (a setting) and says so in its warning.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from courtdesk.services.workspace import Actor

Handler = Callable[..., None]

# Modules that subscribe, provide or register notice kinds, imported before the first
# event is published (or a notice kind looked up), so a reaction never depends on which
# screen or command happened to import it. A feature module that does so adds itself here.
SUBSCRIBER_MODULES: tuple[str, ...] = (
    "courtdesk.services.hearings",
    "courtdesk.services.service_events",
    "courtdesk.services.service_documents",
)
_loaded = False

_handlers: defaultdict[str, list[Handler]] = defaultdict(list)
_providers: dict[str, Callable[..., Any]] = {}


@dataclass(frozen=True)
class ServiceOutlook:
    """How soon a document sent today can be served on one party of a case."""

    party_id: int
    party_name: str
    method: str  # 电子送达, 邮寄送达, 直接送达 …
    earliest_service_date: date
    reason: str  # in Chinese, for the scheduling warning


def subscribe(name: str, handler: Handler) -> None:
    """Run ``handler(conn, actor, **payload)`` whenever ``name`` is published."""
    if handler not in _handlers[name]:
        _handlers[name].append(handler)


def unsubscribe(name: str, handler: Handler) -> None:
    """Stop running ``handler`` for ``name`` (tests that subscribe their own handlers)."""
    if handler in _handlers[name]:
        _handlers[name].remove(handler)


def load_subscribers() -> None:
    """Import every module in SUBSCRIBER_MODULES (once): their subscriptions, providers and
    notice kinds are in place before anything is published, asked or printed."""
    global _loaded  # noqa: PLW0603 - a one-time import of the subscriber modules
    if not _loaded:
        _loaded = True  # first: a module being imported may look a notice kind up itself
        for module in SUBSCRIBER_MODULES:
            importlib.import_module(module)


_load_subscribers = load_subscribers  # the earlier private name, still called by tests


def publish(conn: sqlite3.Connection, actor: Actor, name: str, **payload: Any) -> None:
    load_subscribers()
    if not conn.in_transaction:
        raise RuntimeError("events are published inside the transaction of the change")
    for handler in list(_handlers.get(name, ())):
        handler(conn, actor, **payload)


def provide(name: str, fn: Callable[..., Any]) -> None:
    _providers[name] = fn


def ask(name: str, *args: Any, hints: Mapping[str, Any] | None = None, **kwargs: Any) -> Any | None:
    """The provider's answer, or None when no module provides ``name``.

    ``hints`` are things the asker has already read (a case row, the holiday
    calendar): each is passed to a provider that takes it as a keyword-only
    argument of that name, so it need not read it again; a provider that does not
    take it reads its own.
    """
    load_subscribers()
    fn = _providers.get(name)
    if fn is None:
        return None
    if hints:
        accepted = _keyword_only(fn)
        kwargs.update({k: v for k, v in hints.items() if k in accepted})
    return fn(*args, **kwargs)


@functools.cache
def _keyword_only(fn: Callable[..., Any]) -> frozenset[str]:
    return frozenset(
        p.name for p in inspect.signature(fn).parameters.values() if p.kind is p.KEYWORD_ONLY
    )
