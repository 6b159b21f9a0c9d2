from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

from courtdesk.ui.app import make_application
from courtdesk.ui.fonts import PREFERRED_FAMILY


def test_bundled_font_is_registered_and_draws_chinese(qapp: QApplication) -> None:
    make_application()
    assert PREFERRED_FAMILY in QFontDatabase.families()
    metrics = QFontMetrics(QFont(PREFERRED_FAMILY))
    for char in "案号长春新区人民法院堃喆淼犇彧昇〇":
        assert metrics.inFontUcs4(ord(char)), char
    assert PREFERRED_FAMILY in QApplication.font().families()
