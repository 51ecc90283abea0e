"""Phone-first article pages and Arabic result counts, in headless Chromium.

Above the body: at most one line of the most important tags; the whole list,
grouped by type, follows the body. On a 390×844 screen the first paragraph of
the reference article (36 tags) starts in the top half. Sizes and positions are
measured (bounding boxes), never pixels compared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builder.plurals import plural_category
from builder.render import ENTITY_TYPE_LABELS, LEAD_TAGS

from conftest import FIXTURES, serve
from test_site import REFERENCE_PAGE

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ARTICLE = REFERENCE_PAGE.removesuffix("index.html")
FIRST_PARAGRAPH = "article.md-content__inner > p:not([class])"
DOCUMENT = json.loads((FIXTURES / "plurals" / "vectors.json").read_text(encoding="utf-8"))["phrases"]["document"]


@pytest.fixture(scope="module")
def site_url(sample_site: dict[str, Path]) -> Iterator[str]:
    with serve(sample_site["site"]) as url:
        yield url


@pytest.fixture
def phone(browser: Any, site_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url + ARTICLE, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    yield page
    context.close()


def test_first_paragraph_starts_in_the_top_half_of_a_phone(phone: Any) -> None:
    box = phone.locator(FIRST_PARAGRAPH).first.bounding_box()
    assert box is not None
    assert box["y"] < PHONE["height"] / 2, f"the first paragraph starts at {box['y']:.0f} px"
    total = phone.locator(".article-tag-groups a.tag-chip").count()
    assert total >= 30, "the reference article carries dozens of tags"


def test_one_line_of_lead_tags_then_a_link_to_all(phone: Any) -> None:
    lead = phone.locator("nav.article-lead-tags")
    chips = lead.locator("a.tag-chip")
    assert 1 <= chips.count() <= LEAD_TAGS
    boxes = phone.evaluate(
        """() => {
          const line = document.querySelector('nav.article-lead-tags > p');
          const clip = line.getBoundingClientRect();
          return [...line.querySelectorAll('a.tag-chip')].map(c => c.getBoundingClientRect())
            .map(r => ({top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                        shown: r.bottom <= clip.bottom + 0.5 && r.left >= clip.left - 0.5
                               && r.right <= clip.right + 0.5}));
        }"""
    )
    shown = [b for b in boxes if b["shown"]]
    assert shown, "at least the most important tag shows"
    assert len({round(b["top"]) for b in shown}) == 1, "the chips that show stand on one line"
    nav = lead.bounding_box()
    assert nav is not None and nav["height"] <= 2 * max(b["bottom"] - b["top"] for b in boxes)
    assert nav["x"] >= 0 and nav["x"] + nav["width"] <= PHONE["width"], "nothing overflows the screen"
    more = lead.locator("a.all-tags")
    total = phone.locator(".article-tag-groups a.tag-chip").count()
    assert more.inner_text().strip() == f"كل الوسوم ({total})"
    assert more.is_visible()
    assert more.get_attribute("href") == "#article-tags"


def test_a_clipped_lead_tag_shows_when_it_has_the_focus(phone: Any) -> None:
    last = phone.locator("nav.article-lead-tags a.tag-chip").last
    clip = phone.locator("nav.article-lead-tags > p:first-child").bounding_box()
    box = last.bounding_box()
    assert clip is not None and box is not None
    assert box["y"] >= clip["y"] + clip["height"], "on a phone the third lead tag of the reference article is clipped"
    last.focus()
    clip = phone.locator("nav.article-lead-tags > p:first-child").bounding_box()
    box = last.bounding_box()
    assert clip is not None and box is not None
    assert box["y"] + box["height"] <= clip["y"] + clip["height"] + 0.5


def test_every_tag_follows_the_body_grouped_by_type(phone: Any) -> None:
    after_body = phone.evaluate(
        """() => {
          const paragraphs = document.querySelectorAll('article.md-content__inner > p:not([class])');
          const groups = document.querySelector('.article-tag-groups');
          return !!(paragraphs[paragraphs.length - 1].compareDocumentPosition(groups)
                    & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    assert after_body, "the full tag list comes after the body"
    groups = phone.locator(".article-tag-groups")
    assert groups.locator("h2").first.inner_text().strip().rstrip("¶").strip() == "الوسوم"
    headings = [h.strip().rstrip("¶").strip() for h in groups.locator("h3").all_inner_texts()]
    assert headings and set(headings) <= set(ENTITY_TYPE_LABELS.values())
    assert len(headings) == len(set(headings)), "one heading per type"
    names = groups.locator("a.tag-chip").all_inner_texts()
    assert len(names) == len(set(names)), "each tag once"
    for heading in headings:
        chips = groups.locator(f"h3:has-text('{heading}') + .article-tags a.tag-chip")
        assert chips.count() >= 1, heading


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def _search_count(browser: Any, site_url: str, query: str) -> str:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url + "?q=" + query, wait_until="networkidle")
        page.wait_for_selector(f'[data-ar-search-state="done"][data-ar-search-done="{query}"]', timeout=15_000)
        return str(page.inner_text(".md-search-result__meta")).strip()
    finally:
        context.close()


@pytest.mark.parametrize("query", ["قطر", "الدوحة", "بلينكن", "لاشيءبهذاالاسم"])
def test_search_counts_take_the_arabic_plural_of_their_number(browser: Any, site_url: str, query: str) -> None:
    meta = _search_count(browser, site_url, query)
    if query == "لاشيءبهذاالاسم":
        assert meta == DOCUMENT["0"]
        return
    assert meta.startswith("نتائج البحث: "), meta
    words = meta.removeprefix("نتائج البحث: ")
    digits = re.findall(r"[0-9٠-٩]+", words)
    category = plural_category(int(digits[0].translate(_DIGITS))) if digits else None
    expected = {"few": "مستندات", "many": "مستندًا", "other": "مستند"}
    if category in expected:
        assert words.endswith(" " + expected[category]), (category, meta)
    else:
        assert words in (DOCUMENT["1"], DOCUMENT["2"]), meta
    assert "مستندات" not in words or category == "few", meta
