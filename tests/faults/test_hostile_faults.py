"""Hostile inputs at full size (issue 16, point 4): the campaign's sizes, files
at the builder's size limit, a real FIFO, socket and symlink loop through the
real command line, and whole site builds. Run by `make faults`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from builder.cli import main
from builder.pipeline import Tagging, collect
from builder.taxonomy import load_taxonomy

from conftest import REPO, build_args, make_site_project

sys.path.insert(0, str(REPO / "bench"))
from hostile_bench import hostile_inputs

pytestmark = pytest.mark.faults
REJECTED = {"date-overflow.md", "title-diacritics.md", "too-big.md"}


def test_every_hostile_input_at_full_size_is_published_or_rejected(tmp_path: Path) -> None:
    for name, data in hostile_inputs().items():
        (tmp_path / name).write_bytes(data)
    collected = collect(tmp_path, tagging=Tagging(load_taxonomy()), jobs=1)
    rejected = {r.source_path for r in collected.rejections}
    assert rejected == REJECTED
    seen = {a.source_path for a in collected.articles} | {a.source_path for a, _ in collected.duplicates}
    assert seen | rejected == set(hostile_inputs(scale=0.001))


def _cli(project: dict[str, Path], command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "builder", *build_args(project, command)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,  # a FIFO made both hang for ever
        check=False,
    )


def test_fifo_socket_loop_and_odd_names_are_reported_by_check_and_build(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "project", REPO / "source")
    source = project["source"]
    os.mkfifo(source / "x.md")
    (source / "loop").symlink_to("loop")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(source / "sock.md"))
        (source / os.fsdecode(b"\xc7\xe1\xda.md")).write_text("---\ntitle: ع\n---\n\nنص.\n", encoding="utf-8")
        checked = _cli(project, "check")
        built = _cli(project, "build")
    odd = {"x.md", "loop", "sock.md", "\\xc7\\xe1\\xda.md"}
    assert checked.returncode == 1 and built.returncode == 1, built.stderr
    assert {line.split(":")[0] for line in checked.stderr.splitlines() if ": error: " in line} == odd
    report = json.loads(project["report"].read_text(encoding="utf-8"))
    assert {r["file"] for r in report["rejected"]} == odd
    assert (project["site"] / "index.html").is_file()


def test_a_site_with_hostile_articles_builds(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "project", REPO / "source")
    chosen = ("emphasis.md", "images.md", "brackets.md", "quotes.md", "list.md", "tags.md", "date-2107.md")
    inputs = hostile_inputs()
    for name in (*chosen, "date-overflow.md", "title-diacritics.md"):
        (project["source"] / name).write_bytes(inputs[name])
    (project["source"] / "date-9999.md").write_bytes(inputs["date-9999.md"])
    assert main(build_args(project)) == 1  # RecursionError or gzip ValueError before
    report = json.loads(project["report"].read_text(encoding="utf-8"))
    assert {r["file"] for r in report["rejected"]} == {"date-overflow.md", "title-diacritics.md"}
    pages = {p["file"] for p in report["pages"]}
    assert set(chosen) | {"date-9999.md"} <= pages
    assert (project["site"] / "sitemap.xml.gz").is_file()
    tag_pages = list((project["site"] / "tags").rglob("index.html"))
    assert len(tag_pages) < 300  # 10,023 before: the article's tags are capped


def test_an_archive_older_than_1970_builds(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "project")
    project["source"].mkdir()
    (project["source"] / "old.md").write_text("---\ntitle: قديم\ndate: 1948-05-15\n---\n\nنص قديم.\n", encoding="utf-8")
    assert main(build_args(project)) == 0  # the gzip stamp was negative before
    assert (project["site"] / "sitemap.xml.gz").is_file()
