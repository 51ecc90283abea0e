"""Stable pagination: older pages are counted from the oldest and never change
when a newer item arrives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.archive import numbered_path, stable_pages


def test_the_first_page_shows_the_newest_and_blocks_count_from_the_oldest() -> None:
    pages = stable_pages(list(range(1, 121)), 50)  # 1 is the oldest
    assert pages.newest == tuple(range(120, 70, -1))
    assert pages.blocks == (tuple(range(1, 51)), tuple(range(51, 101)))
    assert pages.total == 120


@pytest.mark.parametrize(("count", "published"), [(0, 0), (1, 0), (50, 0), (51, 1), (100, 1), (101, 2), (150, 2)])
def test_a_block_is_published_once_its_oldest_item_left_the_first_page(count: int, published: int) -> None:
    pages = stable_pages(list(range(count)), 50)
    assert len(pages.blocks) == published
    shown = set(pages.newest).union(*pages.blocks)
    assert shown == set(range(count))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 400), st.integers(1, 60), st.integers(1, 120))
def test_a_newer_item_never_changes_a_published_block(count: int, size: int, added: int) -> None:
    before = stable_pages(list(range(count)), size)
    after = stable_pages(list(range(count + added)), size)
    assert after.blocks[: len(before.blocks)] == before.blocks
    assert all(len(block) == size for block in after.blocks)
    assert len(after.newest) == min(size, count + added)


def test_numbered_paths() -> None:
    assert numbered_path("tags/country/قطر.md", 3) == "tags/country/قطر/3.md"
    assert numbered_path("archive/index.md", 2) == "archive/2.md"
    assert numbered_path("index.md", 4) == "4.md"
    assert numbered_path("archive/2024/05.md", 1) == "archive/2024/05/1.md"
    # A tag whose slug ends in a number never meets another tag's older page.
    assert numbered_path("tags/topic/كوفيد.md", 19) != "tags/topic/كوفيد-19.md"


def test_the_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        stable_pages([1, 2], 0)
