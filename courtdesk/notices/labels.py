"""Address labels (邮寄标签) on A4 label sheets, for the envelopes of a batch of tasks.

Each label carries the recipient's postcode, address, name and phone, the sender
(the court) and, where the label is wide enough, the receipt's barcode, so a
returned envelope is booked by scanning it like the receipt itself. Label stock
differs between courts: the sheet is chosen from the common A4 layouts (a court
setting). Characters are drawn from the same font chain as the court's documents,
so a rare character in a name prints or is reported, never a box.
"""

from __future__ import annotations

from dataclasses import dataclass

from courtdesk.errors import FieldProblem, ValidationError
from courtdesk.notices.fonts import FontStack
from courtdesk.notices.layout import (
    MM,
    PAGE_HEIGHT,
    DocBuilder,
    Faces,
    Line,
    PageSetup,
    check_printable,
    paint,
)


@dataclass(frozen=True)
class LabelSheet:
    """An A4 sheet of labels: the grid and where its first label starts (millimetres)."""

    key: str
    name: str
    columns: int
    rows: int
    width: float
    height: float
    top: float
    left: float
    gap_x: float
    gap_y: float = 0.0

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows


SHEETS: dict[str, LabelSheet] = {
    s.key: s
    for s in (
        LabelSheet(
            "2x7", "A4 每页 14 张（2×7，99.1×38.1 毫米）", 2, 7, 99.1, 38.1, 15.15, 4.65, 2.5
        ),
        LabelSheet(
            "2x8", "A4 每页 16 张（2×8，99.1×33.9 毫米）", 2, 8, 99.1, 33.9, 12.9, 4.65, 2.5
        ),
        LabelSheet("2x5", "A4 每页 10 张（2×5，99.1×57 毫米）", 2, 5, 99.1, 57.0, 6.0, 4.65, 2.5),
        LabelSheet(
            "3x7", "A4 每页 21 张（3×7，63.5×38.1 毫米）", 3, 7, 63.5, 38.1, 15.15, 7.2, 2.5
        ),
    )
}


@dataclass(frozen=True)
class AddressLabel:
    postcode: str
    address: str
    recipient: str  # the name as it goes on the envelope
    phone: str
    sender: str  # 长春新区人民法院 and its address
    reference: str  # 案号 and the document, small, for the centre's own checking
    code: str  # the receipt barcode (SD…)


PADDING_MM = 3.5
BARCODE_MIN_WIDTH_MM = 80  # narrower labels leave the barcode out
BARCODE_ROOM = 112.0  # points kept free for it at the bottom right


def labels_pdf(
    labels: list[AddressLabel],
    sheet: LabelSheet,
    fonts: FontStack,
    title: str,
    author: str,
    skip: int = 0,
) -> bytes:
    """The labels laid out on as many sheets as they need, starting at label ``skip``
    of the first sheet (a partly used sheet goes back in the printer)."""
    if not labels:
        raise ValidationError([FieldProblem("labels", "没有要打印的地址标签")])
    if not 0 <= skip < sheet.per_sheet:
        raise ValidationError([FieldProblem("skip", f"起始位置应在 1 到 {sheet.per_sheet} 之间")])
    faces = Faces(fonts)
    setup = PageSetup(top_mm=5, bottom_mm=5, left_mm=5, right_mm=5)
    builders: list[DocBuilder] = []
    slot = skip
    builder = DocBuilder(setup, faces, title)
    for label in labels:
        if slot == sheet.per_sheet:
            builders.append(builder)
            builder = DocBuilder(setup, faces, title)
            slot = 0
        row, column = divmod(slot, sheet.columns)
        x = (sheet.left + column * (sheet.width + sheet.gap_x)) * MM
        top = PAGE_HEIGHT - (sheet.top + row * (sheet.height + sheet.gap_y)) * MM
        _draw_label(builder, label, sheet, x, top)
        slot += 1
    builders.append(builder)
    check_printable(builders, fonts)
    # One document a sheet: a label sheet carries no page numbers.
    return paint([b.finish() for b in builders], setup, faces, title, author)


ELLIPSIS = "…"
NAME_FACTORS = (1.0, 0.95, 0.9, 0.85)
SMALLEST_ADDRESS = 0.7  # the address shrinks to 70 % of its size before it is cut


