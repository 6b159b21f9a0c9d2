"""The calculation sheet (计算单): one page for the case file showing how a figure was reached.

Plain data in (``CalculationSheet``: what was given, the working as paragraphs and
tables, the conclusion, the notes), PDF bytes out, laid out with the notices
engine on the court-document page (``layout.DocBuilder``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from courtdesk.notices.fonts import FontStack
from courtdesk.notices.layout import DocBuilder, Faces, PageSetup, check_printable, paint


@dataclass(frozen=True)
class SheetTable:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths


# An amount, a count of days or a rate: 2,250.00  -6,900.00  184  15.4%
_FIGURE = re.compile(r"-?[\d,]+(\.\d+)?%?")


def column_alignments(table: SheetTable) -> list[str]:
    """Flush right the columns whose every cell is a figure, so amounts line up."""
    return [
        "right"
        if table.rows and all(_FIGURE.fullmatch(row[index].strip()) for row in table.rows)
        else "left"
        for index in range(len(table.columns))
    ]


@dataclass(frozen=True)
class SheetSection:
    heading: str
    lines: tuple[str, ...] = ()
    table: SheetTable | None = None


@dataclass(frozen=True)
class CalculationSheet:
    court_name: str
    title: str  # 诉讼费计算单
    facts: tuple[tuple[str, str], ...]  # what was given: (label, value)
    sections: tuple[SheetSection, ...]
    conclusion: str  # 应交纳 2,300.00 元
    prepared_by: str
    prepared_on: date
    notes: tuple[str, ...] = field(default=())
    warning: str = ""  # printed prominently (a year computed with weekends only)


def sheet_setup(court_page: PageSetup) -> PageSetup:
    """The page of a calculation sheet: the court's side margins, a denser type scale.

    A calculation sheet is a working paper kept in the file, not a document served
    on a party, so it does not need the 三号 body and 37 mm top margin of section 8;
    with them a lending calculation with a few repayments would run to a second
    page. Side margins stay the court's, so the sheet binds like the rest of the file.
    """
    return replace(
        court_page,
        top_mm=20.0,
        bottom_mm=18.0,
        heading_size=16.0,
        body_size=14.0,
        line_height=22.0,
        table_size=12.0,
        small_size=10.5,
        list_size=10.5,
    )


def render_sheet(sheet: CalculationSheet, court_page: PageSetup, fonts: FontStack) -> bytes:
    """The sheet laid out with the notices engine: heading, what was given, the working, the result.

    An ordinary calculation fits one page; a long one (dozens of repayments)
    continues on the next page with page numbers rather than being cut short.
    Characters no font can draw are reported (``UnprintableCharactersError``).
    """
    setup = sheet_setup(court_page)
    faces = Faces(fonts)
    builder = DocBuilder(setup, faces, sheet.title)
    builder.heading(sheet.court_name, sheet.title)
    builder.table([(label, value, 1) for label, value in sheet.facts], label_chars=5.5)
    for section in sheet.sections:
        builder.space(setup.line_height * 0.15)
        builder.paragraph(section.heading, indent_chars=0, size=setup.table_size)
        for line in section.lines:
            builder.paragraph(line, indent_chars=0, size=setup.small_size)
        if section.table is not None:
            table = section.table
            builder.grid(
                list(table.columns),
                [list(row) for row in table.rows],
                list(table.widths),
                setup.list_size,
                align=column_alignments(table),
            )
    builder.space(setup.line_height * 0.2)
    builder.paragraph(sheet.conclusion, indent_chars=0)
    if sheet.warning:
        builder.paragraph(sheet.warning, indent_chars=0, size=setup.table_size)
    builder.notes("说明：", sheet.notes)
    builder.paragraph(
        f"计算人：{sheet.prepared_by}　　计算日期：{sheet.prepared_on.isoformat()}",
        indent_chars=0,
        size=setup.small_size,
    )
    document = builder.finish()
    check_printable([builder], fonts)
    return paint([document], setup, faces, sheet.title, sheet.prepared_by)
