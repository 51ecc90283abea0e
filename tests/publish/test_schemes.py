"""Light and dark palettes and printing, in headless Chromium.

The palette follows the reader's system setting (``prefers-color-scheme``) until
the header's toggle picks one; the choice lasts from page to page, over HTTP and
from ``file://`` in the offline bundle, with the site's Content-Security-Policy
in force. Printing keeps Material's print layout (no header, tabs or sidebars)
in either palette, and writes out an article's link to its original.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import SCHEMES, Sealed, file_root, follow, seal, wait_for_scheme
from .helpers import Bundle
from conftest import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WITH_SOURCE_URL = "articles/بلينكن-في-الدوحة-لبحث-التصعيد-في-غزة/"  # front matter gives source and url
TOGGLE = 'form[data-md-component="palette"] label:not([hidden])'

# The relative luminance and contrast ratio of WCAG 2, on "rgb(…)"/"rgba(…)" colours,
# with a translucent colour laid over the page's background first.
_CONTRAST = """
(([fg, bg, opacity]) => {
  const parse = c => c.match(/[\\d.]+/g).map(Number);
  const [br, bgG, bb] = parse(bg);
  let [r, g, b, a] = parse(fg);
  a = (a === undefined ? 1 : a) * opacity;
  [r, g, b] = [r * a + br * (1 - a), g * a + bgG * (1 - a), b * a + bb * (1 - a)];
  const lum = (x, y, z) => [x, y, z].map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [l1, l2] = [lum(r, g, b), lum(br, bgG, bb)].sort((p, q) => q - p);
  return (l1 + 0.05) / (l2 + 0.05);
})
"""


def contrast(page: Any, fg: str, bg: str, opacity: float = 1.0) -> float:
    return float(page.evaluate(_CONTRAST, [fg, bg, opacity]))


def background(page: Any) -> str:
    """The page's background colour as the reader sees it (Material paints the body)."""
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


@pytest.fixture(scope="module")
def site_url(sample_site: dict[str, Path]) -> Iterator[str]:
    with serve(sample_site["site"]) as url:
        yield url


def open_page(browser: Any, root: str, url: str, color_scheme: str) -> tuple[Sealed, Any, list[str]]:
    sealed = seal(browser, root, color_scheme=color_scheme)
    page = sealed.page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.evaluate("document.fonts.ready.then(() => true)")
    return sealed, page, errors


@pytest.mark.parametrize("system", sorted(SCHEMES))
def test_palette_follows_the_system_setting(browser: Any, site_url: str, system: str) -> None:
    sealed, page, errors = open_page(browser, site_url, site_url, system)
    try:
        wait_for_scheme(page, SCHEMES[system])
        toggle = page.locator(TOGGLE)
        assert toggle.count() == 1, "one toggle shows: the way to the other palette"
        other = "الفاتح" if system == "dark" else "الداكن"
        assert other in (toggle.get_attribute("title") or "")
        labels = page.eval_on_selector_all(
            'form[data-md-component="palette"] input', "els => els.map(e => e.ariaLabel)"
        )
        assert labels == ["التبديل إلى الوضع الداكن", "التبديل إلى الوضع الفاتح"]
        assert sealed.outside == [] and errors == []
    finally:
        sealed.context.close()


@pytest.mark.parametrize("system", sorted(SCHEMES))
def test_charts_chips_and_text_read_well_in_both_schemes(browser: Any, site_url: str, system: str) -> None:
    sealed, page, errors = open_page(browser, site_url, site_url + "tags/country/قطر/", system)
    try:
        wait_for_scheme(page, SCHEMES[system])
        bg = background(page)
        bar = page.locator("figure.timeline svg rect").first
        bar_colour, bar_opacity = bar.evaluate("r => [getComputedStyle(r).fill, +getComputedStyle(r).opacity]")
        assert contrast(page, bar_colour, bg, bar_opacity) >= 3, "bars: WCAG's 3:1 for graphics"
        label = page.locator("figure.timeline svg text").first.evaluate("t => getComputedStyle(t).fill")
        assert contrast(page, label, bg) >= 4.5, "chart labels: AA text contrast"
        page.goto(site_url + WITH_SOURCE_URL)
        wait_for_scheme(page, SCHEMES[system])
        chip = page.locator(".article-tag-groups a.tag-chip").first
        assert contrast(page, chip.evaluate("c => getComputedStyle(c).color"), background(page)) >= 4.5
        assert sealed.outside == [] and errors == []
    finally:
        sealed.context.close()


def test_toggle_choice_lasts_across_pages(browser: Any, site_url: str) -> None:
    sealed, page, errors = open_page(browser, site_url, site_url, "light")
    try:
        wait_for_scheme(page, "default")
        page.locator(TOGGLE).click()
        wait_for_scheme(page, "slate")
        page.goto(site_url + WITH_SOURCE_URL)
        wait_for_scheme(page, "slate")  # stored by Material, read back before the page paints
        page.locator(TOGGLE).click()
        wait_for_scheme(page, "default")
        assert sealed.outside == [] and errors == []
    finally:
        sealed.context.close()


def test_toggle_works_from_file_in_the_offline_bundle(browser: Any, offline_bundle: Bundle) -> None:
    root = offline_bundle.root
    sealed, page, errors = open_page(browser, file_root(root), (root / "index.html").as_uri(), "light")
    try:
        wait_for_scheme(page, "default")
        page.locator(TOGGLE).click()
        wait_for_scheme(page, "slate")
        follow(page, 'main a[href^="articles/"]')
        assert page.url.startswith("file://")
        wait_for_scheme(page, "slate")
        again = sealed.page()  # a new tab of the same browser
        again.goto((root / "archive" / "index.html").as_uri())
        wait_for_scheme(again, "slate")
        assert sealed.outside == []
        assert errors == [], "no script error and no Content-Security-Policy violation from file://"
    finally:
        sealed.context.close()


@pytest.mark.parametrize("system", sorted(SCHEMES))
def test_printing_hides_the_chrome_and_writes_out_the_source_url(browser: Any, site_url: str, system: str) -> None:
    sealed, page, errors = open_page(browser, site_url, site_url + WITH_SOURCE_URL, system)
    try:
        wait_for_scheme(page, SCHEMES[system])
        page.emulate_media(media="print")
        hidden = page.evaluate(
            "['.md-header', '.md-tabs', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer']"
            ".map(s => document.querySelector(s)).filter(e => e && getComputedStyle(e).display !== 'none')"
            ".map(e => e.className)"
        )
        assert hidden == [], "Material's print layout: no header, tabs, sidebars or footer"
        link = page.locator("a.source-link").first
        href = link.get_attribute("href")
        assert href and href.startswith("http")
        written = link.evaluate("a => getComputedStyle(a, '::after').content")
        assert href in written, written
        assert link.evaluate("a => getComputedStyle(a, '::after').direction") == "ltr"
        assert page.locator(".article-lead-tags").evaluate("n => getComputedStyle(n).display") == "none"
        assert page.locator(".article-tag-groups").is_visible(), "the whole tag list is printed"
        # Dark on white on paper, whichever palette the screen shows.
        text = page.locator("article > p:not([class])").first.evaluate("p => getComputedStyle(p).color")
        assert contrast(page, text, "rgb(255, 255, 255)") >= 7
        paper = background(page)
        assert paper in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), paper
        # On screen the link is not written out.
        page.emulate_media(media="screen")
        assert link.evaluate("a => getComputedStyle(a, '::after').content") in ("none", "normal")
        assert sealed.outside == [] and errors == []
    finally:
        sealed.context.close()
