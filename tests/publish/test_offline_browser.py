"""The offline bundle in headless Chromium, opened from file:// with the network blocked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from .browser import Sealed, file_root, follow, has_link, open_search, seal, search_landed
from .helpers import Bundle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE = 'main a[href^="articles/"], main a[href^="../articles/"]'
ARCHIVE = 'a[href$="archive/index.html"]'
TAG = 'article a[href*="tags/"]:not([href$="tags/index.html"])'


@pytest.fixture(scope="module")
def bundle_root(offline_bundle: Bundle) -> Path:
    return offline_bundle.root


@pytest.fixture
def sealed(browser: Any, bundle_root: Path) -> Iterator[Sealed]:
    context = seal(browser, file_root(bundle_root))
    yield context
    context.context.close()


def in_bundle(url: str, root: Path) -> Path:
    assert url.startswith("file://"), url
    path = Path(unquote(url.removeprefix("file://")).split("#")[0])
    assert path.is_file() and path.is_relative_to(root), url
    return path


def open_home(sealed: Sealed, root: Path) -> Any:
    page = sealed.page()
    page.set_default_timeout(10_000)
    page.goto((root / "index.html").as_uri())
    return page


def test_home_opens_from_file_with_its_styles_and_fonts(sealed: Sealed, bundle_root: Path) -> None:
    page = open_home(sealed, bundle_root)
    assert page.evaluate("document.body.dir") == "rtl"
    assert page.evaluate("[...document.styleSheets].some(s => (s.href || '').includes('main.'))")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("[...document.fonts].some(f => f.status === 'loaded')")
    assert sealed.outside == []


def test_home_to_article_and_back(sealed: Sealed, bundle_root: Path) -> None:
    page = open_home(sealed, bundle_root)
    article = in_bundle(follow(page, ARTICLE), bundle_root)
    assert article.parent.name == "articles"
    assert page.locator("h1").first.inner_text().strip()
    in_bundle(follow(page, 'a[href$="index.html"]:not([href*="/"])' + ', a[href="../index.html"]'), bundle_root)
    assert sealed.outside == []


def test_home_to_archive_to_article(sealed: Sealed, bundle_root: Path) -> None:
    page = open_home(sealed, bundle_root)
    archive = in_bundle(follow(page, ARCHIVE), bundle_root)
    assert "archive" in archive.parts
    # The archive index lists years; a year lists its articles.
    year = in_bundle(follow(page, 'article a[href$="/index.html"]:not([href^=".."])'), bundle_root)
    assert year.parent.parent.name == "archive"
    in_bundle(follow(page, 'article a[href*="articles/"]'), bundle_root)
    assert sealed.outside == []


def test_article_to_tag_page(sealed: Sealed, bundle_root: Path) -> None:
    page = open_home(sealed, bundle_root)
    follow(page, ARTICLE)
    assert has_link(page, TAG), f"no tag link on {page.url}"
    tag = in_bundle(follow(page, TAG), bundle_root)
    assert "tags" in tag.parts
    in_bundle(follow(page, 'main a[href*="articles/"]'), bundle_root)
    assert sealed.outside == []


def test_search_works_offline(sealed: Sealed, bundle_root: Path) -> None:
    page = open_home(sealed, bundle_root)
    failed: list[str] = []  # Material's lunr and worker are left out of the bundle: nothing may ask for them
    page.on("requestfailed", lambda request: failed.append(request.url))
    assert search_landed(page), "the archive's search box works from file://"
    title = page.locator(ARTICLE).first.inner_text()
    word = max(title.split(), key=len)
    results = open_search(page, word)
    assert results.count() > 0
    first = results.first.locator("a").first
    with page.expect_navigation():
        first.click()
    in_bundle(page.url, bundle_root)
    assert sealed.outside == []
    assert failed == []


def test_one_page_of_each_kind_loads_nothing_from_outside(sealed: Sealed, bundle_root: Path) -> None:
    # Static references are all checked by the link checker; this catches what scripts fetch.
    page = sealed.page()
    kinds = sorted(p for p in bundle_root.iterdir() if p.is_dir() and p.name != "assets")
    samples = [bundle_root / "index.html"] + [min(kind.rglob("*.html")) for kind in kinds if any(kind.rglob("*.html"))]
    assert len(samples) >= 3
    for path in samples:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
    assert sealed.outside == []
