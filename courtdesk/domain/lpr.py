"""The one-year loan prime rate (一年期贷款市场报价利率, LPR), domain-rules.md section 6.

The rate is fixed monthly on the 20th (moved to the next working day) and is in
force from its fixing date until the next fixing. The shipped table holds the
change points and the last fixing known when it was made; the court adds later
fixings (monthly, or only when the rate changed) and the table is known up to the
day before the fixing that follows the last one entered. A date past that is
refused with a message naming the month whose fixing is missing, never guessed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from courtdesk.errors import CourtdeskError
from courtdesk.resources import resource_path

FIRST_FIXING = date(2019, 8, 20)  # the reformed LPR starts here
FIXING_DAY = 20  # fixings are published on the 20th (or the next working day)


class LprUnknownError(CourtdeskError):
    """A date the LPR table does not reach yet (or before the reformed LPR existed)."""


@dataclass(frozen=True)
class LprFixing:
    day: date  # in force from this day
    rate: Decimal  # percent per year: 3.45 for 3.45 %
    entered_by: str = ""  # "" for the shipped table, else the administrator's username

    @property
    def shipped(self) -> bool:
        return not self.entered_by

    @property
    def cap(self) -> Decimal:
        """Four times the rate: the private-lending cap of 民间借贷规定 §25."""
        return self.rate * 4


def _month(day: date) -> str:
    return f"{day.year}年{day.month}月"


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class LprTable:
    """The fixings in date order; a court entry replaces a shipped one of the same day."""

    fixings: tuple[LprFixing, ...]

    @classmethod
    def combine(cls, shipped: Iterable[LprFixing], entered: Iterable[LprFixing]) -> LprTable:
        by_day = {f.day: f for f in shipped}
        by_day.update({f.day: f for f in entered})
        return cls(tuple(by_day[d] for d in sorted(by_day)))

    @property
    def last_fixing(self) -> LprFixing:
        return self.fixings[-1]

    @property
    def known_through(self) -> date:
        """The last day whose LPR is known: the day before the next month's fixing day.

        The next fixing can come on the 20th at the earliest, so the 19th of the
        month after the last fixing is the last day that is certainly covered.
        """
        following = _next_month(self.last_fixing.day)
        return following.replace(day=FIXING_DAY) - timedelta(days=1)

    def rate_on(self, day: date, what: str = "") -> LprFixing:
        """The fixing in force on ``day``; ``what`` names the date in messages (合同成立日 …)."""
        label = f"{what} {day.isoformat()}" if what else day.isoformat()
        if day < self.fixings[0].day:
            raise LprUnknownError(
                f"{label} 早于 {self.fixings[0].day.isoformat()}，当时尚无一年期LPR报价"
            )
        if day > self.known_through:
            needed = day if day.day >= FIXING_DAY else day.replace(day=1) - timedelta(days=1)
            first_missing = _next_month(self.last_fixing.day)
            months = (
                _month(first_missing)
                if (needed.year, needed.month) == (first_missing.year, first_missing.month)
                else f"{_month(first_missing)}至{_month(needed)}"
            )
            raise LprUnknownError(
                f"{label} 适用的一年期LPR尚未录入：缺少 {months} 的报价"
                f"（现有报价截至 {self.last_fixing.day.isoformat()}），"
                "请系统管理员在「工具 → LPR 报价表」中录入"
            )
        current = self.fixings[0]
        for fixing in self.fixings:
            if fixing.day > day:
                break
            current = fixing
        return current

    def change_points(self) -> list[LprFixing]:
        """The fixings at which the rate changed (the first one included)."""
        points: list[LprFixing] = []
        for fixing in self.fixings:
            if not points or fixing.rate != points[-1].rate:
                points.append(fixing)
        return points


@cache
def shipped_fixings() -> tuple[LprFixing, ...]:
    """The table shipped in resources/data/lpr.json."""
    data = json.loads(resource_path("data", "lpr.json").read_text(encoding="utf-8"))
    return tuple(LprFixing(date.fromisoformat(d), Decimal(r)) for d, r in data["fixings"])


def shipped_table() -> LprTable:
    return LprTable.combine(shipped_fixings(), ())


def check_fixing(day: date, rate: Decimal) -> list[str]:
    """What is wrong with a fixing an administrator typed (Chinese), or nothing."""
    problems = []
    if day < FIRST_FIXING:
        problems.append(f"报价日期不能早于 {FIRST_FIXING.isoformat()}（LPR 改革后首次报价）")
    if not FIXING_DAY <= day.day <= 31:
        problems.append(f"报价日期 {day.isoformat()} 不对：LPR 每月 20 日（遇节假日顺延）发布")
    if not rate.is_finite() or not Decimal("0.5") <= rate <= Decimal(20):
        problems.append(f"年利率 {rate}% 不合理（应在 0.5% 至 20% 之间）")
    elif rate != rate.quantize(Decimal("0.01")):
        problems.append("年利率最多两位小数（如 3.00）")
    return problems
