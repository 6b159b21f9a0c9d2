"""The wording of a notice as a template the court administrator edits.

A template is plain text in sections headed ``【节名】``; the text holds placeholders
in braces, ``{案号}``, filled from the case when the notice is made (``{{`` and
``}}`` are literal braces). The sections a notice has, and so how each is laid
out, are fixed by its kind (``TemplateSpec``):

- 【标题】 the document's title, under the court's name;
- 【称呼】 lines flush left (``{受送达人}：``);
- 【正文】 paragraphs, one per line, indented two characters and justified;
- 【表格】 form rows ``标签 | 内容`` (a third part ``| 3`` reserves that many lines,
  for a signature; ``<br>`` starts a new line inside a cell);
- 【注意事项】 numbered notes after the form or the closing;
- 【附注】 lines after the closing (联系人、联系电话).

Checked when saved (``check_template``): unknown sections or placeholders, a
brace left open, a section the kind needs left out. Checked again when filled
(``fill``): a placeholder whose value is empty is named in a clear message, so a
summons never goes out with a blank where the hearing time should be.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from courtdesk.domain.text import free_text_problem
from courtdesk.errors import FieldProblem, ValidationError

SECTION_HEADER = re.compile(r"^【([^】]+)】\s*$")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")

# Every section a notice may have, with what it is for (shown in the template editor).
SECTION_ROLES = {
    "标题": "文书标题，居中排在法院名称之下",
    "称呼": "顶格的称呼行，例如“{受送达人}：”",
    "正文": "正文段落，每行一段，首行缩进两字",
    "表格": "表格行，写作“标签 | 内容”，可加“| 行数”预留签名空间；格内换行写作 <br>",
    "注意事项": "注意事项，每行一条",
    "附注": "落款之后的附注行，例如联系人和联系电话；一行可用两个全角空格分成几项，未设置的项不印",
    "说明": "表格之前的说明段落",
}


@dataclass(frozen=True)
class Field:
    """A placeholder a notice kind offers: ``{name}``.

    ``required``: an empty value stops the notice with a message naming it;
    ``hint`` tells the clerk how to supply it (``请先安排开庭``).
    """

    name: str
    help: str
    required: bool = True
    hint: str = ""


@dataclass(frozen=True)
class TemplateSpec:
    """What a kind's template may contain."""

    kind: str
    title: str
    sections: tuple[str, ...]  # allowed, in the order they are laid out
    fields: tuple[Field, ...]
    required_sections: tuple[str, ...] = ("标题",)
    essential: tuple[str, ...] = ()  # placeholders the template must keep

    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


@dataclass(frozen=True)
class Template:
    """A parsed template: section name → text, in the order written."""

    kind: str
    sections: dict[str, str] = field(default_factory=dict)

    def section(self, name: str) -> str:
        return self.sections.get(name, "")

    def lines(self, name: str) -> list[str]:
        """The non-blank lines of a section (full-width spaces inside a line are kept)."""
        return [line.strip(" \t") for line in self.section(name).splitlines() if line.strip()]


def parse_sections(text: str) -> tuple[dict[str, str], list[str]]:
    """Split template text into sections; returns (sections, problems)."""
    sections: dict[str, list[str]] = {}
    problems: list[str] = []
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = SECTION_HEADER.match(line.strip())
        if header:
            current = header.group(1).strip()
            if current in sections:
                problems.append(f"第{number}行：节「{current}」重复出现")
            sections.setdefault(current, [])
        elif current is None:
            if line.strip():
                problems.append(f"第{number}行：内容应写在某一节（如【正文】）之下")
        else:
            sections[current].append(line.rstrip())
    return {name: "\n".join(lines).strip("\n") for name, lines in sections.items()}, problems


def placeholders(text: str) -> tuple[list[str], list[str]]:
    """The placeholders in ``text`` and the brace problems found (unbalanced, empty)."""
    names: list[str] = []
    problems: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if token in ("{", "}"):
            problems.append(f"括号“{token}”没有配对（字面的括号请写作“{token * 2}”）")
        elif not match.group(1).strip():
            problems.append("有空的占位符“{}”")
        else:
            names.append(match.group(1).strip())
    return names, problems


def check_template(spec: TemplateSpec, text: str) -> Template:
    """Parse and check a template for ``spec``; raises ValidationError naming every problem."""
    sections, problems = parse_sections(text)
    # What SQLite cannot store and a printer cannot print (lone surrogates, controls).
    if (problem := free_text_problem(text, "模板")) is not None:
        problems.append(problem)
    used: set[str] = set()
    for name, body in sections.items():
        if name not in spec.sections:
            problems.append(
                f"「{spec.title}」没有【{name}】这一节（可用：{'、'.join(spec.sections)}）"
            )
            continue
        names, brace_problems = placeholders(body)
        problems += [f"【{name}】{p}" for p in brace_problems]
        for placeholder in names:
            used.add(placeholder)
            if spec.field(placeholder) is None:
                problems.append(
                    f"【{name}】中的占位符“{{{placeholder}}}”不是「{spec.title}」可用的字段"
                    f"（可用：{'、'.join(f.name for f in spec.fields)}）"
                )
        if name == "表格":
            for line in body.splitlines():
                if line.strip() and "|" not in line and "｜" not in line:
                    problems.append(f"【表格】的行“{line.strip()}”应写作“标签 | 内容”")
    for name in spec.required_sections:
        if not sections.get(name, "").strip():
            problems.append(f"「{spec.title}」模板缺少【{name}】一节或该节为空")
    for placeholder in spec.essential:
        if placeholder not in used:
            problems.append(f"「{spec.title}」模板必须包含占位符“{{{placeholder}}}”")
    if problems:
        raise ValidationError([FieldProblem("template", p) for p in problems])
    return Template(spec.kind, sections)


def fill(
    spec: TemplateSpec,
    text: str,
    values: Mapping[str, str],
    who: str,
    missing: list[str] | None = None,
) -> str:
    """``text`` with its placeholders replaced; an empty required value raises.

    ``who`` names the notice and recipient for the message ("传票（被告张三）").
    With a ``missing`` list, what is missing is added to it instead, so a whole
    document's gaps can be named in one message (``raise_missing``).
    """
    collect = missing is not None
    missing = [] if missing is None else missing

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = (match.group(1) or "").strip()
        value = values.get(name, "")
        definition = spec.field(name)
        if definition is None:
            missing.append(f"模板中的占位符“{token}”不是可用的字段")
        elif not value and definition.required:
            missing.append(definition.name + (f"（{definition.hint}）" if definition.hint else ""))
        return value

    result = _TOKEN.sub(replace, text)
    if not collect:
        raise_missing(missing, who)
    return result


def raise_missing(missing: list[str], who: str) -> None:
    """Raise one message naming everything missing from a document, if anything is."""
    if missing:
        unique = list(dict.fromkeys(missing))
        raise ValidationError([FieldProblem("notice", f"无法生成{who}：缺少{'、'.join(unique)}")])


def table_rows(template: Template) -> list[tuple[str, str, int]]:
    """The 【表格】 rows as (label, content template, reserved lines)."""
    rows = []
    for line in template.lines("表格"):
        # only ASCII blanks are trimmed: full-width spaces lay out “　年　月　日”
        parts = [p.strip(" \t") for p in re.split(r"[|｜]", line)]
        label, content = parts[0], parts[1] if len(parts) > 1 else ""
        reserve = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 1
        content = content.replace("<br>", "\n")
        rows.append((label, content, max(1, min(reserve, 12))))
    return rows
