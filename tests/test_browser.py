"""In headless Chromium: pages render right to left in the self-hosted Arabic
font, and no request leaves the loopback server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import serve
from test_site import REFERENCE_PAGE

pytestmark = pytest.mark.browser


def visit(browser: Any, url: str, base: str) -> tuple[Any, list[str], list[str], list[str]]:
    """Open ``url``; every request outside ``base`` is blocked and recorded."""
    context = browser.new_context()
    outside: list[str] = []
    fonts: list[str] = []

    def route(route: Any) -> None:
        request_url = route.request.url
        if request_url.startswith(base) or request_url.startswith(("data:", "blob:")):
            if request_url.endswith(".woff2"):
                fonts.append(request_url)
            route.continue_()
        else:
            outside.append(request_url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, outside, fonts, errors


@pytest.mark.parametrize("path", ["", REFERENCE_PAGE.removesuffix("index.html")])
def test_page_is_rtl_in_the_self_hosted_font(browser: Any, sample_site: dict[str, Path], path: str) -> None:
    with serve(sample_site["site"]) as base:
        page, outside, fonts, errors = visit(browser, base + path, base)
        try:
            assert page.evaluate("document.documentElement.getAttribute('dir')") == "rtl"
            assert page.evaluate("document.documentElement.lang") == "ar"
            assert page.evaluate("getComputedStyle(document.querySelector('article')).direction") == "rtl"
            family = page.evaluate("getComputedStyle(document.querySelector('article p')).fontFamily")
            assert family.startswith('"Noto Naskh Arabic"')
            assert page.evaluate("document.fonts.check('16px \"Noto Naskh Arabic\"', 'قطر')")
            loaded = page.evaluate(
                "[...document.fonts].filter(f => f.family.includes('Noto Naskh Arabic') && f.status === 'loaded')"
                ".length"
            )
            assert loaded >= 1, "the Arabic face must actually load from the site"
            assert any("noto-naskh-arabic-arabic" in url for url in fonts)
            # Text flows right to left: the heading's text starts at the right edge of the column.
            box = page.evaluate(
                "(() => { const h = document.querySelector('article h1'); const r = document.createRange();"
                " r.selectNodeContents(h); const t = r.getBoundingClientRect(); const b = h.getBoundingClientRect();"
                " return {textRight: t.right, boxRight: b.right, textLeft: t.left, boxLeft: b.left}; })()"
            )
            assert abs(box["boxRight"] - box["textRight"]) < abs(box["textLeft"] - box["boxLeft"]) + 1
            assert outside == [], f"requests left the site: {outside}"
            assert errors == [], "no script error and no Content-Security-Policy violation"
        finally:
            page.context.close()


def test_tag_chip_leads_to_a_tag_page_listing_the_article(browser: Any, sample_site: dict[str, Path]) -> None:
    article_path = REFERENCE_PAGE.removesuffix("index.html")
    slug = article_path.strip("/").split("/")[-1]
    with serve(sample_site["site"]) as base:
        page, outside, _, errors = visit(browser, base + article_path, base)
        try:
            chip = page.locator(".article-tag-groups a.tag-chip", has_text="فرنسا").first
            chip.click()
            page.wait_for_load_state("networkidle")
            assert "/tags/country/" in page.url
            assert page.locator("article h1").inner_text().startswith("فرنسا")
            hrefs = page.eval_on_selector_all(
                "article a[href]", "els => els.map(e => decodeURIComponent(e.getAttribute('href')))"
            )
            assert any(f"articles/{slug}/" in href for href in hrefs), "the tag page lists the article"
            assert page.locator("figure.timeline svg[role=img]").count() == 1
            assert outside == [] and errors == []
        finally:
            page.context.close()
