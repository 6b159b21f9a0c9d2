"""Typing Chinese into widgets the way a clerk's input method does.

QTest's key clicks only know ASCII (Qt asserts on anything else), and Chinese is
never typed key by key anyway: the input method commits whole characters. So
ASCII goes in as key clicks and everything else as input-method commits.
"""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    for char in text:
        if char.isascii():
            qtbot.keyClick(widget, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(widget, event)
