"""A small benchmark run, end to end through the real command line.

Its numbers are printed, never asserted: only that the run completes, writes
its JSON, and that what it counted is consistent (a rebuild after changing
nothing wrote no file; an edit re-rendered the edited page). The size can be
raised with BENCH_SMOKE_SIZES (e.g. ``1k``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

SIZES = os.environ.get("BENCH_SMOKE_SIZES", "200")


@pytest.mark.slow
def test_small_benchmark_run_completes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "results"
    completed = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "run.py"),
            "--sizes",
            SIZES,
            "--quick",
            "--results",
            str(results),
            "--work",
            str(tmp_path / "work"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    with capsys.disabled():
        print("\n" + completed.stdout)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    label = SIZES.split(",")[0].strip()
    data = json.loads((results / f"{label}.json").read_text(encoding="utf-8"))
    assert data["html_pages"] > data["size"]  # every article, plus home and archives
    assert data["rewritten"]["nothing"] == {
        "docs_rewritten": 0,
        "docs_added": 0,
        "docs_removed": 0,
        "site_rewritten": 0,
        "site_added": 0,
        "site_removed": 0,
    }
    assert data["rewritten"]["edit_one"]["docs_rewritten"] >= 1
    assert data["rewritten"]["edit_one"]["site_rewritten"] >= 1
    assert data["rewritten"]["add_one"]["site_added"] >= 1
    assert "| articles" in completed.stdout
