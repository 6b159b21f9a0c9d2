"""The 立案 dialog on a 1920×1080 desk screen shows every party column without scrolling.

The test session's offscreen screen is 800×600, where the dialog is capped to the
screen; a fresh interpreter gets an offscreen screen of a desk's size (the plugin's
configfile) and opens the real dialog from the real main window with Ctrl+N.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.ui.fresh_process import run_window_script

THEN = """
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from courtdesk.ui.register_dialog import RegisterCaseDialog
QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
started = time.monotonic()
while not window.findChildren(RegisterCaseDialog) and time.monotonic() - started < 30:
    app.processEvents()
    time.sleep(0.005)
dialog = window.findChildren(RegisterCaseDialog)[-1]
for _ in range(20):
    app.processEvents()
screen = dialog.screen().availableGeometry()
print(json.dumps({
    "screen": [screen.width(), screen.height()],
    "dialog": [dialog.width(), dialog.height()],
    "sideways": dialog.party_table.horizontalScrollBar().maximum(),
}))
dialog.close()
window.close()
runner.wait()
"""


def open_on_screen(tmp_path: Path, demo_path: Path, width: int, height: int) -> dict[str, int]:
    screen = {"name": "desk", "x": 0, "y": 0, "width": width, "height": height}
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    shown = run_window_script(THEN, demo_path, f"offscreen:configfile={config}")
    return {
        "screen": shown["screen"][0],
        "width": shown["dialog"][0],
        "sideways": shown["sideways"],
    }


def test_on_a_desk_screen_every_party_column_is_in_view(tmp_path: Path, demo_path: Path) -> None:
    desk = open_on_screen(tmp_path, demo_path, 1920, 1080)
    assert desk["screen"] == 1920
    assert desk["sideways"] == 0
    # A laptop's screen still caps the dialog (widgets.fit_to_screen); the grid scrolls.
    laptop = open_on_screen(tmp_path, demo_path, 1090, 580)
    assert laptop["width"] <= 1090 and laptop["sideways"] > 0
