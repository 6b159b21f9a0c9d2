"""The court-document page (domain-rules.md section 8), laid out and painted with reportlab.

A4; margins from the court's settings (default top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm: the 156 × 225 mm text block of official documents); the court name and
the title centred in the heading face at 二号 (22 pt); the case number and the body
in the body face at 三号 (16 pt) on a 29 pt line (22 lines a page); the closing
block with the court name and the date in Chinese numerals, the date four
characters in from the right, with room above and around them for the seal.

Layout is done here rather than with platypus: Chinese lines break between any
two characters (but never before a closing mark such as ，。、 or after an opening
one such as “（《), justified lines spread their characters evenly, and each
character is drawn in the first face that has it (``fonts.FaceChain``), so a rare
character in a name comes from the fallback face instead of printing as a box. It
is also several times faster than platypus, which matters for batches of summonses.

Two passes: ``DocBuilder`` lays a document out into pages of drawing operations
(so a document knows its page count for "第1页，共2页" and can move the closing
to a new page whole), and ``paint`` draws any number of documents into one PDF.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from courtdesk.errors import CourtdeskError
from courtdesk.notices.fonts import FaceChain, FontStack, UnprintableCharactersError

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

# reportlab is imported where a document is measured or drawn, not here: importing
# it is a fifth of the program's start-up, and the docket, the template editor's
# checks and the command line's listings never draw.

MM = 72 / 25.4
PAGE_WIDTH: float = 210 * MM  # A4, as reportlab.lib.pagesizes.A4
PAGE_HEIGHT: float = 297 * MM

# Marks that may not begin a line (行首禁则) and marks that may not end one (行尾禁则).
NO_LINE_START = set("，。、；：？！）》」』】〕’”…—·%,.;:?!)]}")
NO_LINE_END = set("（《「『【〔‘“([{")
# Latin letters, digits and the marks inside numbers and addresses stay together
# (the thousands comma too: 1,234,567.89 元 must never be split across lines), and a
# figure keeps the unit after it (38,518.36 元, 15日, 2964号): a line never opens
# with a lone 元.
_TOKEN = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9.,\-_/@:+#%]*(?:(?<=[0-9]) ?[元日号时分秒年月天件份页条项])?|.",
    re.DOTALL,
)


# Items on one line of fine print ("联系人：{书记员}　　联系电话：{联系电话}") are parted by
# two ideographic spaces, the way such lines are set by hand.
NOTE_ITEMS = "\u3000\u3000"


@dataclass(frozen=True)
class PageSetup:
    """Margins and sizes of the court-document page (section 8; margins are settings)."""

    top_mm: float = 37.0
    bottom_mm: float = 35.0
    left_mm: float = 28.0
    right_mm: float = 26.0
    heading_size: float = 22.0  # 二号
    body_size: float = 16.0  # 三号
    line_height: float = 29.0  # 22 lines in the 225 mm block
    table_size: float = 14.0  # 四号, inside forms
    small_size: float = 12.0  # 小四, notes under a form and page numbers
    list_size: float = 10.5  # 五号, the cells of the cause list
    landscape: bool = False

    def turned(self) -> PageSetup:
        """The same text block turned a quarter (A4 横向, for lists posted on a board)."""
        return replace(
            self,
            landscape=not self.landscape,
            top_mm=self.left_mm,
            bottom_mm=self.right_mm,
            left_mm=self.top_mm,
            right_mm=self.bottom_mm,
        )

    @property
    def page_width(self) -> float:
        return PAGE_HEIGHT if self.landscape else PAGE_WIDTH

    @property
    def page_height(self) -> float:
        return PAGE_WIDTH if self.landscape else PAGE_HEIGHT

    @property
    def width(self) -> float:
        return self.page_width - (self.left_mm + self.right_mm) * MM

    @property
    def left(self) -> float:
        return self.left_mm * MM

    @property
    def top(self) -> float:
        return self.page_height - self.top_mm * MM

    @property
    def bottom(self) -> float:
        return self.bottom_mm * MM

    def problems(self) -> list[str]:
        """What makes these margins unusable (checked when the setting is saved)."""
        found = []
        for label, value in (
            ("上边距", self.top_mm),
            ("下边距", self.bottom_mm),
            ("左边距", self.left_mm),
            ("右边距", self.right_mm),
        ):
            if not 5 <= value <= 60:
                found.append(f"{label}应在 5 到 60 毫米之间")
        if (PAGE_WIDTH / MM) - self.left_mm - self.right_mm < 120:
            found.append("左右边距过大：版心宽度不足 120 毫米")
        return found


# ------------------------------------------------------------------ operations
# A page is a list of drawing operations, kept as tuples: a batch lays out tens of
# thousands of lines, and tuples are the cheapest thing Python makes.
#   ("text", x, y, size, runs, char_space)   runs: ((font name, text), ...)
#   ("line", x1, y1, x2, y2, width)
#   ("barcode", x, y, value, height)
Op = tuple[Any, ...]


@dataclass
class LaidOutDocument:
    """One notice for one recipient, laid out into pages."""

    title: str
    pages: list[list[Op]] = field(default_factory=lambda: [[]])


@dataclass(frozen=True)
class Line:
    text: str
    width: float  # natural width at the size it was wrapped for
    indent: float
    last: bool  # last line of its paragraph: not justified


MAX_WRAPPED = 20_000  # broken paragraphs kept per font stack


class Faces:
    """The heading and body face chains of one font stack, loaded, with width caches."""

    def __init__(self, fonts: FontStack) -> None:
        self.fonts = fonts
        self.heading = FaceChain(fonts.heading, fonts.fallbacks)
        self.body = FaceChain(fonts.body, fonts.fallbacks)
        self._widths: dict[tuple[str, str], float] = {}
        # Lines already broken, by (face chain, text, size, width, indent): a batch of
        # 500 summonses breaks the same template sentences 500 times otherwise.
        self.wrapped: dict[tuple[int, str, float, float, float], tuple[Line, ...]] = {}

    def char_width(self, face: str, char: str) -> float:
        """Advance of ``char`` in ``face`` at 1 pt."""
        key = (face, char)
        width = self._widths.get(key)
        if width is None:
            from reportlab.pdfbase import pdfmetrics

            width = float(pdfmetrics.stringWidth(char, face, 1.0))
            self._widths[key] = width
        return width


class DocBuilder:
    """Lays out one document, top to bottom, breaking pages as it goes."""

    def __init__(self, setup: PageSetup, faces: Faces, title: str) -> None:
        self.setup = setup
        self.faces = faces
        self.doc = LaidOutDocument(title)
        self.y = setup.top
        self.missing: dict[str, list[str]] = {}

    # ------------------------------------------------------------ measuring
    def measure(self, text: str, size: float, heading: bool = False) -> float:
        """The width ``text`` takes on one line at ``size`` (what ``text_at`` will draw)."""
        return self._width(self.faces.heading if heading else self.faces.body, text, size)

    def _width(self, chain: FaceChain, text: str, size: float) -> float:
        total = 0.0
        for char in text:
            face = chain.face_for(char)
            total += size if face is None else self.faces.char_width(face, char) * size
        return total

    def _note_missing(self, chain: FaceChain, text: str) -> None:
        for char in chain.missing(text):
            snippet = text.strip()
            if len(snippet) > 24:
                at = max(0, snippet.find(char) - 10)
                snippet = ("…" if at else "") + snippet[at : at + 20] + "…"
            self.missing.setdefault(char, []).append(f"“{snippet}”")

    def wrap(
        self,
        text: str,
        chain: FaceChain,
        size: float,
        width: float,
        first_indent: float = 0.0,
        note: bool = True,
    ) -> list[Line]:
        """Break ``text`` into lines no wider than ``width`` (Chinese line-breaking rules).

        A newline in ``text`` starts a new line (inside a table cell). ``note=False``
        only measures: the characters no face has are noted when the text is laid out.
        """
        if "\n" in text:
            result: list[Line] = []
            for index, part in enumerate(text.split("\n")):
                indent = first_indent if index == 0 else 0.0
                result += self.wrap(part, chain, size, width, indent, note)
            return result
        if note:
            self._note_missing(chain, text)
        key = (id(chain), text, size, width, first_indent)
        known = self.faces.wrapped.get(key)
        if known is not None:
            return list(known)
        lines = self._break(text, chain, size, width, first_indent)
        if len(self.faces.wrapped) >= MAX_WRAPPED:
            self.faces.wrapped.clear()
        self.faces.wrapped[key] = tuple(lines)
        return lines

    def _break(
        self, text: str, chain: FaceChain, size: float, width: float, first_indent: float
    ) -> list[Line]:
        lines: list[Line] = []
        current: list[str] = []
        current_width = 0.0
        indent = first_indent
        for token in self._tokens(text, chain, size, width):
            token_width = self._width(chain, token, size)
            room = width - indent
            if current_width + token_width <= room + 0.01 or not current:
                current.append(token)
                current_width += token_width
                continue
            if token in NO_LINE_START:
                # a closing mark stays with its line; the line is squeezed to fit
                current.append(token)
                current_width += token_width
                continue
            carried: list[str] = []
            while len(current) > 1 and current[-1] in NO_LINE_END:
                carried.insert(0, current.pop())
            line_text = "".join(current)
            lines.append(Line(line_text, self._width(chain, line_text, size), indent, False))
            indent = 0.0
            current = [*carried, token]
            current_width = self._width(chain, "".join(current), size)
        if current or not lines:
            line_text = "".join(current)
            lines.append(Line(line_text, current_width, indent, True))
        else:
            last = lines[-1]
            lines[-1] = Line(last.text, last.width, last.indent, True)
        return lines

    def _tokens(self, text: str, chain: FaceChain, size: float, width: float) -> list[str]:
        """Characters, with Latin words and numbers kept whole unless longer than a line."""
        tokens: list[str] = []
        for token in _TOKEN.findall(text):
            if len(token) > 1 and self._width(chain, token, size) > width:
                tokens += list(token)  # a code longer than the line: break inside it
            else:
                tokens.append(token)
        return tokens

    # ------------------------------------------------------------ pages
    @property
    def page(self) -> list[Op]:
        return self.doc.pages[-1]

    def new_page(self) -> None:
        self.doc.pages.append([])
        self.y = self.setup.top

    def room(self) -> float:
        return self.y - self.setup.bottom

    def ensure(self, height: float) -> None:
        if height > self.room() + 0.01 and self.y < self.setup.top:
            self.new_page()

    def space(self, height: float) -> None:
        self.y -= height
        if self.y < self.setup.bottom:
            self.new_page()

    # ------------------------------------------------------------ text
    def _text_line(
        self,
        chain: FaceChain,
        line: Line,
        size: float,
        x: float,
        line_height: float,
        justify_width: float | None = None,
        char_space: float = 0.0,
    ) -> None:
        baseline = self.y - line_height / 2 - 0.38 * size
        count = len(line.text)
        if justify_width is not None and not line.last and count > 1:
            char_space = (justify_width - line.indent - line.width) / (count - 1)
        runs = tuple((face, text) for face, text in _runs(chain, line.text) if face is not None)
        self.page.append(("text", x + line.indent, baseline, size, runs, char_space))
        self.y -= line_height

    def centered(self, text: str, heading: bool = True, size: float | None = None) -> None:
        """Centred lines (the court name, the title); titles of 2–3 characters are spaced out."""
        chain = self.faces.heading if heading else self.faces.body
        size = size or (self.setup.heading_size if heading else self.setup.body_size)
        line_height = size * 1.6
        spacing = size if len(text) <= 3 else 0.0  # 传　票: the customary spacing
        for line in self.wrap(text, chain, size, self.setup.width):
            width = line.width + spacing * (len(line.text) - 1)
            self.ensure(line_height)
            x = self.setup.left + (self.setup.width - width) / 2
            self._text_line(chain, line, size, x, line_height, char_space=spacing)

    def aligned(self, text: str, align: str = "left", right_indent_chars: float = 0.0) -> None:
        """Body-face lines flush left or right (``right_indent_chars`` in from the margin)."""
        size = self.setup.body_size
        width = self.setup.width - right_indent_chars * size
        for line in self.wrap(text, self.faces.body, size, width):
            self.ensure(self.setup.line_height)
            x = self.setup.left
            if align == "right":
                x += width - line.width
            elif align == "center":
                x += (width - line.width) / 2
            self._text_line(self.faces.body, line, size, x, self.setup.line_height)

    def paragraph(
        self,
        text: str,
        indent_chars: float = 2.0,
        size: float | None = None,
        line_height: float | None = None,
    ) -> None:
        """A justified paragraph, its first line indented (首行缩进两字)."""
        size = size or self.setup.body_size
        line_height = line_height or self.setup.line_height * size / self.setup.body_size
        width = self.setup.width
        for line in self.wrap(text, self.faces.body, size, width, indent_chars * size):
            self.ensure(line_height)
            self._text_line(
                self.faces.body, line, size, self.setup.left, line_height, justify_width=width
            )

    # ------------------------------------------------------------ blocks
    def heading(self, court_name: str, title: str) -> None:
        """The court's name and the document's title, centred in the heading face."""
        self.centered(court_name)
        self.centered(title)
        self.space(self.setup.line_height * 0.3)

    def case_number(self, number: str) -> None:
        """The 案号 line, flush right under the title."""
        self.aligned(number, align="right")
        self.space(self.setup.line_height * 0.2)

    def closing(self, court_name: str, date_text: str) -> None:
        """The court's name over the date in Chinese numerals, with room for the seal.

        The date stands four characters in from the right margin (右空四字), the
        name centred over it; two blank lines above and one below leave the seal
        (about 42 mm) room to sit across both. If the block does not fit, it goes
        to the next page with the last two lines of the body, so the seal never
        sits on a page of its own; after a form (no body lines to carry) the new
        page is marked （此页无正文） as the practice is.
        """
        size = self.setup.body_size
        line = self.setup.line_height
        if line * 4 > self.room():
            carried = self._take_trailing_lines(2)
            self.new_page()
            if carried:
                shift = self.setup.top - line / 2 - 0.38 * size - carried[0][2]
                for op in carried:
                    self.page.append((op[0], op[1], op[2] + shift, *op[3:]))
                self.y -= line * len(carried)
            else:
                self.aligned("（此页无正文）")
        self.space(line * 2)
        date_width = self._width(self.faces.body, date_text, size)
        date_right = self.setup.left + self.setup.width - 4 * size
        date_x = date_right - date_width
        name_width = self._width(self.faces.body, court_name, size)
        name_x = min(date_x + (date_width - name_width) / 2, date_right - name_width)
        name_x = max(self.setup.left, name_x)
        chain = self.faces.body
        self._note_missing(chain, court_name + date_text)
        self._text_line(chain, Line(court_name, name_width, 0, True), size, name_x, line)
        self._text_line(chain, Line(date_text, date_width, 0, True), size, date_x, line)
        self.space(line)

    # Fine print tried in turn until it fits what is left of the page: 小四 as set,
    # 小四 set closer, 五号 set closer, then 小五 set closer (the size of a printed
    # form's small print). A form (送达地址确认书, a 传票 to a long address) belongs on
    # one sheet with its notes; only notes too long for even the closest setting run
    # on to the next page. Without 小五, one 送达地址确认书 in sixteen of the demo
    # court's (a bank or company with a long name and address) ran onto a second.
    NOTE_SETTINGS = ((1.0, 1.6), (1.0, 1.35), (10.5 / 12, 1.3), (9 / 12, 1.3))

    def notes(
        self,
        heading: str,
        items: Iterable[str],
        size: float | None = None,
        indent_chars: float = 2.0,
    ) -> None:
        """注意事项 and the like, in the small size: a heading line and one paragraph per item.

        Also the 附注 after the seal (no heading, no indent): a fee notice's basis,
        account and contact lines are fine print that belongs on the notice's one sheet.
        An item holding several (parted by ``NOTE_ITEMS``) is one line when it fits.
        """
        size = size or self.setup.small_size
        items = list(items)
        if not items:
            return
        gap = self.setup.line_height * 0.3
        paragraphs = ([(heading, 0.0)] if heading else []) + [
            (item, indent_chars) for item in items
        ]

        def lines_of(text: str, indent: float, trial: float) -> int:
            chain = self.faces.body
            return len(self.wrap(text, chain, trial, self.setup.width, indent * trial, False))

        def laid_out(trial: float) -> list[tuple[str, float]]:
            # Items sharing a line ("联系人：…　　联系电话：…") that do not fit on it
            # go on lines of their own rather than break mid-item.
            out: list[tuple[str, float]] = []
            for text, indent in paragraphs:
                items = text.split(NOTE_ITEMS)
                if len(items) > 1 and lines_of(text, indent, trial) > 1:
                    out += [(item, indent) for item in items]
                else:
                    out.append((text, indent))
            return out

        def counts(trial: float) -> list[int]:
            return [lines_of(text, indent, trial) for text, indent in laid_out(trial)]

        chosen_size, line_height, fits = size, size * 1.6, False
        for scale, leading in self.NOTE_SETTINGS:
            trial = size * scale
            if gap + sum(counts(trial)) * trial * leading <= self.room() + 0.01:
                chosen_size, line_height, fits = trial, trial * leading, True
                break
        paragraphs = laid_out(chosen_size)
        lines = counts(chosen_size)
        self.space(gap)
        for index, (text, indent) in enumerate(paragraphs):
            if not fits:
                # running on: a short item is not split, and the heading keeps its first item
                keep = lines[index] if lines[index] <= 3 else 2
                if index == 0 and heading and len(lines) > 1:
                    keep = 1 + min(lines[1], 2)
                self.ensure(keep * line_height)
            self.paragraph(text, indent_chars=indent, size=chosen_size, line_height=line_height)

    def table(self, rows: list[tuple[str, str, int]], label_chars: float = 6.5) -> None:
        """A two-column form: label | content, each row as tall as its longest cell.

        A row that does not fit goes to the next page; a row taller than a whole
        page (hundreds of parties in one cell) is split across pages.
        """
        size = self.setup.table_size
        line = size * 1.5
        pad = size * 0.3
        left = self.setup.left
        label_width = label_chars * size + 2 * pad
        value_width = self.setup.width - label_width
        chain = self.faces.body
        self._rule(left, left + self.setup.width)
        for label, content, reserve in rows:
            label_lines = self._balanced(label, chain, size, label_width - 2 * pad)
            value_lines = self.wrap(content, chain, size, value_width - 2 * pad) if content else []
            count = max(len(label_lines), len(value_lines), reserve)
            start = 0
            while start < count:
                fits = int((self.room() - 2 * pad) // line)
                if fits < min(count - start, 2) and self.y < self.setup.top - 1:
                    self.new_page()
                    self._rule(left, left + self.setup.width)
                    continue
                take = min(count - start, max(fits, 1))
                height = take * line + 2 * pad
                top = self.y
                if start == 0:
                    offset = (take - min(len(label_lines), take)) * line / 2
                    self.y = top - pad - offset
                    for label_line in label_lines[:take]:
                        x = left + (label_width - label_line.width) / 2
                        self._text_line(chain, label_line, size, x, line)
                self.y = top - pad
                for value_line in value_lines[start : start + take]:
                    self._text_line(chain, value_line, size, left + label_width + pad, line)
                bottom = top - height
                self._box(left, left + label_width, left + self.setup.width, top, bottom)
                self.y = bottom
                start += take
                if start < count:
                    self.new_page()
                    self._rule(left, left + self.setup.width)

    def _balanced(self, text: str, chain: FaceChain, size: float, width: float) -> list[Line]:
        """Lines of even length for a label (签名或 / 者盖章, not 受送达人签名或 / 者盖章)."""
        lines = self.wrap(text, chain, size, width)
        if len(lines) < 2:
            return lines
        even = self._width(chain, text, size) / len(lines) + size * 0.5
        balanced = self.wrap(text, chain, size, min(width, even))
        return balanced if len(balanced) == len(lines) else lines

    def grid(
        self,
        headers: list[str],
        rows: list[list[str]],
        widths: list[float],
        size: float,
        align: list[str] | None = None,
    ) -> None:
        """A list with ruled cells (the cause list); the header repeats on every page.

        ``align`` gives each column "left" (the default) or "right": a column of
        amounts stands flush right, so the fen line up under each other.
        """
        line = size * 1.45
        pad = size * 0.35
        total = sum(widths)
        columns = [w / total * self.setup.width for w in widths]
        chain = self.faces.body

        def draw_row(cells: list[str], header: bool) -> None:
            wrapped = [
                self.wrap(text, chain, size, width - 2 * pad)
                for text, width in zip(cells, columns, strict=True)
            ]
            height = max(len(w) for w in wrapped) * line + 2 * pad
            if height > self.room() + 0.01:
                self.new_page()
                if not header:
                    draw_row(headers, True)
            top = self.y
            x = self.setup.left
            edges = [x]
            for index, (lines, width) in enumerate(zip(wrapped, columns, strict=True)):
                self.y = top - pad
                right = not header and align is not None and align[index] == "right"
                for cell_line in lines:
                    if header:
                        offset = (width - cell_line.width) / 2
                    elif right:
                        offset = width - pad - cell_line.width
                    else:
                        offset = pad
                    self._text_line(chain, cell_line, size, x + offset, line)
                x += width
                edges.append(x)
            bottom = top - height
            self.page.append(("line", edges[0], top, edges[-1], top, 0.8))
            self.page.append(("line", edges[0], bottom, edges[-1], bottom, 0.8))
            for edge in edges:
                self.page.append(("line", edge, top, edge, bottom, 0.8))
            self.y = bottom

        draw_row(headers, True)
        for row in rows:
            draw_row(row, False)

    def text_at(
        self, x: float, baseline: float, text: str, size: float, heading: bool = False
    ) -> float:
        """One line at a fixed place on the page (labels, forms); returns its width.

        Characters are drawn in the first face that has them, like every other line,
        and those no face has are noted for the printability check.
        """
        chain = self.faces.heading if heading else self.faces.body
        self._note_missing(chain, text)
        runs = tuple((face, chunk) for face, chunk in _runs(chain, text) if face is not None)
        self.page.append(("text", x, baseline, size, runs, 0.0))
        return self._width(chain, text, size)

    def barcode_at(self, right: float, y: float, value: str, height: float) -> None:
        """A Code 128 barcode ending at ``right``, its digits printed under it at ``y``."""
        self.page.append(("barcode", right, y, value, height))

    def barcode(self, value: str) -> None:
        """The service task's barcode, in the top margin at the right (read by the scanner)."""
        height = 24.0
        x = self.setup.left + self.setup.width
        y = self.setup.top + 14
        self.page.append(("barcode", x, y, value, height))

    def _take_trailing_lines(self, count: int) -> list[Op]:
        """Remove the last ``count`` body lines from the page (only if they end it)."""
        taken: list[Op] = []
        page = self.page
        body = self.setup.body_size
        while page and len(taken) < count and page[-1][0] == "text" and page[-1][3] == body:
            taken.insert(0, page.pop())
        return taken

    def _rule(self, x1: float, x2: float) -> None:
        self.page.append(("line", x1, self.y, x2, self.y, 0.8))

    def _box(self, left: float, middle: float, right: float, top: float, bottom: float) -> None:
        self.page.append(("line", left, bottom, right, bottom, 0.8))
        for x in (left, middle, right):
            self.page.append(("line", x, top, x, bottom, 0.8))

    def finish(self) -> LaidOutDocument:
        if len(self.doc.pages) > 1 and not self.doc.pages[-1]:
            self.doc.pages.pop()
        return self.doc


