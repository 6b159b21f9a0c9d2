"""Importing a batch of cases from a spreadsheet (``courtdesk import``).

Courts move to courtdesk with years of cases in Excel. The clerk saves the sheet
as CSV (UTF-8, or the GBK/GB18030 that Excel writes on Chinese Windows) with these
columns (a header row names them; order does not matter, unknown columns are
refused so a typo is not silently dropped):

    案件类型, 程序, 案由, 立案日期, 诉讼标的额, 原告, 原告证件号, 原告地址, 原告电话,
    被告, 被告证件号, 被告地址, 被告电话, 承办人, 书记员, 不公开审理

原告/被告 hold the claimant and respondent side of any case type (申请人,
公诉机关 … take the type's own role names); several names are separated by
「、」, and their 证件号/地址/电话 in the same order. An ID that checks as a
citizen ID makes a person, one that checks as a credit code an organisation.

The whole file is one transaction: every row goes through the same
``cases.register_case`` as the 立案 form (numbers, search index, audit rows), and
if any row is refused nothing is stored and every refused row is listed. A
crash or power cut in the middle leaves the database as it was before.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from courtdesk.domain.case_types import default_catalog
from courtdesk.domain.identity import check_credit_code, normalise_id_number, parse_citizen_id
from courtdesk.domain.money import parse_amount
from courtdesk.domain.parties import PartyDraft, PartyKind
from courtdesk.domain.procedures import PROCEDURES
from courtdesk.errors import CourtdeskError, FieldProblem, ValidationError
from courtdesk.services import audit, cases
from courtdesk.services.cases import CaseDraft
from courtdesk.services.permissions import Permission, require
from courtdesk.services.reference import people_with_role
from courtdesk.services.workspace import Workspace

COLUMNS = (
    "案件类型",
    "程序",
    "案由",
    "立案日期",
    "诉讼标的额",
    "原告",
    "原告证件号",
    "原告地址",
    "原告电话",
    "被告",
    "被告证件号",
    "被告地址",
    "被告电话",
    "承办人",
    "书记员",
    "不公开审理",
)
REQUIRED = ("案件类型", "程序", "案由", "立案日期", "原告")
MAX_ROWS = 100_000
MAX_REPORTED = 30
_ORGANISATION_WORDS = (
    "公司",
    "银行",
    "支行",
    "分行",
    "医院",
    "学校",
    "大学",
    "委员会",
    "检察院",
    "局",
    "厂",
    "合作社",
    "中心",
    "事务所",
    "协会",
    "集团",
    "政府",
    "店",
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportReport:
    cases: int
    first_case_number: str | None
    last_case_number: str | None


def read_rows(path: Path) -> list[dict[str, str]]:
    """The data rows of a CSV file, as {column: text}; the file's problems in Chinese."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CourtdeskError(f"无法读取文件 {path}：{error.strerror}") from error
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte sequence
        raise CourtdeskError(f"文件 {path} 的编码无法识别，请另存为 UTF-8 编码的 CSV")
    if "\x00" in text:
        raise CourtdeskError(f"文件 {path} 不是 CSV 文本文件（如为 Excel 文件，请另存为 CSV）")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"缺少列：{'、'.join(missing)}")
        if unknown:
            parts.append(f"无法识别的列：{'、'.join(unknown)}（可用的列：{'、'.join(COLUMNS)}）")
        raise CourtdeskError(f"文件 {path} 的表头不正确：{'；'.join(parts)}")
    reader.fieldnames = header
    rows = []
    for row in reader:
        if None in row:
            raise CourtdeskError(f"文件 {path} 第 {reader.line_num} 行的列数多于表头")
        if any((v or "").strip() for v in row.values()):
            rows.append({k: (v or "").strip() for k, v in row.items()})
        if len(rows) > MAX_ROWS:
            raise CourtdeskError(f"一次最多导入 {MAX_ROWS:,} 件案件，请把文件分成几份")
    return rows


def _date(text: str) -> date | str:
    cleaned = text.replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-")
    cleaned = cleaned.replace(".", "-").strip()
    parts = cleaned.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        try:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            pass
    return f"立案日期「{text}」应写作 2026-11-20"


def _procedure(text: str, type_code: str) -> str | None:
    case_type = default_catalog().get(type_code)
    candidates = case_type.procedures if case_type else tuple(PROCEDURES)
    for code in candidates:
        if text in (code, PROCEDURES[code].label):
            return code
    return None


def _split(text: str) -> list[str]:
    return (
        [p.strip() for p in text.replace(",", "、").replace("，", "、").split("、")] if text else []
    )


def _parties(row: dict[str, str], side: str, role: str) -> list[PartyDraft] | str:
    names = _split(row.get(side, ""))
    ids = _split(row.get(f"{side}证件号", ""))
    addresses = _split(row.get(f"{side}地址", ""))
    phones = _split(row.get(f"{side}电话", ""))
    for column, values in (("证件号", ids), ("地址", addresses), ("电话", phones)):
        if len(values) > len(names):
            return f"{side}{column}有 {len(values)} 项，多于{side}的 {len(names)} 人"
    parties = []
    for n, name in enumerate(names):
        code = normalise_id_number(ids[n]) if n < len(ids) else ""
        address = addresses[n] if n < len(addresses) else ""
        phone = phones[n] if n < len(phones) else ""
        if code and not isinstance(parse_citizen_id(code), str):
            organisation = False
        elif code and check_credit_code(code) is None:
            organisation = True
        else:  # no number, or a wrong one: the name decides, and validation names the problem
            organisation = any(word in name for word in _ORGANISATION_WORDS)
        if organisation:
            parties.append(
                PartyDraft(
                    role,
                    name,
                    PartyKind.ORGANISATION,
                    credit_code=code,
                    address=address,
                    phone=phone,
                )
            )
        else:
            parties.append(PartyDraft(role, name, id_number=code, address=address, phone=phone))
    return parties


