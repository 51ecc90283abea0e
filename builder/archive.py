"""Date archives as plain data, built before anything is rendered or written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Generic, TypeVar

from builder.model import Article

T = TypeVar("T")


@dataclass(frozen=True)
class MonthGroup:
    year: int
    month: int
    articles: tuple[Article, ...]  # newest first

    @property
    def page_path(self) -> str:
        return f"archive/{self.year}/{self.month:02d}.md"


@dataclass(frozen=True)
class YearGroup:
    year: int
    months: tuple[MonthGroup, ...]  # newest first

    @property
    def page_path(self) -> str:
        return f"archive/{self.year}/index.md"

    @property
    def count(self) -> int:
        return sum(len(m.articles) for m in self.months)


@dataclass(frozen=True)
class Archive:
    years: tuple[YearGroup, ...]  # newest first
    undated: tuple[Article, ...]

    INDEX_PATH = "archive/index.md"
    UNDATED_PATH = "archive/undated.md"


def build_archive(articles: Sequence[Article]) -> Archive:
    ordered = sorted(articles, key=lambda a: a.sort_key)
    dated = [a for a in ordered if a.date is not None]
    years = []
    for year, in_year in groupby(dated, key=lambda a: a.date.year if a.date else 0):
        months = tuple(
            MonthGroup(year, month, tuple(items))
            for month, items in groupby(in_year, key=lambda a: a.date.month if a.date else 0)
        )
        years.append(YearGroup(year, months))
    return Archive(tuple(years), tuple(a for a in ordered if a.date is None))


def neighbours(articles: Sequence[Article]) -> dict[str, tuple[Article | None, Article | None]]:
    """Previous (older) and next (newer) dated article for each slug."""
    dated = sorted((a for a in articles if a.date is not None), key=lambda a: a.sort_key, reverse=True)
    result: dict[str, tuple[Article | None, Article | None]] = {}
    for index, article in enumerate(dated):
        older = dated[index - 1] if index > 0 else None
        newer = dated[index + 1] if index + 1 < len(dated) else None
        result[article.slug] = (older, newer)
    return result


@dataclass(frozen=True)
class StablePages(Generic[T]):
    """A long list split so that a newer item never changes an older page.

    ``newest`` (the first page, at the list's own address) holds the newest
    ``size`` items, newest first. The older items are in ``blocks`` of ``size``
    counted from the *oldest*: block 1 holds the oldest ``size`` items, block 2
    the next ones, and so on. A block is complete before it is published, so
    its content never changes when a newer item arrives; it is published once
    its oldest item has left the first page (the first page would otherwise
    show all of it). Only an older item inserted (or deleted) moves the blocks
    from that point on."""

    newest: tuple[T, ...]
    blocks: tuple[tuple[T, ...], ...]  # block n is ``blocks[n - 1]``, oldest first
    total: int


def stable_pages(oldest_first: Sequence[T], size: int) -> StablePages[T]:
    """``oldest_first`` in a total order (oldest first) split into stable pages."""
    if size < 1:
        raise ValueError("page size must be positive")
    count = len(oldest_first)
    published = (count - 1) // size if count else 0
    blocks = tuple(tuple(oldest_first[n * size : (n + 1) * size]) for n in range(published))
    return StablePages(tuple(reversed(oldest_first[-size:])) if count else (), blocks, count)


def numbered_path(first_path: str, number: int) -> str:
    """Address of older page ``number``, in a folder named after the first page:
    ``x.md`` → ``x/3.md``, ``…/index.md`` → ``…/3.md``. A slug has no ``/``, so
    no tag's page can take the address of another tag's older page (with
    ``x-3.md``, a tag «كوفيد 19» would be page 19 of «كوفيد»)."""
    stem = first_path[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return f"{stem[: -len('index')]}{number}.md"
    return f"{stem}/{number}.md"
