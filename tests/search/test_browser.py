"""Browser tests of the search: real queries typed into Material's search box,
over a loopback HTTP server and from file://, on the sample corpus plus
../shared/corpora/ant-multisource (see tests/search/site.py, queries.py)."""

from __future__ import annotations

import functools
import http.server
import statistics
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from . import site as site_builder
from .helpers import SHARED
from .queries import Query, build_queries

pytestmark = [pytest.mark.browser, pytest.mark.corpus, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INPUT = "input.md-search__input"
OVERALL_MIN = 0.97
CLASS_MIN = 0.90


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[site_builder.BuiltSite, site_builder.BuiltSite]:
    if not site_builder.ANT.is_dir():
        pytest.skip(f"shared corpora not found at {SHARED.resolve()}: the search browser tests need ant-multisource")
    return site_builder.build(tmp_path_factory.mktemp("search-site"), with_ant=True)


@pytest.fixture(scope="session")
def queries(sites: tuple[site_builder.BuiltSite, site_builder.BuiltSite]) -> list[Query]:
    return build_queries(sites[0].articles)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def http_root(sites: tuple[site_builder.BuiltSite, site_builder.BuiltSite]) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(sites[0].site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# The browser is tests/conftest.py's session fixture: one Playwright per test session.


class Tab:
    """One page, with every request recorded and the outside world cut off."""

    def __init__(self, browser: Any, allowed: str) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith(allowed) else route.abort()
        )

    def search(self, text: str) -> list[str]:
        """Type ``text`` into the search box; the hrefs of the results shown."""
        page = self.page
        page.fill(INPUT, text)
        page.dispatch_event(INPUT, "input")
        page.press(INPUT, "End")
        page.wait_for_function(
            "q => document.querySelector('[data-ar-search]').getAttribute('data-ar-search-done') === q", arg=text
        )
        hrefs: list[str] = page.eval_on_selector_all(
            ".md-search-result__item a.md-search-result__link", "els => els.map(e => e.href)"
        )
        return hrefs

    def close(self) -> None:
        self.context.close()


def _slug(href: str) -> str:
    path = unquote(urlsplit(href).path)
    tail = path.split("/articles/", 1)[-1]
    return tail.removesuffix("/").removesuffix(".html")


def _recall(tab: Tab, queries: list[Query]) -> dict[str, float]:
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    misses = []
    for query in queries:
        slugs = [_slug(h) for h in tab.search(query.text)[:10]]
        totals[query.kind] += 1
        if query.slug in slugs:
            hits[query.kind] += 1
        else:
            misses.append(f"{query.kind}: {query.text!r} (for {query.word!r}) missed {query.slug}")
    recall = {kind: hits[kind] / totals[kind] for kind in sorted(totals)}
    recall["overall"] = sum(hits.values()) / sum(totals.values())
    print("\nrecall@10 per class:", ", ".join(f"{k} {v:.1%}" for k, v in recall.items()))
    for miss in misses:
        print("  miss:", miss)
    return recall


def _check_recall(recall: dict[str, float]) -> None:
    assert recall["overall"] >= OVERALL_MIN, recall
    assert all(value >= CLASS_MIN for value in recall.values()), recall


def test_query_set_covers_every_variant_class(queries: list[Query]) -> None:
    kinds = Counter(q.kind for q in queries)
    assert len(queries) >= 80
    assert set(kinds) == {
        "hamza",
        "ta-marbuta",
        "alef-maqsura",
        "diacritics",
        "tatweel",
        "clitic",
        "digits",
        "punctuation",
        "two-words",
    }
    assert min(kinds.values()) >= 8, kinds


def test_recall_over_http(browser: Any, http_root: str, queries: list[Query]) -> None:
    tab = Tab(browser, http_root)
    tab.page.goto(http_root)
    _check_recall(_recall(tab, queries))
    assert not tab.errors
    assert all(url.startswith(http_root) for url in tab.requests), "a request left the site"
    tab.close()


def test_recall_from_file(
    browser: Any, sites: tuple[site_builder.BuiltSite, site_builder.BuiltSite], queries: list[Query]
) -> None:
    root = sites[1].site_dir.as_uri() + "/"
    tab = Tab(browser, "file://")
    tab.page.goto(root + "index.html")
    _check_recall(_recall(tab, queries))
    assert not tab.errors
    assert all(url.startswith("file://") for url in tab.requests), "a request left the site"
    tab.close()


@pytest.mark.parametrize("mode", ["http", "file"])
def test_result_links_open_the_article(
    browser: Any, http_root: str, sites: tuple[site_builder.BuiltSite, site_builder.BuiltSite], mode: str
) -> None:
    built = sites[0] if mode == "http" else sites[1]
    root = http_root if mode == "http" else built.site_dir.as_uri() + "/"
    tab = Tab(browser, root if mode == "http" else "file://")
    article = next(a for a in built.articles if a.source_path.startswith("ant/"))
    # Start from an article page two folders deep, so relative bases matter.
    start = f"{root}articles/{article.slug}/" if mode == "http" else f"{root}articles/{article.slug}.html"
    tab.page.goto(start)
    hrefs = tab.search(article.title)
    assert _slug(hrefs[0]) == article.slug
    with tab.page.expect_navigation():
        tab.page.click(".md-search-result__item a.md-search-result__link >> nth=0")
    assert article.title.strip() in tab.page.locator("h1").first.inner_text()
    assert not tab.errors
    tab.close()


def test_material_markup_keys_and_deep_links(browser: Any, http_root: str) -> None:
    tab = Tab(browser, http_root)
    page = tab.page
    page.goto(http_root)
    assert page.evaluate("document.forms.namedItem('search')") is None  # Material's lunr stays unmounted
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    assert page.is_checked("#__search")
    hrefs = tab.search("الحكومه")
    assert hrefs
    meta = page.inner_text(".md-search-result__meta")
    assert any(ch.isdigit() for ch in meta) or "نتيجة" in meta
    first = page.locator(".md-search-result__item").first
    assert first.locator("a.md-search-result__link article h1").count() == 1
    marks = page.eval_on_selector_all(".md-search-result__item mark", "els => els.map(e => e.textContent)")
    assert any("الحكومة" in m for m in marks), marks  # typed with ه, found as written with ة
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    page.keyboard.press("Escape")
    assert not page.is_checked("#__search")
    page.keyboard.press("/")
    assert page.is_checked("#__search")
    page.fill(INPUT, "")
    page.keyboard.press("Escape")

    page.goto(http_root + "?q=" + "غزه")
    page.wait_for_function("document.querySelector('[data-ar-search]').getAttribute('data-ar-search-done') === 'غزه'")
    assert page.is_checked("#__search")
    assert page.locator(".md-search-result__item").count() > 0
    page.goto(http_root)
    hrefs = tab.search("الدوحة")
    assert hrefs
    with page.expect_navigation():
        page.press(INPUT, "Enter")
    assert page.url == hrefs[0]
    assert not tab.errors
    tab.close()


def test_keystroke_to_results_time(browser: Any, http_root: str, queries: list[Query]) -> None:
    """Every typed query gets answered; prints the time from the last keystroke
    to rendered results (printed, never asserted: no timed assertions)."""
    tab = Tab(browser, http_root)
    tab.page.goto(http_root)
    times = []
    for query in queries[:40]:
        tab.page.fill(INPUT, query.text[:-1])
        start = tab.page.evaluate("performance.now()")
        tab.page.type(INPUT, query.text[-1])
        tab.page.wait_for_function(
            "q => document.querySelector('[data-ar-search]').getAttribute('data-ar-search-done') === q", arg=query.text
        )
        times.append(tab.page.evaluate("performance.now()") - start)
    print(f"\nkeystroke → results: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
    assert len(times) == 40
    tab.close()
