"""Procedures (程序) and their base trial time limits (审限), domain-rules.md section 2.

A procedure belongs to a case, not to its type: a 民初 case can be ordinary,
summary or small claims, and may be converted later keeping its start date.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """A period written as months plus days (刑事简易 "一个半月" is 1 month + 15 days)."""

    months: int = 0
    days: int = 0

    def __str__(self) -> str:
        parts = []
        if self.months:
            parts.append(f"{self.months}个月")
        if self.days:
            parts.append(f"{self.days}日")
        return "".join(parts) or "无"


@dataclass(frozen=True)
class Procedure:
    code: str
    label: str
    base_limit: Limit | None  # None: no statutory 审限 tracked for this procedure
    basis: str  # the article the limit comes from


_ALL = (
    Procedure("civil_ordinary", "普通程序", Limit(months=6), "民诉法第152条"),
    Procedure("civil_summary", "简易程序", Limit(months=3), "民诉法第164条"),
    Procedure("civil_small_claims", "小额诉讼程序", Limit(months=2), "民诉法第168条"),
    Procedure("civil_appeal_judgment", "二审（对判决上诉）", Limit(months=3), "民诉法第183条"),
    Procedure("civil_appeal_ruling", "二审（对裁定上诉）", Limit(days=30), "民诉法第183条"),
    Procedure("civil_special", "特别程序", Limit(days=30), "民诉法第187条"),
    Procedure("civil_other", "其他民事程序", None, ""),
    Procedure("criminal_public", "公诉一审", Limit(months=2), "刑诉法第208条"),
    Procedure("criminal_summary", "刑事简易程序", Limit(days=20), "刑诉法第220条"),
    Procedure(
        "criminal_summary_long",
        "刑事简易程序（可能判处三年以上）",
        Limit(months=1, days=15),
        "刑诉法第220条",
    ),
    Procedure("criminal_fast_track", "速裁程序", Limit(days=10), "刑诉法第225条"),
    Procedure(
        "criminal_fast_track_long",
        "速裁程序（可能判处一年以上）",
        Limit(days=15),
        "刑诉法第225条",
    ),
    # 自诉: the law gives six months when the defendant is not in custody (刑诉法 §212);
    # domain-rules.md is silent, so that is the default chosen here.
    Procedure("criminal_private", "自诉", Limit(months=6), "刑诉法第212条"),
    Procedure("criminal_appeal", "刑事二审", Limit(months=2), "刑诉法第243条"),
    Procedure("criminal_other", "其他刑事程序", None, ""),
    Procedure("admin_first", "行政一审普通程序", Limit(months=6), "行诉法第81条"),
    Procedure("admin_summary", "行政简易程序", Limit(days=45), "行诉法第83条"),
    Procedure("admin_appeal", "行政二审", Limit(months=3), "行诉法第88条"),
    Procedure("admin_other", "其他行政程序", None, ""),
    Procedure("enforcement", "执行实施", Limit(months=6), "执行案件审限规定"),
    Procedure("enforcement_other", "执行审查", None, ""),
    Procedure("preservation", "保全", None, ""),
    Procedure("bankruptcy", "破产与强制清算", None, ""),
    Procedure("sanction", "司法制裁", None, ""),
)

PROCEDURES: dict[str, Procedure] = {p.code: p for p in _ALL}


def procedure(code: str) -> Procedure:
    return PROCEDURES[code]
