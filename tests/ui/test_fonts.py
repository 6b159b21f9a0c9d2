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


def test_qts_own_buttons_speak_chinese(qapp: QApplication) -> None:
    """A question asked with QMessageBox.question offers 是/否, not Yes/No."""
    from PySide6.QtWidgets import QMessageBox

    make_application()
    make_application()  # a second call installs nothing twice
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    yes = box.button(QMessageBox.StandardButton.Yes).text()
    no = box.button(QMessageBox.StandardButton.No).text()
    assert "是" in yes and "否" in no, (yes, no)
    box.deleteLater()
