"""End to end: the sample corpus in source/ becomes a strict, RTL, self-contained site."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder import pipeline
from builder.cli import main
from builder.pipeline import Tagging, collect, render_site
from builder.search import background
from builder.search.spool import RecordSpool
from builder.taxonomy import load_taxonomy

from conftest import REPO, build_args, make_site_project

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
REFERENCE_PAGE = "articles/2023-06-13-وزارة-الخارجية-ناقشنا-مع-واشنطن-وباريس/index.html"


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_page_is_arabic_and_rtl(sample_site: dict[str, Path]) -> None:
    pages = html_pages(sample_site["site"])
    assert len(pages) > 20
    for page in pages:
        head = page.read_text(encoding="utf-8")[:400]
        assert '<html lang="ar" dir="rtl"' in head, page


def test_every_source_file_is_accounted_for(sample_site: dict[str, Path]) -> None:
    report = json.loads(sample_site["report"].read_text(encoding="utf-8"))
    sources = [p for p in (REPO / "source").rglob("*") if p.is_file()]
    assert report["inputs"] == len(sources)
    assert report["counts"]["pages"] == len(sources)
    assert report["counts"]["rejected"] == 0
    assert report["counts"]["undated"] >= 1
    for entry in report["pages"]:
        page = sample_site["site"] / entry["page"].removesuffix(".md") / "index.html"
        assert page.is_file(), entry


def test_reference_article_page(sample_site: dict[str, Path]) -> None:
    page = soup(sample_site["site"] / REFERENCE_PAGE)
    article = page.select_one("article")
    assert article is not None
    assert article.h1 is not None
    assert article.h1.get_text(strip=True).startswith("وزارة الخارجية: ناقشنا مع واشنطن وباريس")
    headings = {h.get_text(strip=True).rstrip("¶"): h.get("id") for h in article.find_all("h2")}
    assert headings.get("مؤتمر بروكسل") == "مؤتمر-بروكسل", "heading anchors keep their Arabic"
    text = article.get_text(" ", strip=True)
    for phrase in ("أضف تعليقا", "لن يتم نشر عنوان بريدك", "الحقول الإلزامية"):
        assert phrase not in text
    assert "الثلاثاء 13 يونيو 2023" in text
    assert "24 ذو القعدة 1444 هـ" in text


def test_home_and_archives(sample_site: dict[str, Path]) -> None:
    site = sample_site["site"]
    home = soup(site / "index.html")
    links = [a["href"] for a in home.select("article a[href]")]
    assert any(href.startswith("articles/") for href in links)
    assert (site / "archive" / "index.html").is_file()
    years = sorted(p.name for p in (site / "archive").iterdir() if p.name.isdigit())
    assert len(years) >= 2
    assert (site / "archive" / "undated" / "index.html").is_file()
    assert (site / "archive" / "2023" / "06" / "index.html").is_file()
    assert (site / "404.html").is_file()
    assert "الصفحة غير موجودة" in (site / "404.html").read_text(encoding="utf-8")


def test_nav_lists_only_index_pages(sample_site: dict[str, Path]) -> None:
    home = soup(sample_site["site"] / "index.html")
    nav_links = home.select("nav.md-nav--primary a.md-nav__link[href]")
    assert nav_links
    assert not [a for a in nav_links if "/articles/" in a["href"] or a["href"].startswith("articles/")]


def test_no_page_loads_anything_from_outside(sample_site: dict[str, Path]) -> None:
    for page in html_pages(sample_site["site"]):
        document = soup(page)
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in document.find_all(tag):
                value = element.get(attribute) or ""
                assert not re.match(r"^(https?:)?//", value), f"{page}: {tag} {value}"
    css = "\n".join(p.read_text(encoding="utf-8") for p in (sample_site["site"] / "assets").rglob("*.css"))
    assert "fonts.googleapis.com" not in css and "fonts.gstatic.com" not in css


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_same_input_gives_byte_identical_output(sample_site: dict[str, Path], tmp_path: Path) -> None:
    again = make_site_project(tmp_path, REPO / "source")
    assert main(build_args(again)) == 0
    assert _tree_hash(again["docs"]) == _tree_hash(sample_site["docs"])
    assert _tree_hash(again["site"]) == _tree_hash(sample_site["site"])


def test_unchanged_rebuild_rewrites_nothing(tmp_path: Path) -> None:
    project = make_site_project(tmp_path, REPO / "source")
    assert main(build_args(project, "generate")) == 0
    assert main(build_args(project, "generate")) == 0
    report = json.loads(project["report"].read_text(encoding="utf-8"))
    assert report["files"]["written"] == 0 and report["files"]["removed"] == 0


def test_parallel_reading_gives_the_serial_result(monkeypatch: pytest.MonkeyPatch) -> None:
    taxonomy = load_taxonomy()
    serial = collect(REPO / "source", jobs=1, now=NOW, tagging=Tagging(taxonomy))
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 1)
    parallel = collect(REPO / "source", jobs=2, now=NOW, tagging=Tagging(taxonomy))
    assert parallel == serial
    assert all(a.entities for a in parallel.articles), "tagged in the worker processes"
    assert list(render_site(parallel.articles, taxonomy)) == list(render_site(serial.articles, taxonomy))


def test_the_search_index_built_on_another_core_is_the_one_built_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    taxonomy = load_taxonomy()
    collected = collect(REPO / "source", jobs=1, now=NOW, tagging=Tagging(taxonomy))
    in_process = list(render_site(collected.articles, taxonomy, search_records=collected.search_records, jobs=1))
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 1)
    started: list[int] = []
    monkeypatch.setattr(pipeline, "BackgroundIndex", _Recording(started))
    in_background = list(render_site(collected.articles, taxonomy, search_records=collected.search_records, jobs=2))
    assert started == [len(collected.articles)], "the index was built by the background process"
    assert in_background == in_process
    assert any(f.path.startswith("search/shards/") for f in in_background)


def test_a_failure_in_the_background_index_is_reported_not_lost() -> None:
    class Unreadable(RecordSpool):
        def location(self, key: str) -> tuple[int, int, int]:
            return (10**9, 64, 1)  # past the end of the file: the child reads no record

    spool = Unreadable()
    with pytest.raises(RuntimeError, match="search index process failed"):
        list(background.BackgroundIndex(["a.md"], spool, "note").files())
    spool.close()


def test_a_consumer_that_stops_early_leaves_no_index_process(monkeypatch: pytest.MonkeyPatch) -> None:
    taxonomy = load_taxonomy()
    collected = collect(REPO / "source", jobs=1, now=NOW, tagging=Tagging(taxonomy))
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 1)
    pages = render_site(collected.articles, taxonomy, search_records=collected.search_records, jobs=2)
    next(pages)
    pages.close()
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="temporary files without a name need Linux's /proc")
def test_the_temporary_files_of_the_index_have_no_name_to_leave_behind(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A build killed halfway (at 100k articles the records alone are ~450 MB)
    must leave nothing in the temporary folder: its files are never named."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    taxonomy = load_taxonomy()
    collected = collect(REPO / "source", jobs=1, now=NOW, tagging=Tagging(taxonomy))
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 1)
    pages = render_site(collected.articles, taxonomy, search_records=collected.search_records, jobs=2)
    assert next(pages).path.startswith("articles/"), "the index process is running"
    assert list(tmp_path.iterdir()) == []
    assert any(f.path.startswith("search/shards/") for f in pages), "and its output came back"
    assert list(tmp_path.iterdir()) == []


class _Recording:
    """``BackgroundIndex`` that notes how many documents it was given."""

    def __init__(self, started: list[int]) -> None:
        self.started = started

    def __call__(self, keys: Sequence[str], *args: object) -> background.BackgroundIndex:
        self.started.append(len(keys))
        return background.BackgroundIndex(keys, *args)  # type: ignore[arg-type]
