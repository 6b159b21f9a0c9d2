"""Start-up stays quick: the window opens without the libraries only some features need.

pypinyin reads its dictionaries on import (over half a second), openpyxl takes a
quarter of a second, reportlab a fifth of the start-up's imports, the demo generator
and the calculators' PDF sheets more; each is imported where it is used. A fresh interpreter opens the real main window on a
demo database and reports what it imported, so a top-level import that slips back
in fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys, time
from pathlib import Path
from courtdesk.ui.app import make_application, open_database
from courtdesk.ui.main_window import MainWindow
from courtdesk.ui.tasks import TaskRunner
app = make_application()
ws = open_database(Path(sys.argv[1]), None)
runner = TaskRunner(app)
window = MainWindow(ws, runner)
window.show()
model = window.docket_page.model
while not (model.is_counted and model.row_at(0) is not None):  # the docket is on screen
    app.processEvents()
    time.sleep(0.001)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"pypinyin", "openpyxl", "reportlab"}
                or m in {"courtdesk.services.demo", "courtdesk.ui.calculators.fee_dialog"})
window.close()
runner.wait()
print(json.dumps(loaded))
"""


def test_the_main_window_opens_without_the_slow_optional_libraries(demo_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(demo_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == []
