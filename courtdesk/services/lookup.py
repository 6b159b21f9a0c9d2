"""What the 立案 form looks up while a clerk types: known parties, lawyers and law firms,
and open cases that the new one may duplicate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.identity import normalise_id_number
from courtdesk.domain.parties import PartyDraft
from courtdesk.domain.text import clean_text, has_control_characters
from courtdesk.services.permissions import Permission, require
from courtdesk.services.workspace import Workspace
from courtdesk.store import lookup as store

SUGGESTIONS = 12
MAX_DUPLICATES = 10


@dataclass(frozen=True)
class KnownParty:
    """A party as last entered in any case, to fill a new party row from."""

    name: str
    kind: str
    id_number: str
    credit_code: str
    phone: str
    address: str
    legal_representative: str

    @property
    def identity(self) -> str:
        return self.id_number or self.credit_code

    @property
    def label(self) -> str:
        """``张三（220104…1234）``: two people of one name are told apart by their IDs."""
        code = self.identity
        return f"{self.name}（{code[:6]}…{code[-4:]}）" if len(code) > 10 else self.name


@dataclass(frozen=True)
class KnownLawyer:
    name: str
    kind: str
    law_firm: str
    licence_number: str
    phone: str

    @property
    def label(self) -> str:
        return f"{self.name}（{self.law_firm}）" if self.law_firm else self.name


@dataclass(frozen=True)
class PossibleDuplicate:
    case_id: int
    case_number: str
    cause: str
    parties_summary: str
    filing_date: str
    status_label: str
    judge_name: str


def _searchable(text: str) -> str:
    """What was typed, trimmed; empty when it holds a control character or a lone
    surrogate, which no stored name can hold (and SQLite cannot even be asked for)."""
    text = clean_text(text)
    return "" if has_control_characters(text) else text


def known_parties(ws: Workspace, prefix: str, limit: int = SUGGESTIONS) -> list[KnownParty]:
    """Parties whose name starts with what was typed (at least one character)."""
    require(ws.actor, Permission.VIEW_CASES)
    prefix = _searchable(prefix)
    if not prefix:
        return []
    return [
        KnownParty(
            str(r["name"]),
            str(r["kind"]),
            str(r["id_number"]),
            str(r["credit_code"]),
            str(r["phone"]),
            str(r["address"]),
            str(r["legal_representative"]),
        )
        for r in store.known_parties(ws.db.connection, prefix, limit)
    ]


def known_lawyers(ws: Workspace, prefix: str, limit: int = SUGGESTIONS) -> list[KnownLawyer]:
    """Agents ad litem whose name starts with what was typed, with their firm and licence."""
    require(ws.actor, Permission.VIEW_CASES)
    prefix = _searchable(prefix)
    if not prefix:
        return []
    return [
        KnownLawyer(
            str(r["name"]),
            str(r["kind"]),
            str(r["law_firm"]),
            str(r["licence_number"]),
            str(r["phone"]),
        )
        for r in store.known_lawyers(ws.db.connection, prefix, limit)
    ]


def known_firms(ws: Workspace, prefix: str, limit: int = SUGGESTIONS) -> list[str]:
    """Law firms whose name starts with what was typed."""
    require(ws.actor, Permission.VIEW_CASES)
    prefix = _searchable(prefix)
    return store.known_firms(ws.db.connection, prefix, limit) if prefix else []


def find_duplicates(
    ws: Workspace, cause: str, parties: Sequence[PartyDraft]
) -> list[PossibleDuplicate]:
    """Open cases with the same cause that involve every named party of the new case.

    A party counts as the same when the name is the same, or when a citizen ID
    number was entered and an existing party has it. This is a warning for the
    clerk (重复起诉 is for the judge to decide), so it errs towards showing a case.
    """
    require(ws.actor, Permission.VIEW_CASES)
    cause = _searchable(cause)
    named = [p for p in parties if _searchable(p.name)]
    if not cause or not named:
        return []
    conn = ws.db.connection
    found: set[int] | None = None
    with ws.db.snapshot():
        for party in named:
            ids = store.open_cases_with_party(
                conn,
                cause,
                clean_text(party.name),
                normalise_id_number(_searchable(party.id_number)),
            )
            found = ids if found is None else found & ids
            if not found:
                return []
        rows = store.case_briefs(conn, sorted(found or ())[:MAX_DUPLICATES])
    return [
        PossibleDuplicate(
            int(r["id"]),
            str(r["case_number"]),
            str(r["cause"]),
            str(r["parties_summary"]),
            str(r["filing_date"]),
            CaseStatus(r["status"]).label,
            str(r["judge_name"]),
        )
        for r in rows
    ]
