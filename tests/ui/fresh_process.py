"""The real main window in a fresh interpreter, for what one test session cannot show:
the imports of a cold start, a screen of another size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# Opens the window on the database in argv[1] and waits until the docket is on screen;
# a test appends what to do then and prints its answer as JSON on the last line.
OPEN_WINDOW = """
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
"""


def run_window_script(then: str, database: Path, platform: str = "offscreen") -> Any:
    """Run ``OPEN_WINDOW`` and ``then`` on ``database``; the JSON it printed last."""
    done = subprocess.run(
        [sys.executable, "-c", OPEN_WINDOW + then, str(database)],
        capture_output=True,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM=platform),
        timeout=120,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
