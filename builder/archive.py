"""Date archives as plain data, built before anything is rendered or written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from builder.model import Article


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
