"""The installation self-check, run from the source tree (test_build.py runs it frozen)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from courtdesk.cli import main


def test_the_self_check_passes_and_names_qts_chinese_translation(
    qapp: QApplication, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--self-check"]) == 0
    out = capsys.readouterr().out
    assert "自检通过" in out and "失败" not in out
    assert "Qt 翻译 zh_CN" in out
