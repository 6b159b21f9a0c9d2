"""What every notice shares: the case facts, the recipient, the common placeholders,
the standard composition of a notice from its template, and rendering to PDF.

A notice module defines its plain data class, its ``TemplateSpec`` and a
``NoticeDefinition`` (how to turn its data into placeholder values, and any layout
of its own); ``render`` does the rest for one recipient or a batch, into one PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from courtdesk.domain.dates import chinese_date, document_clock, document_date
from courtdesk.errors import FieldProblem, ValidationError
from courtdesk.notices.fonts import FontStack
from courtdesk.notices.layout import (
    NOTE_ITEMS,
    DocBuilder,
    Faces,
    PageSetup,
    Progress,
    check_printable,
    paint,
)
from courtdesk.notices.template import (
    Field,
    Template,
    TemplateSpec,
    fill,
    placeholders,
    raise_missing,
    table_rows,
)
from courtdesk.resources import resource_path

_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class CaseFacts:
    """The case as every notice names it."""

    court_name: str
    case_number: str
    cause: str
    claimants: tuple[str, ...] = ()
    respondents: tuple[str, ...] = ()
    third_parties: tuple[str, ...] = ()  # 第三人, named after the respondents
    judge: str = ""
    clerk: str = ""
    division: str = ""
    filing_date: date | None = None
    procedure_label: str = ""
    court_phone: str = ""
    court_address: str = ""


@dataclass(frozen=True)
class Recipient:
    """The person or organisation a notice is addressed to."""

    name: str
    role: str = ""  # 原告, 被告, 证人, 诉讼代理人 …
    address: str = ""
    phone: str = ""
    is_organisation: bool = False

    @property
    def label(self) -> str:
        return f"{self.role}{self.name}"


COMMON_FIELDS: tuple[Field, ...] = (
    Field("法院", "本院名称"),
    Field("案号", "案号，例如（2026）吉0193民初1234号"),
    Field("案由", "案由"),
    Field("原告", "原告（起诉一方）的名称，多人以顿号分隔", hint="本案没有登记原告一方"),
    Field("被告", "被告（被诉一方）的名称，多人以顿号分隔", hint="本案没有登记被告一方"),
    # "原告甲诉被告乙、第三人丙某某纠纷一案": the value carries its own 、第三人 so a
    # case without one reads as before.
    Field("第三人", "有第三人时为“、第三人某某”，接在被告之后；没有则为空", required=False),
    Field("承办人", "承办法官", hint="本案尚未分配承办人"),
    Field("书记员", "书记员", hint="本案尚未指定书记员"),
    Field("承办部门", "承办庭室", required=False),
    Field("立案日期", "立案日期", required=False),
    Field("程序", "适用程序，例如简易程序", required=False),
    # Contact lines are left out while the court has not set them (see says_something).
    Field("联系电话", "法院联系电话（文书设置）", required=False),
    Field("法院地址", "法院地址（文书设置）", required=False),
    Field("受送达人", "收件人的名称"),
    Field("诉讼地位", "收件人在本案中的地位，例如被告", required=False),
    Field("送达地址", "收件人的地址", hint="请先在当事人信息中填写地址"),
    Field("受送达人电话", "收件人的联系电话", required=False),
    Field("日期", "文书落款日期（中文数字）"),
)


def date_text(day: date) -> str:
    """2026年11月25日 (Arabic numerals, as in the body of a notice)."""
    return document_date(day)


def hearing_time_text(start: datetime) -> str:
    """2026年11月25日（星期三）上午9时00分."""
    return (
        f"{document_date(start.date())}（星期{_WEEKDAYS[start.weekday()]}）{document_clock(start)}"
    )


def names(people: Sequence[str]) -> str:
    return "、".join(people)


def common_values(case: CaseFacts, recipient: Recipient | None, issued: date) -> dict[str, str]:
    values = {
        "法院": case.court_name,
        "案号": case.case_number,
        "案由": case.cause,
        "原告": names(case.claimants),
        "被告": names(case.respondents),
        "第三人": f"、第三人{names(case.third_parties)}" if case.third_parties else "",
        "承办人": case.judge,
        "书记员": case.clerk,
        "承办部门": case.division,
        "立案日期": date_text(case.filing_date) if case.filing_date else "",
        "程序": case.procedure_label,
        "联系电话": case.court_phone,
        "法院地址": case.court_address,
        "日期": chinese_date(issued),
    }
    if recipient is not None:
        values |= {
            "受送达人": recipient.name,
            "诉讼地位": recipient.role,
            "送达地址": recipient.address,
            "受送达人电话": recipient.phone,
        }
    return values


@dataclass(frozen=True)
class NoticeDefinition:
    """One kind of notice: its template spec and how its data fills and lays out.

    A kind's data is a frozen dataclass with ``case`` (CaseFacts), ``issued``
    (the date the notice bears) and ``recipient`` (Recipient or None).
    ``values(data)`` gives the placeholder values; ``compose`` lays out one
    document (the standard letter/form composition unless the kind has its own);
    ``closing``: whether the court's name, date and seal close the document;
    ``barcode(data)`` the value printed as a barcode at the top, if any.
    """

    spec: TemplateSpec
    values: Callable[[Any], dict[str, str]]
    compose: Callable[[DocBuilder, Any, Template, NoticeDefinition], None] | None = None
    closing: bool = True
    barcode: Callable[[Any], str] | None = None
    notes_heading: str = "注意事项："
    label_chars: float = 6.5
    number_line: bool = True  # the 案号 under the title (forms that carry it in a row need not)
    landscape: bool = False  # A4 横向

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def title(self) -> str:
        return self.spec.title


def who(definition: NoticeDefinition, data: Any) -> str:
    """The document named for messages: 传票（被告张三）."""
    recipient: Recipient | None = getattr(data, "recipient", None)
    return f"{definition.title}（{recipient.label}）" if recipient else definition.title


def compose_standard(
    builder: DocBuilder, data: Any, template: Template, definition: NoticeDefinition
) -> None:
    """Lay a notice out from its template: heading, 案号, sections, closing, notes."""
    spec = definition.spec
    values = definition.values(data)
    label = who(definition, data)
    case: CaseFacts = data.case

    missing: list[str] = []

    def filled(section: str) -> list[str]:
        lines = template.lines(section)
        if section == "附注":
            # a contact line (or item of one) whose optional values are all unset says
            # nothing: leave it out
            lines = [kept for line in lines if (kept := what_is_said(spec, line, values))]
        return [fill(spec, line, values, label, missing) for line in lines]

    # Fill everything first: every missing value is named at once, before layout.
    parts: dict[str, Any] = {}
    for section in spec.sections:
        if section == "表格":
            parts[section] = [
                (
                    fill(spec, lab, values, label, missing),
                    fill(spec, content, values, label, missing),
                    n,
                )
                for lab, content, n in table_rows(template)
            ]
        else:
            parts[section] = filled(section)
    raise_missing(missing, label)

    if definition.barcode is not None:
        builder.barcode(definition.barcode(data))
    builder.heading(case.court_name, " ".join(parts.get("标题", [])) or spec.title)
    if definition.number_line:
        builder.case_number(case.case_number)
    for line in parts.get("称呼", []):
        builder.aligned(line)
    for paragraph in parts.get("说明", []):
        builder.paragraph(paragraph)
    if parts.get("表格"):
        builder.table(parts["表格"], label_chars=definition.label_chars)
    for paragraph in parts.get("正文", []):
        builder.paragraph(paragraph)
    if definition.closing:
        builder.closing(case.court_name, chinese_date(data.issued))
    builder.notes(definition.notes_heading, parts.get("注意事项", []))
    # contact and account lines after the seal, in small print set closer if need be
    builder.notes("", parts.get("附注", []), indent_chars=0.0)


def what_is_said(spec: TemplateSpec, line: str, values: Mapping[str, str]) -> str:
    """A 附注 line without its items (``NOTE_ITEMS``) that say nothing; empty if none does."""
    items = line.split(NOTE_ITEMS)
    return NOTE_ITEMS.join(item for item in items if says_something(spec, item, values))


def says_something(spec: TemplateSpec, line: str, values: Mapping[str, str]) -> bool:
    """Whether a line has anything to say: not only optional placeholders left empty."""
    names, _ = placeholders(line)
    if not names:
        return True
    return any(
        values.get(name) or (spec.field(name) is not None and spec.field(name).required)  # type: ignore[union-attr]
        for name in names
    )


@cache
def default_template_text(kind: str) -> str:
    """The shipped wording of a kind (resources/notices/<kind>.txt)."""
    return resource_path("notices", f"{kind}.txt").read_text(encoding="utf-8")


@cache
def _faces(fonts: FontStack) -> Faces:
    return Faces(fonts)


def render(
    definition: NoticeDefinition,
    items: Sequence[Any],
    template: Template,
    setup: PageSetup,
    fonts: FontStack,
    progress: Progress | None = None,
    title: str = "",
) -> bytes:
    """One PDF with a document for each item (one recipient each), in order.

    Every item is filled and laid out first; missing values (all of them, for
    every recipient) and characters no font can draw are reported before a page
    is painted. ``progress(done, total)`` is called as documents are laid out and
    painted; it may raise ``Cancelled`` to stop.
    """
    if not items:
        raise ValidationError([FieldProblem("notice", f"没有可以生成{definition.title}的对象")])
    faces = _faces(fonts)
    if definition.landscape:
        setup = setup.turned()
    compose = definition.compose or compose_standard
    total = len(items) * 2
    builders: list[DocBuilder] = []
    problems: list[FieldProblem] = []
    for index, item in enumerate(items):
        builder = DocBuilder(setup, faces, definition.title)
        try:
            compose(builder, item, template, definition)
        except ValidationError as error:
            problems += [p for p in error.problems if p not in problems]
        builders.append(builder)
        if progress is not None:
            progress(index + 1, total)
    if problems:
        raise ValidationError(problems)
    check_printable(builders, fonts)
    first_case: CaseFacts = items[0].case
    documents = [b.finish() for b in builders]

    def painted(done: int, _count: int) -> None:
        if progress is not None:
            progress(len(items) + done, total)

    return paint(
        documents,
        setup,
        faces,
        title or _pdf_title(definition, items, first_case),
        first_case.court_name,
        painted,
    )


def _pdf_title(definition: NoticeDefinition, items: Sequence[Any], case: CaseFacts) -> str:
    if len(items) == 1:
        return f"{case.case_number} {who(definition, items[0])}"
    return f"{definition.title}（{len(items)}份）"


def merge_values(*parts: Mapping[str, str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for part in parts:
        result.update(part)
    return result


def with_fields(*extra: Field, optional: tuple[str, ...] = ()) -> tuple[Field, ...]:
    """The common placeholders plus a kind's own; ``optional`` relaxes common ones."""
    own = {f.name for f in extra}
    common = tuple(
        Field(f.name, f.help, required=False, hint=f.hint) if f.name in optional else f
        for f in COMMON_FIELDS
        if f.name not in own
    )
    return common + extra


