"""Builds killed at chosen points, and two runs at once.

A real ``python -m builder build`` runs in a subprocess and stops at a named
pause point (``builder.pausepoints``); the test then sends a signal, so the
kill lands exactly there, never by a sleep race. Whatever the signal, ``site/``
must be the complete previous site (or, once swapped, the complete new one),
and the next build must succeed and leave nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, build_args

pytestmark = pytest.mark.faults

LEFTOVERS = (".site.building", ".site.previous", ".site.replaced")


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def copy_of(sample_site: dict[str, Path], tmp: Path) -> dict[str, Path]:
    shutil.copytree(sample_site["root"], tmp, symlinks=True)
    return {name: tmp / path.relative_to(sample_site["root"]) for name, path in sample_site.items()}


def start(
    project: dict[str, Path], *extra: str, pause_at: str = "", marker: Path | None = None
) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if pause_at and marker is not None:
        env |= {"ARCHIVE_PAUSE_AT": pause_at, "ARCHIVE_PAUSE_FILE": str(marker)}
    return subprocess.Popen(
        [sys.executable, "-m", "builder", *build_args(project), *extra],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(marker: Path, process: subprocess.Popen[str], limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(f"the build ended before its pause point: {process.communicate()}")
        assert time.monotonic() < deadline, "the build never reached its pause point"
        time.sleep(0.05)


def edit_source(project: dict[str, Path]) -> None:
    victim = sorted(project["source"].rglob("*.md"))[0]
    text = victim.read_text(encoding="utf-8")
    victim.write_text(text + "\n\nفقرة أضيفت للتجربة.\n", encoding="utf-8")


@pytest.mark.parametrize("dirty", [False, True], ids=["clean", "dirty"])
@pytest.mark.parametrize("point", ["mkdocs-written", "publish-staged"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["TERM", "INT", "KILL"])
def test_a_killed_build_leaves_the_previous_site(
    sample_site: dict[str, Path], tmp_path: Path, dirty: bool, point: str, sig: signal.Signals
) -> None:
    project = copy_of(sample_site, tmp_path / "p")
    before = tree_hashes(project["site"])
    edit_source(project)
    marker = tmp_path / "paused"
    process = start(project, *(["--dirty"] if dirty else []), pause_at=point, marker=marker)
    wait_for(marker, process)
    process.send_signal(sig)
    process.communicate(timeout=120)
    expected = {signal.SIGTERM: 143, signal.SIGINT: 130, signal.SIGKILL: -9}[sig]
    assert process.returncode == expected
    assert tree_hashes(project["site"]) == before
    if sig != signal.SIGKILL:
        assert [n for n in LEFTOVERS if (project["root"] / n).exists()] == []
    again = start(project, *(["--dirty"] if dirty else []))
    assert again.wait(timeout=600) == 0, again.communicate()
    assert tree_hashes(project["site"]) != before
    assert [n for n in LEFTOVERS if (project["root"] / n).exists()] == []


def test_a_build_killed_after_the_swap_leaves_the_new_site(sample_site: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(sample_site, tmp_path / "p")
    edit_source(project)
    marker = tmp_path / "paused"
    process = start(project, pause_at="publish-swapped", marker=marker)
    wait_for(marker, process)
    new = tree_hashes(project["site"])
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert tree_hashes(project["site"]) == new
    assert start(project, "--dirty").wait(timeout=600) == 0
    assert tree_hashes(project["site"]) == new
    assert [n for n in LEFTOVERS if (project["root"] / n).exists()] == []


def test_a_second_build_fails_at_once_while_one_runs(sample_site: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(sample_site, tmp_path / "p")
    before = tree_hashes(project["site"])
    marker = tmp_path / "paused"
    first = start(project, pause_at="mkdocs-written", marker=marker)
    wait_for(marker, first)
    other = tmp_path / "other"
    other.mkdir()
    second = start({**project, "source": other})
    _, error = second.communicate(timeout=120)
    assert second.returncode == 75
    assert "another build" in error
    assert tree_hashes(project["site"]) == before
    marker.unlink()  # let the first build finish
    assert first.wait(timeout=600) == 0
    assert tree_hashes(project["site"]) == before  # the same source: the same site
