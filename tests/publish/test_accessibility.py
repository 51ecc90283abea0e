"""axe-core (vendored for the tests only) on the served sample site: no serious or critical violation,
in the light and the dark palette (the reader's system setting picks it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import SCHEMES, Sealed, file_root, open_search, seal, search_landed, serious_violations, wait_for_scheme
from .helpers import FIXTURES
from conftest import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site_url(sample_site: dict[str, Path]) -> Iterator[str]:
    with serve(sample_site["site"]) as url:
        yield url


@pytest.fixture(params=sorted(SCHEMES))
def sealed(browser: Any, site_url: str, request: pytest.FixtureRequest) -> Iterator[Sealed]:
    context = seal(browser, site_url, inject=True, color_scheme=request.param)
    yield context
    context.context.close()


def first_page(site: Path, folder: str) -> str:
    """The first page under ``folder`` (sorted), as a URL path relative to the site."""
    pages = sorted(p for p in (site / folder).rglob("index.html") if p.parent != site / folder)
    assert pages, f"no page under {folder}/"
    return pages[0].parent.relative_to(site).as_posix() + "/"


# Violations found in files this suite's owner does not own, each with the fix handed to the
# owner. They make a page xfail (naming them) instead of fail; any other violation fails. Once
# fixed, the page passes; then delete the entry.
PENDING: dict[str, str] = {}  # violation id -> the change that will fix it (none pending)


def assert_accessible(violations: list[dict[str, Any]], where: str) -> None:
    unexpected = [v for v in violations if v["id"] not in PENDING]
    assert unexpected == [], f"{where}: {unexpected}"
    pending = sorted({v["id"] for v in violations})
    if pending:
        pytest.xfail(f"{where}: known violations awaiting fixes: " + "; ".join(f"{p}: {PENDING[p]}" for p in pending))


def check(sealed: Sealed, url: str) -> None:
    page = sealed.page()
    page.goto(url)
    wait_for_scheme(page, sealed.scheme)
    violations = serious_violations(page)
    assert sealed.outside == []
    assert_accessible(violations, url)


def test_axe_reports_known_violations(browser: Any) -> None:
    fixture = FIXTURES / "axe_known_violations.html"
    context = seal(browser, file_root(fixture.parent), inject=True)
    try:
        page = context.page()
        page.goto(fixture.as_uri())
        found = {v["id"]: v["impact"] for v in serious_violations(page)}
    finally:
        context.context.close()
    assert found.get("image-alt") == "critical"
    assert found.get("link-name") == "serious"


def test_home(sealed: Sealed, site_url: str) -> None:
    check(sealed, site_url)


def test_article(sealed: Sealed, site_url: str, sample_site: dict[str, Path]) -> None:
    check(sealed, site_url + first_page(sample_site["site"], "articles"))


def test_archive(sealed: Sealed, site_url: str) -> None:
    check(sealed, site_url + "archive/")


def test_archive_year(sealed: Sealed, site_url: str, sample_site: dict[str, Path]) -> None:
    check(sealed, site_url + first_page(sample_site["site"], "archive"))


def test_tag_page(sealed: Sealed, site_url: str, sample_site: dict[str, Path]) -> None:
    check(sealed, site_url + first_page(sample_site["site"], "tags"))


def test_search_open(sealed: Sealed, site_url: str) -> None:
    page = sealed.page()
    page.goto(site_url)
    wait_for_scheme(page, sealed.scheme)
    assert search_landed(page), "the archive's search box is on the page"
    title = page.locator('main a[href^="articles/"]').first.inner_text()
    open_search(page, max(title.split(), key=len))
    violations = serious_violations(page)
    assert sealed.outside == []
    assert_accessible(violations, "search open")