def _people(ws: Workspace, role: str) -> dict[str, list[int]]:
    by_name: dict[str, list[int]] = {}
    for person in people_with_role(ws, role):
        by_name.setdefault(person.name, []).append(person.id)
    return by_name


def _person_id(
    text: str, people: dict[str, list[int]], label: str, problems: list[str]
) -> int | None:
    if not text:
        return None
    ids = people.get(text, [])
    if len(ids) == 1:
        return ids[0]
    problems.append(
        f"{label}「{text}」"
        + ("不是在职的" + label if not ids else f"有 {len(ids)} 位同名，无法确定")
    )
    return None


def drafts_from_rows(ws: Workspace, rows: list[dict[str, str]]) -> Iterator[CaseDraft | list[str]]:
    """Each row as a CaseDraft, or the list of what is wrong with it (in Chinese)."""
    judges = _people(ws, "judge")
    clerks = _people(ws, "clerk")
    catalog = default_catalog()
    for row in rows:
        problems: list[str] = []
        type_code = row.get("案件类型", "")
        case_type = catalog.get(type_code)
        if case_type is None:
            yield [f"案件类型「{type_code}」不在本院的案件类型表中"]
            continue
        procedure = _procedure(row.get("程序", ""), type_code)
        if procedure is None:
            allowed = "、".join(PROCEDURES[p].label for p in case_type.procedures)
            problems.append(
                f"程序「{row.get('程序', '')}」不适用于{case_type.name}（可选：{allowed}）"
            )
        filed = _date(row.get("立案日期", ""))
        if isinstance(filed, str):
            problems.append(filed)
        amount: Decimal | None = None
        if row.get("诉讼标的额"):
            parsed = parse_amount(row["诉讼标的额"])
            if isinstance(parsed, str):
                problems.append(f"诉讼标的额{parsed}")
            else:
                amount = parsed
        role_set = case_type.role_set
        claimants = _parties(row, "原告", role_set.claimant[0])
        respondent_role = role_set.respondent[0] if role_set.respondent else "被申请人"
        respondents = _parties(row, "被告", respondent_role)
        for side in (claimants, respondents):
            if isinstance(side, str):
                problems.append(side)
        judge_id = _person_id(row.get("承办人", ""), judges, "承办人", problems)
        clerk_id = _person_id(row.get("书记员", ""), clerks, "书记员", problems)
        private_text = row.get("不公开审理", "")
        if private_text not in ("", "是", "否"):
            problems.append(f"不公开审理应填“是”或“否”，而不是「{private_text}」")
        if problems or isinstance(filed, str) or procedure is None:
            yield problems
            continue
        assert not isinstance(claimants, str) and not isinstance(respondents, str)
        yield CaseDraft(
            type_code=type_code,
            procedure=procedure,
            cause=row.get("案由", ""),
            filing_date=filed,
            parties=tuple(claimants + respondents),
            amount_claimed=amount,
            source="旧存" if filed.year < date.today().year else "新收",
            presiding_judge_id=judge_id,
            clerk_id=clerk_id,
            is_private=private_text == "是",
        )


def import_cases(ws: Workspace, path: str | Path, progress: Progress | None = None) -> ImportReport:
    """Register every case in the CSV file at ``path`` in one transaction, or none of them."""
    require(ws.actor, Permission.IMPORT_CASES)
    source = Path(path).expanduser().absolute()
    rows = read_rows(source)
    if not rows:
        raise CourtdeskError(f"文件 {source} 中没有案件")
    problems: list[FieldProblem] = []
    numbers: list[str] = []

    def refuse(line: int, messages: list[str]) -> None:
        problems.extend(FieldProblem(f"row{line}", f"第 {line} 行：{m}") for m in messages)

    total = len(rows)
    with ws.db.transaction() as conn:
        # Line numbers as the clerk sees them in the sheet: the header is line 1.
        for index, draft in enumerate(drafts_from_rows(ws, rows)):
            line = index + 2
            if isinstance(draft, list):
                refuse(line, draft)
                continue
            if problems:  # already failing: check the rest, store nothing more
                continue
            try:
                numbers.append(cases.register_case(ws, draft).case_number)
            except ValidationError as error:
                refuse(line, [p.message for p in error.problems])
            if progress is not None:
                progress(index + 1, total)
        if problems:
            shown = problems[:MAX_REPORTED]
            more = len(problems) - len(shown)
            tail = [FieldProblem("rows", f"……另有 {more} 处问题")] if more else []
            raise ValidationError(
                [
                    FieldProblem("file", f"文件 {source.name} 未导入，任何案件都没有保存"),
                    *shown,
                    *tail,
                ]
            )
        audit.record(
            conn,
            ws.actor,
            "case.import",
            "cases",
            None,
            {
                "file": [None, str(source)],
                "cases": [None, len(numbers)],
                "first": [None, numbers[0]],
                "last": [None, numbers[-1]],
            },
        )
    return ImportReport(len(numbers), numbers[0], numbers[-1])
