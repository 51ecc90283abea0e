"""Plain text and Markdown, read the way the builder reads its sources."""

from __future__ import annotations

import datetime as dt

from builder.dateparse import ParsedDate, find_date, parse_date
from builder.errors import SourceError
from builder.ingest.records import Candidate, Item, Rejected
from builder.ingest.text import clean_author, once, one_line, paragraphs_from_lines
from builder.readers import read_markdown, read_text

DATELINE_LINES = 3  # a dateline, if any, is among the first lines of the body


def _date(value: object) -> ParsedDate | None:
    if isinstance(value, dt.datetime):
        return ParsedDate(value.date(), value)
    if isinstance(value, dt.date):
        return ParsedDate(value)
    return parse_date(value) if isinstance(value, str) else None


def _text(value: object) -> str | None:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return one_line(str(value)) or None
    return None


def read_plain(text: str, origin: str, stem: str, *, markdown: bool) -> list[Item]:
    try:
        raw = read_markdown(text, origin) if markdown else read_text(text, origin)
    except SourceError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        return [Rejected(origin, f"{exc.message}{where}")]
    meta = raw.metadata
    title = once(_text(meta.get("title")) or "")
    if not title:
        return [Rejected(origin, "no title")]
    warnings: list[str] = []
    date = _date(meta.get("date"))
    if meta.get("date") not in (None, "") and date is None:
        warnings.append(f"date not understood: {meta.get('date')!r}")
    body = raw.body if markdown else paragraphs_from_lines(raw.body)
    if date is None and not markdown:
        head = [line for line in body.split("\n") if line.strip()][:DATELINE_LINES]
        date = find_date("\n".join(head))
    if date and date.warning:
        warnings.append(date.warning)
    tags = meta.get("tags")
    tag_list = [tags] if isinstance(tags, str) else tags if isinstance(tags, list) else []
    return [
        Candidate(
            origin=origin,
            title=title,
            body=body,
            date=date,
            source=_text(meta.get("source")),
            url=_text(meta.get("url")),
            author=clean_author(_text(meta.get("author"))),
            tags=tuple(t for t in (_text(tag) for tag in tag_list) if t),
            summary=_text(meta.get("summary")),
            fallback_slug=stem,
            slug=_text(meta.get("slug")),
            markdown=markdown,
            warnings=tuple(warnings),
        )
    ]
