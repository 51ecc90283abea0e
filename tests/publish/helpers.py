"""Shared helpers for the publication tests: fixture loading and paths."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from builder.bundle import BundleResult
from builder.model import Article, EntityRef

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "publish"
VENDOR = REPO / "tests" / "vendor"


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _datetime(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def load_articles(name: str) -> list[Article]:
    """Articles described by ``tests/fixtures/publish/<name>.yaml``."""
    records = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
    articles = []
    for record in records:
        articles.append(
            Article(
                source_path=f"{record['slug']}.md",
                slug=record["slug"],
                title=record["title"],
                body=record.get("body", record["summary"]),
                summary=record["summary"],
                date=_date(record.get("date")),
                published=_datetime(record.get("published")),
                author=record.get("author"),
                tags=tuple(record.get("tags", ())),
                draft=bool(record.get("draft", False)),
                entities=tuple(EntityRef(**e) for e in record.get("entities", ())),
            )
        )
    return articles


@dataclass(frozen=True)
class Bundle:
    result: BundleResult
    root: Path  # the unzipped bundle's top folder
