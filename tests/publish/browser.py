"""Browser helpers for the publication tests: a sealed context, link following, axe-core.

A sealed context lets through only requests for URLs under one root (the unzipped
bundle's ``file://`` folder, or the loopback server of the site) and aborts and
records every other request, so a test can assert that nothing left the site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .helpers import VENDOR

AXE = VENDOR / "axe-core" / "axe.min.js"  # axe-core 4.14.1, from the npm package (MPL-2.0)
SEARCH_SCRIPT = "assets/search/ui.js"  # the archive's own search (another engineer's issue)


@dataclass
class Sealed:
    """A browser context whose requests may not leave ``root``."""

    context: Any
    root: str
    outside: list[str] = field(default_factory=list)
    scheme: str = "default"  # the palette the pages should show

    def page(self) -> Any:
        return self.context.new_page()


SCHEMES = {"light": "default", "dark": "slate"}  # the reader's system setting -> Material's palette scheme


def seal(browser: Any, root: str, *, inject: bool = False, color_scheme: str = "light") -> Sealed:
    """``inject``: bypass the site's Content-Security-Policy so axe-core can be injected.
    ``color_scheme``: the system setting the pages see (``prefers-color-scheme``)."""
    sealed = Sealed(
        browser.new_context(bypass_csp=inject, color_scheme=color_scheme), root, scheme=SCHEMES[color_scheme]
    )

    def handle(route: Any) -> None:
        url = route.request.url
        if unquote(url).startswith(unquote(root)):
            route.continue_()
        else:
            sealed.outside.append(url)
            route.abort()

    sealed.context.route("**/*", handle)
    return sealed


def file_root(folder: Path) -> str:
    return folder.resolve().as_uri() + "/"


def follow(page: Any, selector: str) -> str:
    """Click the first link matching ``selector``; returns the URL the page landed on."""
    link = page.locator(selector).filter(visible=True).first
    href = link.get_attribute("href")
    assert href is not None, f"no link matches {selector} on {page.url}"
    with page.expect_navigation():
        link.click()
    return str(page.url)


def has_link(page: Any, selector: str) -> bool:
    return bool(page.locator(selector).filter(visible=True).count())


def search_landed(page: Any) -> bool:
    """The archive's own search is on the page: its box and its script."""
    return bool(page.locator("[data-ar-search]").count()) and bool(
        page.locator(f'script[src$="{SEARCH_SCRIPT}"]').count()
    )


def open_search(page: Any, query: str) -> Any:
    """Open the search dialog and type ``query`` the way a reader does; returns the results list."""
    # On a narrow screen the box hides behind the header's search button; on a wide one it is shown.
    button = page.locator('label.md-header__button[for="__search"]').first
    box = page.locator("[data-ar-search-query]").first
    if button.is_visible():
        button.click()
    else:
        box.click()
    box.fill(query)
    box.dispatch_event("input")
    box.press("End")
    results = page.locator("[data-ar-search-result] li")
    results.first.wait_for(state="visible", timeout=15_000)
    return results


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    # Measure the settled page: mid-way through a fade-in (the search dialog, its
    # results) text is still translucent and its contrast not yet what a reader sees.
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def wait_for_scheme(page: Any, scheme: str) -> None:
    """Wait until Material has put the palette ``scheme`` (``default`` or ``slate``) on the page."""
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'", timeout=10_000)
