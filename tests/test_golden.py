"""Golden-output tests: each scenario folder holds a tiny source/ and the exact
docs/ pages expected from it. Regenerate after an intended change with
``UPDATE_GOLDEN=1 make test`` and review the diff."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from builder.pipeline import Tagging, collect, render_site
from builder.taxonomy import load_taxonomy

from conftest import FIXTURES

GOLDEN = FIXTURES / "golden"
SCENARIOS = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())
TAXONOMY = load_taxonomy()
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_generated_markdown_matches_golden(scenario: str) -> None:
    folder = GOLDEN / scenario
    collected = collect(folder / "source", now=NOW, tagging=Tagging(TAXONOMY))
    articles = collected.articles
    assert not collected.rejections, collected.rejections
    # Markdown pages only: the search index files have their own tests (tests/search).
    produced = {f.path: f.content for f in render_site(articles, TAXONOMY) if f.path.endswith(".md")}
    expected_dir = folder / "expected"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for path, content in produced.items():
            target = expected_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    expected = {
        p.relative_to(expected_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(expected_dir.rglob("*.md"))
    }
    assert sorted(produced) == sorted(expected)
    for path, content in produced.items():
        assert content == expected[path], f"{scenario}: {path} differs from its golden copy"


def test_hostile_markup_is_inert_once_rendered() -> None:
    page = (GOLDEN / "hostile_markup" / "expected" / "articles" / "عدائي.md").read_text(encoding="utf-8")
    header, body = page.split("---", 2)[1:]
    assert "<" not in header, "front-matter values reach the theme unescaped: they must be escaped"
    soup = BeautifulSoup(markdown.markdown(body, extensions=["attr_list", "md_in_html"]), "html.parser")
    tags = {tag.name for tag in soup.find_all(True)}
    assert not tags & {"script", "img", "b", "iframe"}
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.startswith("on")]
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert "https://example.org/" in hrefs
    assert all(h == "#" or h.startswith("https:") for h in hrefs)
    assert "<script>alert(1)</script>" in soup.get_text()  # shown to the reader as text


def test_scenario_folders_are_small() -> None:
    for scenario in SCENARIOS:
        assert len(list((GOLDEN / scenario / "source").iterdir())) <= 3, Path(scenario)