def _runs(chain: FaceChain, text: str) -> list[tuple[str | None, str]]:
    result: list[tuple[str | None, str]] = []
    for char in text:
        face = chain.face_for(char)
        if result and result[-1][0] == face:
            result[-1] = (face, result[-1][1] + char)
        else:
            result.append((face, char))
    return result


# ------------------------------------------------------------------ painting
class Cancelled(CourtdeskError):
    """The user cancelled a batch; nothing was written."""

    def __init__(self) -> None:
        super().__init__("已取消生成文书")


Progress = Callable[[int, int], None]


def check_printable(builders: Iterable[DocBuilder], fonts: FontStack) -> None:
    """Raise UnprintableCharactersError if any laid-out document has characters no face draws."""
    where: dict[str, list[str]] = {}
    for builder in builders:
        for char, places in builder.missing.items():
            where.setdefault(char, [])
            where[char] += [p for p in places if p not in where[char]]
    if where:
        raise UnprintableCharactersError(where, fonts.all_choices)


def paint(
    documents: list[LaidOutDocument],
    setup: PageSetup,
    faces: Faces,
    title: str,
    author: str,
    progress: Progress | None = None,
) -> bytes:
    """Draw laid-out documents into one PDF (fonts embedded as subsets); returns its bytes."""
    from reportlab import rl_config
    from reportlab.pdfgen.canvas import Canvas

    # Compressed page streams are written as binary, not re-encoded as ASCII85: a batch
    # of 500 summonses spent a third of its time in that encoding, and every reader copes.
    rl_config.useA85 = 0
    buffer = io.BytesIO()
    # The initial font is ours too, so the PDF names no unembedded standard font.
    canvas = Canvas(
        buffer,
        pagesize=(setup.page_width, setup.page_height),
        invariant=True,
        pageCompression=1,
        initialFontName=faces.body.primary,
        initialFontSize=setup.body_size,
    )
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("courtdesk")
    canvas.setSubject(title)
    total = len(documents)
    for index, document in enumerate(documents):
        count = len(document.pages)
        for number, page in enumerate(document.pages, start=1):
            _paint_page(canvas, page, faces.body.primary)
            if count > 1:
                _page_number(canvas, setup, faces, number, count)
            canvas.showPage()
        if progress is not None:
            progress(index + 1, total)
    canvas.save()
    return buffer.getvalue()


