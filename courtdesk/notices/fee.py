"""缴纳诉讼费用通知书: the case acceptance fee to prepay (《诉讼费用交纳办法》).

The amount comes from the fee rules (domain.fees, computed by services); payment
is due within seven days from the day after the notice is received (§22). The
bank details of the court's fee account are court settings.

Who prepays, and how much each notice says is owed: the acceptance fee is one
amount for the case, computed on the whole claim (§13), and it is prepaid by the
claimant side (原告, 有独立请求权的第三人, 上诉人; §20). The Measures do not split
the prepayment among co-plaintiffs (who finally bears the fee is decided with the
judgment, §29), so several plaintiffs prepay that one sum together. Each of them
gets a notice, and a notice to one of them states the case's total, names every
plaintiff who prepays it jointly, and says it is paid once, not by each in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from courtdesk.domain.money import format_yuan
from courtdesk.notices.base import (
    CaseFacts,
    NoticeDefinition,
    Recipient,
    chinese_count,
    letter_spec,
    letter_values,
    you,
    yuan_in_capitals,
)
from courtdesk.notices.template import Field

PAYMENT_DAYS = 7  # 《诉讼费用交纳办法》第二十二条


@dataclass(frozen=True)
class FeeNoticeData:
    case: CaseFacts
    recipient: Recipient
    issued: date
    amount: Decimal
    # Everyone who prepays this one fee together, as (role, name): the claimant side of
    # the case. One (or none, for plain data) is a sole plaintiff's own fee.
    payers: tuple[tuple[str, str], ...] = ()
    basis: str = ""  # how the fee was computed, e.g. 财产案件按标的额分段累计，简易程序减半
    payee: str = ""
    bank: str = ""
    account: str = ""
    payment_days: int = PAYMENT_DAYS


SPEC = letter_spec(
    "fee",
    "缴纳诉讼费用通知书",
    Field("诉讼费金额", "本案应预交的案件受理费总额（元）", hint="无法计算诉讼费"),
    Field(
        "预交",
        "谁预交：一名原告为“你应当预交”；多名原告为“原告甲、乙应当共同预交”",
    ),
    Field(
        "共同预交说明",
        "多名原告时说明金额为全案总额、共同交纳一次；只有一名原告时为空",
        required=False,
    ),
    Field("诉讼费大写", "金额大写，例如贰仟叁佰元整"),
    Field("计算依据", "诉讼费的计算依据", required=False),
    Field("缴费期限", "交纳期限，例如“七日”"),
    Field("收款单位", "诉讼费收款账户户名（文书设置）", required=False),
    Field("开户银行", "诉讼费收款账户开户行（文书设置）", required=False),
    Field("收款账号", "诉讼费收款账号（文书设置）", required=False),
    optional=("送达地址", "书记员", "被告"),
    essential=("诉讼费金额",),
)


def role_names(people: Sequence[tuple[str, str]]) -> str:
    """原告王堃、李喆、第三人赵某: each role named once before its people, in order."""
    parts: list[str] = []
    previous = None
    for role, name in people:
        parts.append(name if role == previous else f"{role}{name}")
        previous = role
    return "、".join(parts)


def _who_prepays(data: FeeNoticeData) -> tuple[str, str]:
    """The 预交 clause and, for several payers, the sentence that says the sum is paid once."""
    if len(data.payers) < 2:
        return f"{you(data.recipient)}应当预交", ""
    return (
        f"{role_names(data.payers)}应当共同预交",
        "该款为全案总额，共同交纳一次，不是每人各交。",
    )


def values(data: FeeNoticeData) -> dict[str, str]:
    prepays, jointly = _who_prepays(data)
    return letter_values(data) | {
        "预交": prepays,
        "共同预交说明": jointly,
        "诉讼费金额": format_yuan(data.amount),
        "诉讼费大写": yuan_in_capitals(data.amount),
        "计算依据": data.basis,
        "缴费期限": chinese_count(data.payment_days) + "日",
        "收款单位": data.payee,
        "开户银行": data.bank,
        "收款账号": data.account,
    }


DEFINITION = NoticeDefinition(SPEC, values)
