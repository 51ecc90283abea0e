"""Rendering helpers: relative links, Arabic number agreement, stable pagination of long lists."""

from __future__ import annotations

import datetime as dt
import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.archive import build_archive
from builder.model import Article, EntityRef, Mentions
from builder.render import LEAD_TAGS, ArticleContext, count_label, lead_tags, link, render_archive, render_article

segment = st.text(alphabet="abقطر0-", min_size=1, max_size=4)
page = st.lists(segment, min_size=0, max_size=3).map(lambda parts: "/".join([*parts, "p.md"]))


@given(page, page)
def test_links_resolve_to_their_target(from_page: str, to_page: str) -> None:
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(from_page), link(from_page, to_page)))
    assert resolved == to_page


@pytest.mark.parametrize(
    ("count", "label"),
    [
        (0, "لا إحاطات"),
        (1, "إحاطة واحدة"),
        (2, "إحاطتان"),
        (3, "3 إحاطات"),
        (10, "10 إحاطات"),
        (11, "11 إحاطةً"),
        (99, "99 إحاطةً"),
        (100, "100 إحاطة"),
        (102, "102 إحاطة"),
        (103, "103 إحاطات"),
    ],
)
def test_count_label(count: int, label: str) -> None:
    assert count_label(count) == label


def _month(count: int) -> dict[str, str]:
    """The pages of a month holding ``count`` briefings (one a day, newest last)."""
    items = [
        Article(
            source_path=f"{i}.md", slug=f"a{i:03}", title=f"خبر {i}", body="ن", summary="", date=DAY + dt.timedelta(i)
        )
        for i in range(count)
    ]
    return {f.path: f.content for f in render_archive(build_archive(items)) if f.path.startswith("archive/2023/")}


DAY = dt.date(2023, 1, 1)


def test_long_lists_keep_every_item_and_older_pages_count_from_the_oldest() -> None:
    pages = _month(120)  # 120 days: January to April; January has 31
    months = sorted(p for p in pages if p.startswith("archive/2023/0"))
    assert months == ["archive/2023/01.md", "archive/2023/02.md", "archive/2023/03.md", "archive/2023/04.md"]
    big = _month(400)
    listing = {p: c for p, c in big.items() if p.startswith("archive/2023/") and p != "archive/2023/index.md"}
    # Each month of 28-31 briefings fits on its first page: no numbered pages.
    assert all("/1.md" not in p for p in listing)


def _january(count: int) -> dict[str, str]:
    """The January 2023 pages of ``count`` briefings published a minute apart on New Year's Day, newest last."""
    noon = dt.datetime(2023, 1, 1, 12)
    items = [
        Article(
            source_path=f"{i}.md",
            slug=f"a{i:04}",
            title=f"خبر {i}",
            body="ن",
            summary="",
            date=DAY,
            published=noon + dt.timedelta(minutes=i),
        )
        for i in range(count)
    ]
    return {f.path: f.content for f in render_archive(build_archive(items)) if f.path.startswith("archive/2023/01")}


def test_a_newer_briefing_never_changes_an_older_page() -> None:
    before, after = _january(120), _january(121)
    assert sorted(before) == ["archive/2023/01.md", "archive/2023/01/1.md", "archive/2023/01/2.md"]
    for path in ("archive/2023/01/1.md", "archive/2023/01/2.md"):
        assert after[path] == before[path]
    assert after["archive/2023/01.md"] != before["archive/2023/01.md"]
    shown = "".join(after.values())
    assert all(f"a{i:04}" in shown for i in range(121))  # every briefing is on some page


def test_a_month_page_links_a_bounded_number_of_older_pages() -> None:
    pages = _january(50 * 25 + 1)  # 25 numbered pages
    assert sum(p.startswith("archive/2023/01/") for p in pages) == 25
    pager = pages["archive/2023/01.md"].split('<nav class="pager" markdown>', 1)[1].split("</nav>", 1)[0]
    assert "(01/25.md)" in pager and "(01/1.md)" in pager and "(01/10.md)" not in pager and "…" in pager
    # Every numbered page is still reachable, one "older" link at a time.
    page, seen = "archive/2023/01.md", set()
    while "[إحاطات أقدم ←](" in pages[page]:
        target = pages[page].split("[إحاطات أقدم ←](", 1)[1].split(")", 1)[0]
        page = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
        seen.add(page)
    assert len(seen) == 25


def _tagged(*refs: tuple[str, str], mentioned: tuple[str, ...] = ()) -> Article:
    """An article carrying ``refs`` (type, name) in entity order, whose body first
    mentions the names of ``mentioned`` in that order."""
    entities = tuple(EntityRef(type_, name, name) for type_, name in refs)
    by_name = {e.name: e for e in entities}
    body = " ".join(mentioned) or "نص"
    spans, at = [], 0
    for name in mentioned:
        spans.append((by_name[name], at, at + len(name)))
        at += len(name) + 1
    return Article(
        source_path="a.md",
        slug="a",
        title="خبر",
        body=body,
        summary="",
        entities=entities,
        mentions=Mentions.of(spans),
    )


def test_lead_tags_take_one_of_each_type_in_turn_by_first_mention() -> None:
    article = _tagged(
        ("person", "أ"),
        ("person", "ب"),
        ("organization", "ج"),
        ("country", "د"),
        ("country", "ه"),
        ("place", "و"),
        ("topic", "ز"),
        mentioned=("ه", "ب", "و", "د", "ج"),
    )
    # Person first (ب is mentioned before أ, never mentioned), then organisation, place, country (ه before د).
    assert [e.name for e in lead_tags(article, limit=5)] == ["ب", "ج", "و", "ه", "ز"]
    assert [e.name for e in lead_tags(article, limit=7)] == ["ب", "ج", "و", "ه", "ز", "أ", "د"]
    assert [e.name for e in lead_tags(article)] == ["ب", "ج", "و"]


def test_article_page_shows_a_lead_line_then_every_tag_after_the_body() -> None:
    article = _tagged(("person", "أ"), ("country", "د"), ("country", "ه"), ("topic", "ز"), mentioned=("د",))
    page = render_article(article, ArticleContext(body="الفقرة الأولى.")).content
    lead, rest = page.split("الفقرة الأولى.")
    assert 'class="article-tags article-lead-tags"' in lead
    assert lead.count(".tag-chip") == LEAD_TAGS
    assert "[كل الوسوم (4)](#article-tags)" in lead
    assert 'class="article-tag-groups"' not in lead
    assert rest.count(".tag-chip") == 4
    headings = [line for line in rest.splitlines() if line.startswith("#")]
    assert headings == ["## الوسوم { #article-tags }", "### الشخصيات", "### الدول", "### الموضوعات"]


def test_few_tags_need_no_link_to_the_list() -> None:
    page = render_article(_tagged(("person", "أ")), ArticleContext(body="نص.")).content
    assert "كل الوسوم" not in page
    assert page.count(".tag-chip") == 2  # above the body, and in the list after it
