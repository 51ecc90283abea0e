"""Ready HTML (builder.readyhtml): the builder renders its pages, MkDocs skips
Python-Markdown for them, and the site is byte for byte what MkDocs alone makes."""

from __future__ import annotations

import hashlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.utils.meta import get_data

from builder import readyhtml
from builder.cli import main

from conftest import REPO, build_args, make_site_project

sys.path.insert(0, str(REPO / "bench"))
import synth  # bench/ is not a package


def tree_digest(site: Path) -> dict[str, str]:
    """Every file of a site by its path, with the hash of its bytes."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def assert_same_tree(first: Path, second: Path) -> None:
    one, two = tree_digest(first), tree_digest(second)
    assert one.keys() == two.keys(), sorted(one.keys() ^ two.keys())[:10]
    differing = [path for path in one if one[path] != two[path]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"


class Counting:
    """How many pages MkDocs took ready, and how many it rendered itself."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.ready: list[str] = []
        self.rendered: list[str] = []
        original = readyhtml.find

        def find(path: str, markdown: str) -> object:
            where = original(path, markdown)
            (self.rendered if where is None else self.ready).append(path)
            return where

        monkeypatch.setattr(readyhtml, "find", find)


def build(project: dict[str, Path], *extra: str) -> int:
    return main([*build_args(project), *extra])


@pytest.fixture(scope="module")
def sample_both_ways(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Path], dict[str, Path]]]:
    ready = make_site_project(tmp_path_factory.mktemp("ready"), REPO / "source")
    plain = make_site_project(tmp_path_factory.mktemp("plain"), REPO / "source")
    assert build(ready) == 0
    assert build(plain, "--no-ready-html") == 0
    yield ready, plain


@pytest.mark.slow
def test_sample_site_is_byte_identical_both_ways(sample_both_ways: tuple[dict[str, Path], dict[str, Path]]) -> None:
    ready, plain = sample_both_ways
    assert_same_tree(ready["site"], plain["site"])


@pytest.mark.slow
def test_synthetic_1k_site_is_byte_identical_both_ways(tmp_path: Path) -> None:
    ready = make_site_project(tmp_path / "ready")
    synth.write_corpus(1000, ready["source"], synth.default_material())
    plain = make_site_project(tmp_path / "plain")
    shutil.copytree(ready["source"], plain["source"])
    assert build(ready) == 0
    assert build(plain, "--no-ready-html") == 0
    assert_same_tree(ready["site"], plain["site"])


@pytest.mark.slow
def test_mkdocs_takes_every_article_tag_and_archive_page_ready(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_site_project(tmp_path / "p", REPO / "source")
    counting = Counting(monkeypatch)
    assert build(project, "--jobs", "1") == 0  # (MkDocs in this process, where the counting is)
    generated = sorted(
        p.relative_to(project["docs"]).as_posix()
        for p in project["docs"].rglob("*.md")
        if readyhtml.renders(p.relative_to(project["docs"]).as_posix())
    )
    assert len(generated) > 100
    assert sorted(counting.ready) == generated
    assert sorted(counting.rendered) == ["index.md", "search-help.md"]  # the home page and a hand-written one


@pytest.mark.slow
def test_cached_pages_are_reused_and_tampered_ones_never(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_site_project(tmp_path / "p", REPO / "source")
    assert build(project) == 0
    first = tree_digest(project["site"])
    pack = project["root"] / "build" / "cache" / readyhtml.PACK_FILE
    assert pack.is_file()

    rendered: list[int] = []
    original = readyhtml.render_ready_pages

    def recording(*args: object, **kwargs: object) -> object:
        pages, stats = original(*args, **kwargs)  # type: ignore[arg-type]
        rendered.append(stats.rendered)
        return pages, stats

    monkeypatch.setattr(readyhtml, "render_ready_pages", recording)
    assert build(project) == 0
    assert rendered[-1] == 0, "every page came from the cache"
    assert tree_digest(project["site"]) == first

    # One byte of one page changed in the cache file: that page is rendered again, never used.
    data = bytearray(pack.read_bytes())
    data[-5] ^= 0x01
    pack.write_bytes(bytes(data))
    assert build(project) == 0
    assert rendered[-1] == 1
    assert tree_digest(project["site"]) == first


@pytest.mark.slow
def test_untested_versions_fall_back_to_mkdocs_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = readyhtml.importlib.metadata.version
    monkeypatch.setattr(
        readyhtml.importlib.metadata, "version", lambda name: "1.7.0" if name == "mkdocs" else real(name)
    )
    project = make_site_project(tmp_path / "p", REPO / "source")
    counting = Counting(monkeypatch)
    assert build(project, "--jobs", "1") == 0
    assert "MkDocs 1.7.0 with Material" in capsys.readouterr().err
    assert counting.ready == []


def test_tested_versions_are_the_pinned_ones() -> None:
    assert readyhtml.untested_versions() is None
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    assert "mkdocs==1.6.1" in lock
    assert "mkdocs-material==9.8." in lock


@pytest.mark.parametrize(
    "content",
    [
        "---\ntitle: a\n---\n\n# Heading\n\ntext\n",
        "---\r\ntitle: a\r\n---\r\n\r\n\r\n# Heading\r\ntext\r\n",
        "\ufeff---\ntitle: a\n...\nbody\n",
        "---  \ntitle: a\nx: [1, 2]\n---\t\nbody with --- inside\n---\nmore\n",
    ],
)
def test_markdown_body_is_what_mkdocs_reads(content: str, tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(content, encoding="utf-8", newline="")
    with path.open(encoding="utf-8-sig", errors="strict") as handle:  # as File.content_string reads it
        expected, _ = get_data(handle.read())
    assert readyhtml.markdown_body(content) == expected


def test_no_front_matter_is_left_to_mkdocs() -> None:
    assert readyhtml.markdown_body("title: a\n\nbody\n") is None


def test_a_page_is_found_only_for_the_markdown_it_was_made_from() -> None:
    pages = readyhtml.ReadyPages()
    try:
        ready = readyhtml.Ready("<p>x</p>", [["T", "t", 1, []]], "T", ("t",))
        pages.add("articles/a.md", readyhtml.page_key("articles/a.md", "# T\n"), ready.pack())
        with readyhtml.activated(pages):
            where = readyhtml.find("articles/a.md", "# T\n")
            assert where is not None
            assert readyhtml.read(where) == ready
            assert readyhtml.find("articles/a.md", "# T edited by hand\n") is None
            assert readyhtml.find("articles/b.md", "# T\n") is None
        assert readyhtml.find("articles/a.md", "# T\n") is None, "nothing is ready outside a build"
    finally:
        pages.close()


def test_table_of_contents_round_trips() -> None:
    from mkdocs.structure.toc import get_toc

    tokens = [
        {"level": 1, "id": "a", "name": "A", "children": [{"level": 2, "id": "b", "name": "B", "children": []}]},
        {"level": 1, "id": "c", "name": "C &amp; D", "children": []},
    ]
    expected = get_toc(tokens)  # type: ignore[arg-type]
    ready = readyhtml.Ready.unpack(readyhtml.Ready("", readyhtml._toc_entries(expected), None, ()).pack())
    toc = ready.table_of_contents()
    assert str(toc) == str(expected)
    assert [getattr(item, "active", False) for item in toc] == [getattr(item, "active", False) for item in expected]
