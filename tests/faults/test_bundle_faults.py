"""A bundle killed at a chosen point (an injected pause, not a sleep race)
leaves no site copy behind: SIGTERM and SIGINT remove it on the way out, and
after SIGKILL the next bundle removes it. Nothing lands in the system's
temporary folder in any case."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.bundle import WORK_FOLDER

from conftest import make_site_project

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.faults


def start(project: dict[str, Path], out: Path, env: dict[str, str], pause: Path | None) -> subprocess.Popen[str]:
    """``pause``: the marker file of a pause point named by ``ARCHIVE_PAUSE_AT`` in ``env``."""
    command = [sys.executable, "-m", "builder", "bundle", "--source", str(project["source"])]
    command += ["--config", str(project["config"]), "--out", str(out)]
    extra = {"ARCHIVE_PAUSE_FILE": str(pause)} if pause else {"ARCHIVE_PAUSE_AT": ""}
    return subprocess.Popen(command, env={**env, **extra}, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def wait_for_pause(process: subprocess.Popen[str], marker: Path) -> None:
    give_up = time.monotonic() + 300
    while not marker.exists():
        assert process.poll() is None, f"the bundle ended (code {process.returncode}) before pausing"
        assert time.monotonic() < give_up, "the bundle never reached its pause point"
        time.sleep(0.02)


@pytest.mark.parametrize("point", ["site", "zip"])
@pytest.mark.parametrize("kill", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_killed_bundle_leaves_no_site_copy(tmp_path: Path, point: str, kill: signal.Signals) -> None:
    project = make_site_project(tmp_path / "project", REPO / "source")
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(system_tmp), "ARCHIVE_PAUSE_AT": f"bundle-{point}"}
    out = tmp_path / "dist" / "b.zip"
    work = project["root"] / WORK_FOLDER
    marker = tmp_path / "paused"

    process = start(project, out, env, marker)
    wait_for_pause(process, marker)
    assert [p.name for p in work.iterdir()] != []  # the site copy is there while it runs
    process.send_signal(kill)
    code = process.wait(timeout=60)
    assert code != 0
    assert list(system_tmp.iterdir()) == []
    assert not out.exists()
    if kill != signal.SIGKILL:
        assert not work.exists()  # removed on the way out
        assert not out.with_name(out.name + ".partial").exists()

    again = start(project, out, env, None)
    _, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    assert out.is_file()
    assert not work.exists()  # the killed bundle's folder went with the next one
    assert list(system_tmp.iterdir()) == []
