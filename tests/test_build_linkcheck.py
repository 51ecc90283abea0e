"""``build`` checks every internal link and anchor of the site it made, as
MkDocs' strict mode did for the links it saw: MkDocs checks no link inside
ready HTML (builder.readyhtml), so the project's own link checker runs on the
staged site before it is swapped in."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import posixpath
from collections.abc import Callable
from pathlib import Path

import pytest

from builder import linkcheck, pipeline
from builder.cli import main
from builder.model import GeneratedFile

from conftest import REPO, build_args, make_site_project

FIXTURE_SITE = REPO / "tests" / "fixtures" / "publish" / "linkcheck_site"


def planting(monkeypatch: pytest.MonkeyPatch, markdown: str) -> list[str]:
    """Every article page gets ``markdown`` appended to its body, from the
    first build after this on; returns the pages it went into."""
    planted: list[str] = []
    original: Callable[..., GeneratedFile] = pipeline.render_article

    def render_article(*args: object, **kwargs: object) -> GeneratedFile:
        page = original(*args, **kwargs)
        if not planted:
            planted.append(page.path)
            return dataclasses.replace(page, content=page.content + "\n" + markdown + "\n")
        return page

    monkeypatch.setattr(pipeline, "render_article", render_article)
    return planted


def digest(site: Path) -> str:
    hashed = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            hashed.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()


@pytest.fixture
def built(tmp_path: Path) -> dict[str, Path]:
    project = make_site_project(tmp_path / "p", REPO / "source")
    assert main(build_args(project)) == 0
    return project


# A link MkDocs never sees (raw HTML is passed through untouched), and an anchor
# MkDocs does not check by default (``validation.anchors`` is "info").
BROKEN_LINK = '<p><a href="../no-such-briefing/">رابط مكسور</a></p>'
BROKEN_ANCHOR = "[قسم غير موجود](../tags/index.md#no-such-section)"


@pytest.mark.slow
@pytest.mark.parametrize("plain", [False, True], ids=["ready-html", "no-ready-html"])
@pytest.mark.parametrize(
    ("planted", "expected"),
    [(BROKEN_LINK, "../no-such-briefing/"), (BROKEN_ANCHOR, "#no-such-section")],
    ids=["link", "anchor"],
)
def test_a_planted_broken_link_fails_the_build(
    built: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    planted: str,
    expected: str,
    plain: bool,
) -> None:
    before = digest(built["site"])
    capsys.readouterr()
    pages = planting(monkeypatch, planted)
    code = main([*build_args(built), *(["--no-ready-html"] if plain else [])])
    error = capsys.readouterr().err
    assert code == 1
    assert pages, "the link went into a page"
    page = pages[0].removesuffix(".md") + "/index.html"
    assert "broken internal link" in error
    assert any(page in line and expected in line for line in error.splitlines()), error
    assert digest(built["site"]) == before, "the previous site is left as it was"


@pytest.mark.slow
def test_a_dirty_build_checks_links_too(built: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    planting(monkeypatch, BROKEN_ANCHOR)
    assert main([*build_args(built), "--dirty"]) == 1


def test_parallel_check_finds_the_same_as_a_serial_one(monkeypatch: pytest.MonkeyPatch) -> None:
    serial = linkcheck.scan_site(FIXTURE_SITE)
    monkeypatch.setattr(linkcheck, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(linkcheck, "_CHUNK", 1)
    parallel = linkcheck.scan_site(FIXTURE_SITE, jobs=2)
    assert serial.broken and parallel == serial


def test_links_resolve_as_normpath_resolves_them() -> None:
    names = ["..", ".", "a", "", "x.html"]
    for count in range(1, 5):
        for parts in itertools.product(names, repeat=count):
            path = "/".join(parts)
            if not path or path.startswith("/"):
                continue
            for folder in ["", "a", "a/b", "a/b/c"]:
                joined = posixpath.normpath(posixpath.join(folder, path))
                outside = joined == ".." or joined.startswith(("../", "/"))
                expected = None if outside else ("" if joined == "." else joined)
                assert linkcheck._resolve(folder, path) == expected, (folder, path)
