"""Rendering helpers: relative links, Arabic number agreement, stable pagination of long lists."""

from __future__ import annotations

import datetime as dt
import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.archive import build_archive
from builder.model import Article
from builder.render import count_label, link, render_archive

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
        (11, "11 إحاطة"),
        (100, "100 إحاطة"),
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