def _paint_page(canvas: Canvas, page: list[Op], face: str) -> None:
    for op in page:
        kind = op[0]
        if kind == "text":
            _, x, y, size, runs, char_space = op
            text = canvas.beginText(x, y)
            # always set: the character spacing is text state that outlives BT/ET
            text.setCharSpace(char_space)
            for run_face, chunk in runs:
                text.setFont(run_face, size)
                text.textOut(chunk)
            canvas.drawText(text)
        elif kind == "line":
            _, x1, y1, x2, y2, width = op
            canvas.setLineWidth(width)
            canvas.line(x1, y1, x2, y2)
        elif kind == "barcode":
            # reportlab.graphics (barcodes, and through them platypus) is half of
            # reportlab's import time and only receipts carry a barcode.
            from reportlab.graphics.barcode.code128 import Code128

            _, right, y, value, height = op
            code = Code128(value, barHeight=height, barWidth=0.9, quiet=False)
            code.drawOn(canvas, right - code.width, y + 10)
            # the digits under the bars in our own (embedded) face, not Helvetica
            canvas.setFont(face, 8)
            canvas.drawRightString(right, y, value)


def _page_number(canvas: Canvas, setup: PageSetup, faces: Faces, number: int, count: int) -> None:
    text = f"第{number}页，共{count}页"
    face = faces.body.primary
    size = setup.small_size
    from reportlab.pdfbase import pdfmetrics

    width = pdfmetrics.stringWidth(text, face, size)
    canvas.setFont(face, size)
    canvas.drawString((setup.page_width - width) / 2, setup.bottom / 2, text)
