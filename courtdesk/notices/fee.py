"""缴纳诉讼费用通知书: the case acceptance fee to prepay (《诉讼费用交纳办法》).

The amount comes from the fee rules (domain.fees, computed by services); payment
is due within seven days from the day after the notice is received (§22). The
bank details of the court's fee account are court settings.
"""

from __future__ import annotations

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
    basis: str = ""  # how the fee was computed, e.g. 财产案件按标的额分段累计，简易程序减半
    payee: str = ""
    bank: str = ""
    account: str = ""
    payment_days: int = PAYMENT_DAYS


SPEC = letter_spec(
    "fee",
    "缴纳诉讼费用通知书",
    Field("诉讼费金额", "应预交的案件受理费（元）", hint="无法计算诉讼费"),
    Field("诉讼费大写", "金额大写，例如贰仟叁佰元整"),
    Field("计算依据", "诉讼费的计算依据", required=False),
    Field("缴费期限", "交纳期限，例如“七日”"),
    Field("收款单位", "诉讼费收款账户户名（文书设置）", required=False),
    Field("开户银行", "诉讼费收款账户开户行（文书设置）", required=False),
    Field("收款账号", "诉讼费收款账号（文书设置）", required=False),
    optional=("送达地址", "书记员", "被告"),
    essential=("诉讼费金额",),
)


def values(data: FeeNoticeData) -> dict[str, str]:
    return letter_values(data) | {
        "诉讼费金额": format_yuan(data.amount),
        "诉讼费大写": yuan_in_capitals(data.amount),
        "计算依据": data.basis,
        "缴费期限": chinese_count(data.payment_days) + "日",
        "收款单位": data.payee,
        "开户银行": data.bank,
        "收款账号": data.account,
    }


DEFINITION = NoticeDefinition(SPEC, values)
