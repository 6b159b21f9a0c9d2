"""Start-up stays quick: the window opens without the libraries only some features need.

pypinyin reads its dictionaries on import (over half a second), openpyxl takes a
quarter of a second, reportlab a fifth of the start-up's imports, the demo generator
and the calculators' PDF sheets more; each is imported where it is used. A fresh
interpreter opens the real main window on a demo database and reports what it
imported, so a top-level import that slips back in fails here.
"""

from __future__ import annotations

from pathlib import Path

from tests.ui.fresh_process import run_window_script

THEN = """
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"pypinyin", "openpyxl", "reportlab"}
                or m in {"courtdesk.services.demo", "courtdesk.ui.calculators.fee_dialog"})
window.close()
runner.wait()
print(json.dumps(loaded))
"""


def test_the_main_window_opens_without_the_slow_optional_libraries(demo_path: Path) -> None:
    assert run_window_script(THEN, demo_path) == []
