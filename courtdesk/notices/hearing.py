"""The facts of a hearing as notices print them (plain data; the schedule feature owns hearings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from courtdesk.notices.base import hearing_time_text
from courtdesk.notices.template import Field


@dataclass(frozen=True)
class HearingFacts:
    """When and where a hearing takes place."""

    start: datetime | None
    courtroom: str  # 第三法庭, 北湖人民法庭第一法庭
    address: str = ""  # where the courtroom is, for parties who have not been there
    is_public: bool = True

    @property
    def place(self) -> str:
        if not self.courtroom:
            return ""
        return f"{self.courtroom}（{self.address}）" if self.address else self.courtroom

    def values(self) -> dict[str, str]:
        return {
            "开庭时间": hearing_time_text(self.start) if self.start else "",
            "开庭地点": self.place,
        }


HEARING_FIELDS = (
    Field("开庭时间", "开庭的日期和时刻", hint="本案尚未安排开庭，请先在排期中安排"),
    Field("开庭地点", "法庭及其地址", hint="开庭尚未安排法庭"),
)
