"""The life of a case in the docket."""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    REGISTERED = "registered"  # 已立案, awaiting assignment
    PENDING = "pending"  # 审理中 / 执行中
    SUSPENDED = "suspended"  # 中止
    CLOSED = "closed"  # 已结案
    ARCHIVED = "archived"  # 已归档

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in (CaseStatus.REGISTERED, CaseStatus.PENDING, CaseStatus.SUSPENDED)


_LABELS = {
    CaseStatus.REGISTERED: "待分案",
    CaseStatus.PENDING: "审理中",
    CaseStatus.SUSPENDED: "中止",
    CaseStatus.CLOSED: "已结案",
    CaseStatus.ARCHIVED: "已归档",
}


# The statuses of a case still before the court (the docket's 未结案件), as stored.
OPEN_STATUSES: tuple[str, ...] = tuple(s.value for s in CaseStatus if s.is_open)
