"""The scale benchmark's small version, so its code cannot rot (the full run is `make bench`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import scale

pytestmark = pytest.mark.slow


def test_small_benchmark_measures_every_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
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
        "8 backup",
    } <= steps
    for figure in report["figures"]:
        assert figure["median_ms"] > 0 and figure["p95_ms"] >= figure["median_ms"]
    assert report["extra"]["resident_mb"] > 0
    assert "courtdesk scale benchmark: 10,000 cases" in capsys.readouterr().out
    # A second run reuses the cached database instead of generating it again.
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
        ]
    )
    assert json.loads(out.read_text(encoding="utf-8"))["build_seconds"] is None
