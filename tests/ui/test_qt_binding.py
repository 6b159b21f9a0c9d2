"""The Qt binding itself must not corrupt reference counts.

PySide6 6.12.0 returned ``True`` from ``Signal.emit()`` and ``None`` from
``QComboBox.currentData()`` without taking a reference, so every call dropped one:
after a few thousand background tasks (each emits a signal) the program aborted
with "deallocating True". These tests fail on such a binding.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox

CALLS = 2000


class _Emitter(QObject):
    fired = Signal(int, object)


def test_emitting_a_signal_keeps_reference_counts(qapp: object) -> None:
    emitter = _Emitter()
    seen: list[int] = []
    emitter.fired.connect(lambda number, _value: seen.append(number))
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for n in range(CALLS):
        emitter.fired.emit(n, None)
    seen.clear()
    assert sys.getrefcount(True) >= true_before - 10
    assert sys.getrefcount(None) >= none_before - 10


def test_reading_none_item_data_keeps_reference_counts(qapp: object) -> None:
    combo = QComboBox()
    combo.addItem("全部", None)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        assert combo.currentData() is None
    assert sys.getrefcount(None) >= before - 10
