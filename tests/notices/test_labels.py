"""Address labels stay on their labels: nothing printed past a label's edge, cuts marked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument

from courtdesk.notices.labels import SHEETS, AddressLabel, LabelSheet, labels_pdf
from tests.notices.helpers import BUNDLED_ONLY, pdf_text

DPI = 150
MM_PX = DPI / 25.4

LONG = AddressLabel(
    postcode="130012",
    # A name whose （收） ends exactly at the edge: the closing mark used to hang past it.
    address="吉林省长春市长春新区长德经济开发区重庆路2514号万科城19栋4单元2802室",
    recipient="中国农业银行股份有限公司长春北湖支行",
    phone="13238751604",
    sender="长春新区人民法院 长春市新区盛北大街1234号",
    reference="（2026）吉0193民初288号 传票（2026年12月14日上午8时30分在第三法庭开庭）",
    code="SD000074054",
)
VERY_LONG_ADDRESS = AddressLabel(
    postcode="",
    address="吉林省长春市长春新区北湖科技开发区盛北大街与福祉大路交汇处东南角"
    "长春新区某某国际商务中心写字楼B座十七层1702室至1708室（前台转法务部）",
    recipient="长春市彧昇建筑工程有限责任公司",
    phone="0431-81234567",
    sender="长春新区人民法院",
    reference="（2026）吉0193民初1234号 起诉状副本",
    code="SD000000017",
)


def render(pdf: bytes, tmp_path: Path) -> list[QImage]:
    path = tmp_path / "labels.pdf"
    path.write_bytes(pdf)
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    images = []
    for page in range(document.pageCount()):
        size = document.pagePointSize(page)
        pixels = QSize(int(size.width() * DPI / 72), int(size.height() * DPI / 72))
        sheet = QImage(pixels, QImage.Format.Format_RGB32)
        sheet.fill(Qt.GlobalColor.white)
        painter = QPainter(sheet)
        painter.drawImage(0, 0, document.render(page, pixels))
        painter.end()
        images.append(sheet)
    document.close()
    return images


def ink_outside_labels(image: QImage, sheet: LabelSheet) -> list[tuple[int, int]]:
    """Dark pixels that lie on no label (the gaps between labels and the sheet's margins)."""
    inside_x = [
        (
            (sheet.left + c * (sheet.width + sheet.gap_x)) * MM_PX,
            (sheet.left + c * (sheet.width + sheet.gap_x) + sheet.width) * MM_PX,
        )
        for c in range(sheet.columns)
    ]
    inside_y = [
        (
            (sheet.top + r * (sheet.height + sheet.gap_y)) * MM_PX,
            (sheet.top + r * (sheet.height + sheet.gap_y) + sheet.height) * MM_PX,
        )
        for r in range(sheet.rows)
    ]
    found = []
    for y in range(0, image.height(), 2):
        on_row = any(a <= y <= b for a, b in inside_y)
        for x in range(0, image.width(), 2):
            if image.pixelColor(x, y).lightness() > 128:
                continue
            if not (on_row and any(a <= x <= b for a, b in inside_x)):
                found.append((x, y))
    return found


def test_nothing_is_printed_past_a_labels_edge(qapp: object, tmp_path: Path) -> None:
    for key in ("2x7", "3x7"):
        sheet = SHEETS[key]
        labels = [LONG, VERY_LONG_ADDRESS] * sheet.per_sheet
        pdf = labels_pdf(labels[: sheet.per_sheet], sheet, BUNDLED_ONLY, "地址标签", "法院")
        (image,) = render(pdf, tmp_path)
        stray = ink_outside_labels(image, sheet)
        assert not stray, f"{sheet.name}: ink outside the labels at {stray[:5]}"


def test_cut_text_is_marked_and_the_name_is_whole(qapp: object) -> None:
    sheet = SHEETS["2x7"]
    text = pdf_text(labels_pdf([LONG, VERY_LONG_ADDRESS], sheet, BUNDLED_ONLY, "地址标签", "法院"))
    assert "中国农业银行股份有限公司长春北湖支行（收）" in text
    # The whole address prints: it used to be cut after its first line, without a mark.
    assert LONG.address in text
    # The reference is cut with …, not left hanging mid-clause.
    assert "（2026）吉0193民初288号传票（2026年12月…" in text
    # The long address shrinks before it is cut: its room number still prints.
    assert "1702室" in text