def _fit(
    builder: DocBuilder, text: str, size: float, width: float, heading: bool = False
) -> list[Line]:
    """Lines that stay inside ``width``.

    The wrapper lets a closing mark such as the ）of （收） hang past the width, which a
    justified paragraph absorbs by squeezing; a label is drawn line by line up to its
    edge, so such a text is wrapped again a character narrower.
    """
    chain = builder.faces.heading if heading else builder.faces.body
    narrower = width
    for _ in range(4):
        lines = builder.wrap(text, chain, size, narrower)
        if all(builder.measure(line.text, size, heading) <= width + 0.01 for line in lines):
            return lines
        narrower -= size
    return lines


def _one_line(builder: DocBuilder, text: str, size: float, width: float) -> str:
    """``text`` on one line, ending in … when cut (never silently in the middle of a clause)."""
    lines = _fit(builder, text, size, width)
    if len(lines) == 1:
        return lines[0].text
    return _fit(builder, text, size, width - builder.measure(ELLIPSIS, size))[0].text + ELLIPSIS


def _draw_label(
    builder: DocBuilder, label: AddressLabel, sheet: LabelSheet, x: float, top: float
) -> None:
    """Postcode, address, name and phone from the top; sender and reference at the bottom.

    Nothing is drawn past the label's edge. What does not fit is shortened in this
    order: the phone joins the name's line only if there is room beside it; the
    address shrinks (to 70 %) before its last lines are cut, and a cut ends in …; the
    reference line is cut with ….
    """
    pad = PADDING_MM * MM
    width = sheet.width * MM - 2 * pad
    left = x + pad
    scale = min(1.0, sheet.width / 99.1)
    body, big, small = 10.5 * scale, 13.0 * scale, 7.0 * scale
    name = f"{label.recipient}（收）"
    # A name a little too long for one line is set a little smaller rather than pushing
    # （收） onto a line of its own and the address out of its room.
    for factor in NAME_FACTORS:
        name_lines = _fit(builder, name, big * factor, width, heading=True)
        if len(name_lines) == 1:
            big *= factor
            break
    else:
        name_lines = _fit(builder, name, big, width, heading=True)[:2]
    phone = f"电话 {label.phone}" if label.phone else ""
    beside = bool(phone) and (
        builder.measure(name_lines[-1].text, big, heading=True) + big + builder.measure(phone, body)
        <= width
    )
    room = sheet.height * MM - 2 * pad - 2 * small * 1.3
    fixed = (big * 1.35 if label.postcode else 0) + len(name_lines) * big * 1.4
    fixed += body * 1.3 if phone and not beside else 0
    address_text = label.address or "（无地址）"
    size = body
    while True:
        address = _fit(builder, address_text, size, width)
        fits = max(1, min(3, int((room - fixed) // (size * 1.3))))
        if len(address) <= fits or size <= body * SMALLEST_ADDRESS:
            break
        size = max(body * SMALLEST_ADDRESS, size - 0.5 * scale)
    if len(address) > fits:
        rest = "".join(line.text for line in address[fits - 1 :])
        address = [
            *address[: fits - 1],
            Line(_one_line(builder, rest, size, width), 0.0, 0.0, True),
        ]
    y = top - pad
    if label.postcode:
        y -= big
        builder.text_at(left, y, "　".join(label.postcode), big)
        y -= big * 0.35
    for line in address:
        y -= size * 1.3
        builder.text_at(left, y, line.text, size)
    for line in name_lines:
        y -= big * 1.4
        used = builder.text_at(left, y, line.text, big, heading=True)
    if phone and beside:
        builder.text_at(left + used + big, y, phone, body)
    elif phone:
        y -= body * 1.3
        builder.text_at(left, y, phone, body)
    bottom = top - sheet.height * MM + pad
    barcode = sheet.width >= BARCODE_MIN_WIDTH_MM and bool(label.code)
    room_x = width - (BARCODE_ROOM if barcode else 0)
    for offset, text in ((small * 1.3, f"寄件：{label.sender}"), (0.0, label.reference)):
        builder.text_at(left, bottom + offset, _one_line(builder, text, small, room_x), small)
    if barcode:
        builder.barcode_at(x + sheet.width * MM - pad, bottom - 1, label.code, 16 * scale)
