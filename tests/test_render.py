"""Rendering helpers: relative links, Arabic number agreement, pagination."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.model import Article
from builder.render import count_label, link, paginate

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


def test_paginate_names_pages_and_keeps_every_item() -> None:
    items = [Article(source_path=f"{i}.md", slug=str(i), title="ع", body="ن", summary="") for i in range(120)]
    pages = paginate("archive/2023/06.md", items, size=50)
    assert [p.path for p in pages] == ["archive/2023/06.md", "archive/2023/06-2.md", "archive/2023/06-3.md"]
    assert [len(p.items) for p in pages] == [50, 50, 20]
    assert paginate("archive/2023/index.md", items, size=100)[1].path == "archive/2023/page-2.md"
    assert len(paginate("x.md", [], size=50)) == 1
