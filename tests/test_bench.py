"""The scale benchmark's small version, so its code cannot rot (the full run is `make bench`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import scale

pytestmark = pytest.mark.slow


def test_small_benchmark_measures_every_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "results.json"
    assert (
        scale.main(
            [
                "--cases",
                "10000",
                "--runs",
                "3",
                "--db",
                str(tmp_path / "bench.sqlite3"),
                "--out",
                str(out),
                "--summons-batch",
                "10",
            ]
        )
        == 0
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    steps = {f["step"] for f in report["figures"]}
    assert {
        "1 start-up",
        "2 docket",
        "3 search",
        "4 open a case",
        "5 hearings",
        "6 dashboard",
        "7 summons",
        "8 backup",
    } <= steps
    summonses = [f for f in report["figures"] if f["step"] == "7 summons"]
    assert [f["what"].split(" ")[0] for f in summonses] == ["one", "batch"]
    assert "batch of 10 summonses" in summonses[1]["what"]
    for figure in summonses:
        # Beside each, the LibreOffice route, or a note saying it was not measured.
        assert figure["baseline_ms"] or "LibreOffice not installed" in figure["note"]
        if figure["baseline_ms"]:
            assert figure["speedup_over_baseline"] > 1
    for figure in report["figures"]:
        assert figure["median_ms"] > 0 and figure["p95_ms"] >= figure["median_ms"]
    assert report["extra"]["resident_mb"] > 0
    assert "courtdesk scale benchmark: 10,000 cases" in capsys.readouterr().out
    # A second run reuses the cached database instead of generating it again; without
    # LibreOffice the summons step still measures ours and says what it left out.
    monkeypatch.setattr(scale, "_libreoffice", lambda: None)
    scale.main(
        [
            "--cases",
            "10000",
            "--runs",
            "1",
            "--db",
            str(tmp_path / "bench.sqlite3"),
            "--out",
            str(out),
            "--only",
            "docket",
            "summons",
            "--summons-batch",
            "5",
        ]
    )
    again = json.loads(out.read_text(encoding="utf-8"))
    assert again["build_seconds"] is None
    summonses = [f for f in again["figures"] if f["step"] == "7 summons"]
    assert len(summonses) == 2
    for figure in summonses:
        assert figure["median_ms"] > 0 and figure["baseline_ms"] is None
        assert "LibreOffice not installed" in figure["note"]


def test_a_step_over_its_floor_ratio_misses_its_target_however_fast() -> None:
    """The docket steps and opening a case must be within 3× of the raw floor as well
    as under 50 ms: a step at 1 ms against a 0.2 ms floor is not met."""
    within = scale.Figure("4 open a case", "x", 0.5, 0.6, 30, 0.2, 50, max_ratio=3)
    beyond = scale.Figure("4 open a case", "x", 1.0, 1.2, 30, 0.2, 50, max_ratio=3)
    unbounded = scale.Figure("5 hearings", "x", 1.0, 1.2, 30, 0.1, 2)
    assert within.met and not beyond.met and unbounded.met
