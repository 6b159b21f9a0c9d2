"""Demo data for trial time limits: conversions, extensions, excluded periods, closing, archiving.

Called by services.demo for each generated case with the status the generator
chose (open, 中止, closed, archived). It invents plausible facts around that
status and derives the case's columns with the same domain functions the
services use (domain.time_limit.compute, domain.closing), so a demo case looks
exactly as if clerks and judges had entered it through the program:

- an open 中止 period ⇔ the 中止 status; closed cases have every period ended;
- extensions are applied for before expiry (a few late) and decided a few days
  later, by the president or, for higher-court rungs, with a reply number;
- closed cases close mostly inside their (extended) limit, a few over it;
- the closing date follows from the manner and its service or pronouncement.

Rows come back as tuples for bulk inserts (store.bulk).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.closing import (
    ClosingInputs,
    Delivery,
    Manner,
    PartyService,
    ServiceMethod,
    describe,
    manners_for,
)
from courtdesk.domain.time_limit import (
    CONVERSIONS,
    Exclusion,
    ExclusionKind,
    Extension,
    TimeLimitInputs,
    TimeLimitState,
    compute,
    extension_rule,
    trial_days,
)

# Columns the planner fills on the case row, in the order of ``Plan.case_values``.
CASE_COLUMNS = (
    "time_limit_paused_since",
    "time_limit_excluded_days",
    "extensions_granted",
    "closing_manner",
    "closed_within_limit",
    "trial_days",
    "archived_date",
)
EXTENSION_COLUMNS = (
    "case_id",
    "procedure",
    "length_months",
    "length_days",
    "approver",
    "reason",
    "applied_by",
    "applied_on",
    "expiry_when_applied",
    "late_application",
    "status",
    "decided_by",
    "decided_on",
    "decision_note",
    "reply_reference",
    "late_decision",
    "created_at",
)
EXCLUSION_COLUMNS = (
    "case_id",
    "kind",
    "start_date",
    "end_date",
    "reason",
    "approved_by",
    "document_ref",
    "opened_by",
    "closed_by",
    "created_at",
)
CONVERSION_COLUMNS = (
    "case_id",
    "from_procedure",
    "to_procedure",
    "decided_on",
    "restarts",
    "reason",
    "recorded_by",
    "created_at",
)
CLOSING_COLUMNS = (
    "case_id",
    "manner",
    "delivery",
    "pronounced_on",
    "closed_date",
    "note",
    "recorded_by",
    "recorded_at",
)
SERVICE_COLUMNS = ("case_id", "party_id", "method", "service_date")
ARCHIVE_COLUMNS = ("case_id", "archived_on", "archive_number", "archived_by", "created_at")

# (kind, categories, probability, first day after filing, shortest, longest, reasons)
_PERIODS: tuple[
    tuple[ExclusionKind, frozenset[str], float, int, int, int, tuple[str, ...]], ...
] = (
    (
        ExclusionKind.PUBLIC_NOTICE,
        frozenset({"civil", "administrative"}),
        0.09,
        5,
        30,
        30,
        ("被告下落不明，公告送达起诉状副本及开庭传票", "公告送达判决书"),
    ),
    (
        ExclusionKind.APPRAISAL,
        frozenset({"civil", "criminal"}),
        0.05,
        20,
        30,
        150,
        ("当事人申请伤残等级鉴定", "笔迹鉴定", "工程造价鉴定", "司法精神病鉴定"),
    ),
    (
        ExclusionKind.JURISDICTION,
        frozenset({"civil"}),
        0.03,
        8,
        15,
        40,
        ("被告提出管辖权异议",),
    ),
    (
        ExclusionKind.SETTLEMENT,
        frozenset({"civil"}),
        0.03,
        20,
        10,
        30,
        ("双方当事人申请庭外和解",),
    ),
    (
        ExclusionKind.AUDIT,
        frozenset({"enforcement"}),
        0.08,
        15,
        20,
        60,
        ("委托评估被执行人房产价值", "委托审计被执行人账目"),
    ),
    (
        ExclusionKind.AUCTION,
        frozenset({"enforcement"}),
        0.10,
        40,
        45,
        150,
        ("网络司法拍卖被执行人房产", "变卖查封车辆"),
    ),
    (
        ExclusionKind.ENFORCEMENT_SETTLEMENT,
        frozenset({"enforcement"}),
        0.06,
        20,
        30,
        180,
        ("双方达成执行和解协议，分期履行",),
    ),
    (
        ExclusionKind.ENFORCEMENT_STAY,
        frozenset({"enforcement"}),
        0.02,
        10,
        30,
        90,
        ("被执行人提供担保，申请暂缓执行",),
    ),
)
_SUSPENSION_REASONS = (
    "本案须以另一案的审理结果为依据，而另一案尚未审结",
    "一方当事人死亡，需要等待继承人表明是否参加诉讼",
    "被执行人进入破产程序",
)
# Chance that a case of this procedure needed (and got) an extension.
_EXTENSION_SHARE = {
    "civil_ordinary": 0.16,
    "civil_summary": 0.08,
    "civil_small_claims": 0.04,
    "civil_special": 0.03,
    "criminal_public": 0.12,
    "admin_first": 0.10,
    "enforcement": 0.14,
}
_EXTENSION_REASONS = (
    "案情复杂，需要进一步调查取证",
    "涉及鉴定，证据尚未收集完毕",
    "当事人众多，送达困难",
)
_CONVERSION_SHARE = {
    "civil_summary": ("civil_ordinary", 0.07),
    "civil_small_claims": ("civil_summary", 0.05),
    "admin_summary": ("admin_first", 0.12),
    "criminal_summary": ("criminal_public", 0.04),
}
_MANNER_WEIGHTS: dict[Manner, int] = {
    Manner.JUDGMENT: 40,
    Manner.MEDIATION: 30,
    Manner.WITHDRAWAL: 22,
    Manner.DISMISSAL: 3,
    Manner.TRANSFER: 2,
    Manner.TERMINATION: 1,
    Manner.UPHELD: 40,
    Manner.APPEAL_WITHDRAWN: 8,
    Manner.REMAND: 5,
    Manner.TRIAL_TERMINATED: 1,
    Manner.RULING: 60,
    Manner.APPLICATION_REJECTED: 10,
    Manner.APPLICATION_WITHDRAWN: 15,
    Manner.ENFORCED: 35,
    Manner.ROUND_ENDED: 45,
    Manner.ENFORCEMENT_ENDED: 10,
    Manner.NOT_ENFORCED: 2,
    Manner.CANCELLED: 4,
    Manner.OTHER: 1,
}


@dataclass
class CaseSeed:
    """What the demo generator decided about a case before the 审限 facts."""

    case_id: int
    type_code: str
    category: str
    procedure: str
    filed: date
    status: CaseStatus
    closed: date | None
    judge_id: int | None
    clerk_id: int | None
    chief_id: int | None
    president_id: int | None
    parties: list[tuple[int, str]]  # (party id, name)


@dataclass
class Plan:
    procedure: str
    status: CaseStatus
    closed: date | None
    expiry: date | None
    case_values: tuple[Any, ...]  # CASE_COLUMNS
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)


class TimeLimitPlanner:
    def __init__(self, rng: random.Random, as_of: date, stamp: str) -> None:
        self.rng = rng
        self.as_of = as_of
        self.stamp = stamp

    def plan(self, seed: CaseSeed) -> Plan:
        rng = self.rng
        rows: dict[str, list[tuple[Any, ...]]] = {
            "time_limit_extensions": [],
            "time_limit_exclusions": [],
            "procedure_conversions": [],
            "case_closings": [],
            "case_closing_services": [],
            "case_archives": [],
        }
        if seed.status is CaseStatus.REGISTERED:
            result = compute(TimeLimitInputs(seed.procedure, seed.filed), self.as_of)
            return Plan(
                seed.procedure,
                seed.status,
                None,
                result.expiry,
                (None, 0, 0, None, None, None, None),
                rows,
            )
        # The last day anything can have happened: today, or a little before closing.
        horizon = self.as_of if seed.closed is None else seed.closed
        procedure, start = self._conversion(seed, horizon, rows)
        exclusions = self._exclusions(seed, horizon)
        if seed.status is CaseStatus.SUSPENDED:
            first = max(
                seed.filed + timedelta(days=1), self.as_of - timedelta(days=rng.randint(5, 200))
            )
            exclusions = [e for e in exclusions if (e.end or self.as_of) < first]
            exclusions.append(Exclusion(ExclusionKind.SUSPENSION, first, None))
        approved = self._extension(seed, procedure, start, exclusions, rows)
        closed = seed.closed
        if closed is not None:
            closed = self._closing_day(seed, procedure, start, approved, exclusions, rows)
            exclusions = [e for e in exclusions if e.start <= closed]
            exclusions = [
                Exclusion(e.kind, e.start, closed if e.end is None or e.end > closed else e.end)
                for e in exclusions
            ]
        inputs = TimeLimitInputs(procedure, start, tuple(approved), tuple(exclusions), closed)
        result = compute(inputs, self.as_of)
        for ex in exclusions:
            rows["time_limit_exclusions"].append(self._exclusion_row(seed, ex))
        manner: Manner | None = None
        within: int | None = None
        days: int | None = None
        archived: date | None = None
        status = seed.status
        if closed is not None:
            manner = self._close(seed, procedure, closed, rows)
            if result.tracked:
                within = int(result.state is TimeLimitState.CLOSED_WITHIN)
            days = trial_days(seed.filed, closed, exclusions)
            if status is CaseStatus.ARCHIVED:
                archived = min(self.as_of, closed + timedelta(days=rng.randint(20, 150)))
                rows["case_archives"].append(
                    (
                        seed.case_id,
                        archived.isoformat(),
                        f"{closed.year}-{seed.type_code}-{seed.case_id:06d}",
                        seed.clerk_id,
                        self.stamp,
                    )
                )
        settled = TimeLimitInputs(
            procedure, start, tuple(approved), tuple(e for e in exclusions if e.end), closed
        )
        excluded = (
            compute(settled, self.as_of).excluded_days
            if result.provisional
            else result.excluded_days
        )
        values = (
            None if result.paused_since is None else result.paused_since.isoformat(),
            excluded,
            len(approved),
            None if manner is None else manner.value,
            within,
            days,
            None if archived is None else archived.isoformat(),
        )
        expiry = None if result.provisional else result.expiry
        return Plan(procedure, status, closed, expiry, values, rows)

    # ------------------------------------------------------------ facts
    def _conversion(
        self, seed: CaseSeed, horizon: date, rows: dict[str, list[tuple[Any, ...]]]
    ) -> tuple[str, date]:
        option = _CONVERSION_SHARE.get(seed.procedure)
        if option is None or self.rng.random() >= option[1]:
            return seed.procedure, seed.filed
        target, _ = option
        decided = seed.filed + timedelta(days=self.rng.randint(15, 70))
        if decided >= horizon:
            return seed.procedure, seed.filed
        rule = CONVERSIONS[seed.procedure][target]
        rows["procedure_conversions"].append(
            (
                seed.case_id,
                seed.procedure,
                target,
                decided.isoformat(),
                int(rule.restarts),
                "案情复杂，不宜适用原程序审理",
                seed.judge_id,
                self.stamp,
            )
        )
        return target, decided if rule.restarts else seed.filed

    def _exclusions(self, seed: CaseSeed, horizon: date) -> list[Exclusion]:
        rng = self.rng
        found: list[Exclusion] = []
        for kind, categories, share, after, shortest, longest, _ in _PERIODS:
            if seed.category not in categories or rng.random() >= share:
                continue
            first = seed.filed + timedelta(days=rng.randint(after, after + 30))
            if first > horizon:
                continue
            last = first + timedelta(days=rng.randint(shortest, longest) - 1)
            found.append(Exclusion(kind, first, None if last > self.as_of else last))
        return found

    def _extension(
        self,
        seed: CaseSeed,
        procedure: str,
        start: date,
        exclusions: list[Exclusion],
        rows: dict[str, list[tuple[Any, ...]]],
    ) -> list[Extension]:
        rng = self.rng
        rule = extension_rule(procedure)
        if not rule.extendable or rng.random() >= _EXTENSION_SHARE.get(procedure, 0.0):
            return []
        step = rule.steps[0]
        before = compute(TimeLimitInputs(procedure, start, (), tuple(exclusions)), self.as_of)
        if before.expiry is None or before.provisional:
            return []
        late = rng.random() < 0.1
        applied = before.expiry - timedelta(
            days=rng.randint(5, 14) if late else rng.randint(15, 30)
        )
        if applied <= seed.filed + timedelta(days=1) or applied > self.as_of:
            return []
        decided = applied + timedelta(days=rng.randint(1, 6))
        pending = decided >= self.as_of - timedelta(days=1)
        if pending and seed.closed is not None:
            return []
        approver_id = seed.president_id if step.approver.is_external else seed.chief_id
        rows["time_limit_extensions"].append(
            (
                seed.case_id,
                procedure,
                step.default.months,
                step.default.days,
                step.approver.value,
                rng.choice(_EXTENSION_REASONS),
                seed.judge_id,
                applied.isoformat(),
                before.expiry.isoformat(),
                int(late),
                "pending" if pending else "approved",
                None if pending else approver_id,
                None if pending else decided.isoformat(),
                "" if pending else "同意延长",
                f"（{decided.year}）吉01民他{seed.case_id % 997 + 1}号"
                if step.approver.is_external and not pending
                else "",
                int(not pending and decided > before.expiry - timedelta(days=5)),
                self.stamp,
            )
        )
        return [] if pending else [Extension(step.default, step.approver)]

    def _closing_day(
        self,
        seed: CaseSeed,
        procedure: str,
        start: date,
        approved: list[Extension],
        exclusions: list[Exclusion],
        rows: dict[str, list[tuple[Any, ...]]],
    ) -> date:
        """A closing day consistent with the limit: mostly inside it, a few cases over it."""
        assert seed.closed is not None
        rng = self.rng
        limit = compute(
            TimeLimitInputs(procedure, start, tuple(approved), tuple(exclusions)), self.as_of
        ).expiry
        if limit is None:
            return seed.closed
        span = max(1, (limit - seed.filed).days)
        if approved:
            share = rng.uniform(0.7, 0.99)
        elif rng.random() < 0.05:
            share = rng.uniform(1.01, 1.25)
        else:
            share = rng.uniform(0.1, 0.97)
        day = seed.filed + timedelta(days=max(1, int(span * share)))
        decided = [
            date.fromisoformat(r[12]) for r in rows["time_limit_extensions"] if r[12] is not None
        ]
        if decided:
            day = max(day, max(decided) + timedelta(days=1))
        return min(day, self.as_of - timedelta(days=1)) if day >= self.as_of else day

    def _close(
        self,
        seed: CaseSeed,
        procedure: str,
        closed: date,
        rows: dict[str, list[tuple[Any, ...]]],
    ) -> Manner:
        rng = self.rng
        options = manners_for(procedure)
        manner = rng.choices(options, weights=[_MANNER_WEIGHTS.get(m, 1) for m in options])[0]
        services: list[PartyService] = []
        if manner is Manner.MEDIATION or rng.random() < 0.12:
            methods = (ServiceMethod.DIRECT, ServiceMethod.POST, ServiceMethod.ELECTRONIC)
            for index, (party_id, name) in enumerate(seed.parties):
                method = rng.choices(methods, weights=(70, 25, 5))[0]
                day = (
                    closed
                    if index == len(seed.parties) - 1
                    else closed - timedelta(days=rng.randint(0, 3))
                )
                services.append(PartyService(party_id, name, method, max(day, seed.filed)))
        if services:
            inputs = ClosingInputs(manner, Delivery.SERVED, services=tuple(services))
            for s in services:
                rows["case_closing_services"].append(
                    (seed.case_id, s.party_id, s.method.value, s.day.isoformat())
                )
        else:
            inputs = ClosingInputs(manner, Delivery.PRONOUNCED, pronounced_on=closed)
        rows["case_closings"].append(
            (
                seed.case_id,
                manner.value,
                inputs.delivery.value,
                None if inputs.pronounced_on is None else closed.isoformat(),
                closed.isoformat(),
                describe(inputs, closed),
                seed.clerk_id or seed.judge_id,
                self.stamp,
            )
        )
        return manner

    def _exclusion_row(self, seed: CaseSeed, ex: Exclusion) -> tuple[Any, ...]:
        if ex.kind is ExclusionKind.SUSPENSION:
            reason = self.rng.choice(_SUSPENSION_REASONS)
        else:
            reason = self.rng.choice(next(p[6] for p in _PERIODS if p[0] is ex.kind))
        return (
            seed.case_id,
            ex.kind.value,
            ex.start.isoformat(),
            None if ex.end is None else ex.end.isoformat(),
            reason,
            seed.chief_id or seed.judge_id,
            "",
            seed.clerk_id,
            None if ex.end is None else seed.clerk_id,
            self.stamp,
        )
