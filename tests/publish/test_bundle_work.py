"""Where the bundle works and what it leaves: nothing in the system's temporary
folder, no Material search files in the zip, one line for an environment error."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from builder.bundle import UNUSED_THEME_FOLDERS, WORK_FOLDER, remove_stale_work

from .helpers import REPO, Bundle
from conftest import make_site_project


def bundle_command(project: dict[str, Path], out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "builder",
        "bundle",
        "--source",
        str(project["source"]),
        "--config",
        str(project["config"]),
        "--out",
        str(out),
    ]


def private_tmp(tmp_path: Path) -> dict[str, str]:
    """The environment of a bundle whose system temporary folder is its own, to be looked at after."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    return {**os.environ, "TMPDIR": str(folder)}


def test_the_zip_holds_none_of_materials_search_files(offline_bundle: Bundle) -> None:
    with zipfile.ZipFile(offline_bundle.result.path) as archive:
        names = archive.namelist()
    unused = [n for n in names if any(f"/{folder}/" in n for folder in UNUSED_THEME_FOLDERS)]
    assert unused == []
    assert not any("lunr" in n for n in names)
    assert any(n.endswith("assets/search/engine.js") for n in names)  # the archive's own search is there


def test_a_stale_work_folder_is_removed_and_a_live_one_kept(tmp_path: Path) -> None:
    parent = tmp_path / "bundle-work"
    dead = parent / "999999999-dead"  # no such process, its lock released
    (dead / "site").mkdir(parents=True)
    (dead / ".owner").write_bytes(b"")
    live = parent / f"{os.getpid()}-live"
    live.mkdir()
    descriptor = os.open(live / ".owner", os.O_WRONLY | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        remove_stale_work(parent)
        assert not dead.exists()
        assert live.is_dir()
    finally:
        os.close(descriptor)


@pytest.mark.slow
def test_a_bundle_leaves_no_work_folder_and_nothing_in_the_system_temporary_folder(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "project", REPO / "source")
    env = private_tmp(tmp_path)
    done = subprocess.run(
        bundle_command(project, tmp_path / "dist" / "b.zip"), env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dist" / "b.zip").is_file()
    assert not (project["root"] / WORK_FOLDER).exists()
    assert list(Path(env["TMPDIR"]).iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("how", ["read-only", "not-a-folder"])
def test_an_unwritable_output_is_one_line_naming_it_and_leaves_nothing(tmp_path: Path, how: str) -> None:
    project = make_site_project(tmp_path / "project", REPO / "source")
    blocked = tmp_path / "out"
    if how == "read-only":
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        blocked.mkdir()
        blocked.chmod(0o555)
    else:
        blocked.write_text("a file where the output folder should be")
    env = private_tmp(tmp_path)
    done = subprocess.run(
        bundle_command(project, blocked / "b.zip"), env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(blocked) in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert not (project["root"] / WORK_FOLDER).exists()
    assert list(Path(env["TMPDIR"]).iterdir()) == []
    if blocked.is_dir():
        assert list(blocked.iterdir()) == []