YOU_FIELD = Field("你", "对收件人的称谓：自然人为“你”，单位为“你单位”")


def you(recipient: Recipient | None) -> str:
    """你 for a person, 你单位 for an organisation (the form of address court notices use)."""
    return "你单位" if recipient is not None and recipient.is_organisation else "你"


def chinese_count(value: int) -> str:
    """1–99 in Chinese numerals as periods are written: 七日, 十五日, 三十日."""
    digits = "〇一二三四五六七八九"
    if not 0 < value < 100:
        return str(value)
    tens, units = divmod(value, 10)
    if tens == 0:
        return digits[units]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


def yuan_in_capitals(amount: Decimal) -> str:
    """An amount in the capitals of financial documents: 2300.50 → 贰仟叁佰元伍角."""
    digits = "零壹贰叁肆伍陆柒捌玖"
    units = ["", "拾", "佰", "仟"]
    groups = ["", "万", "亿", "万亿"]
    fen_total = int((amount * 100).to_integral_value())
    yuan, fen = divmod(fen_total, 100)
    jiao, fen = divmod(fen, 10)
    text = ""
    if yuan:
        parts = []
        group_index = 0
        while yuan:
            yuan, chunk = divmod(yuan, 10000)
            chunk_text = ""
            zero = False
            for position in range(3, -1, -1):
                digit = chunk // 10**position % 10
                if digit:
                    if zero and chunk_text:
                        chunk_text += "零"
                    chunk_text += digits[digit] + units[position]
                    zero = False
                else:
                    zero = True
            if chunk_text:
                parts.append((group_index, chunk_text, chunk < 1000))
            group_index += 1
        text = ""
        for index, (group, chunk_text, short) in enumerate(reversed(parts)):
            if index and short:
                text += "零"
            text += chunk_text + groups[group]
        text = text.replace("零零", "零") + "元"
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += digits[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += digits[fen] + "分"
    return text


LETTER_SECTIONS = ("标题", "称呼", "正文", "附注")


def letter_spec(
    kind: str,
    title: str,
    *fields: Field,
    optional: tuple[str, ...] = (),
    essential: tuple[str, ...] = (),
) -> TemplateSpec:
    """The spec of a letter-style notice (称呼, 正文 paragraphs, closing, 附注 lines)."""
    return TemplateSpec(
        kind=kind,
        title=title,
        sections=LETTER_SECTIONS,
        fields=with_fields(YOU_FIELD, *fields, optional=optional),
        required_sections=("标题", "正文"),
        essential=essential,
    )


def letter_values(data: Any) -> dict[str, str]:
    """The common values of a notice addressed to ``data.recipient``, with its 你/你单位."""
    return common_values(data.case, data.recipient, data.issued) | {"你": you(data.recipient)}
