"""JSON arrays and JSON Lines of article records, with a configurable field mapping.

A mapping (``--mapping``: a JSON file, or the JSON itself inline) is a JSON object
from our field names to the record's keys:
``{"title": "headline", "body": ["content", "text"], "date": "meta.published"}``.
A value may list several keys (the first present wins); dots reach into
nested objects. Fields not mapped fall back to the usual names.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from builder.dateparse import ParsedDate, parse_date
from builder.errors import BuilderError
from builder.ingest.html import MarkupTooComplex, extract_fragment
from builder.ingest.records import Candidate, Item, Rejected
from builder.ingest.text import clean_author, one_line, paragraphs_from_lines

FIELDS = ("title", "date", "body", "url", "source", "author", "tags", "summary")
DEFAULT_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "date": ("date", "datePublished", "published", "published_at", "pubDate", "time", "created_at"),
    "body": ("body", "text", "content", "articleBody", "article"),
    "url": ("url", "link", "canonical", "permalink"),
    "source": ("source", "site", "publisher", "outlet"),
    "author": ("author", "byline", "creator"),
    "tags": ("tags", "keywords", "categories", "category"),
    "summary": ("summary", "description", "abstract", "excerpt"),
}
_HTML_MARKUP = re.compile(r"<(p|br|div|span|a|strong|b|em|i|h[1-6])[\s>/]", re.IGNORECASE)
# Epoch seconds between 2001 and 2100: a number in a date field is a Unix time.
_EPOCH_RANGE = (1_000_000_000, 4_102_444_800)


class MappingError(BuilderError):
    """The --mapping file or inline JSON is unreadable or invalid (a usage error)."""


@dataclass(frozen=True)
class FieldMapping:
    keys: dict[str, tuple[str, ...]]


DEFAULT_MAPPING = FieldMapping(DEFAULT_KEYS)


def load_mapping(value: str | Path) -> FieldMapping:
    """The ``--mapping`` value: inline JSON (text starting with ``{``) or a JSON file's path."""
    text = str(value)
    if isinstance(value, str) and text.lstrip()[:1] == "{":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MappingError(
                f"--mapping {_shorten(text)}: neither a readable file nor valid inline JSON: "
                f"{exc.msg} at line {exc.lineno} column {exc.colno} (character {exc.pos + 1})\n"
                f"{_pointer(text, exc.pos)}"
            ) from None
        return parse_mapping(data, "--mapping")
    path = Path(value)
    if not text.strip():
        raise MappingError('--mapping: empty; give a JSON file or inline JSON such as {"title": "headline"}')
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MappingError(
            f"--mapping {text}: neither a readable file ({exc.strerror or exc}) nor inline JSON "
            '(inline JSON starts with "{", e.g. {"title": "headline"})'
        ) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise MappingError(f"--mapping {text}: the mapping file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise MappingError(
            f"--mapping {text}: the mapping file is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    return parse_mapping(data, str(path))


def _shorten(text: str, limit: int = 60) -> str:
    """Inline JSON quoted in a message: one line, not too long."""
    line = " ".join(text.split())
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")


def _pointer(text: str, position: int, context: int = 30) -> str:
    """The line of ``text`` around ``position``, and a caret under it."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start : end if end != -1 else len(text)]
    column = position - start
    left = max(0, column - context)
    shown = line[left : column + context]
    return f"  {shown}\n  {' ' * (column - left)}^"


def parse_mapping(data: object, origin: str) -> FieldMapping:
    if not isinstance(data, dict):
        raise MappingError(f'{origin}: the mapping must be a JSON object such as {{"title": "headline"}}')
    keys = dict(DEFAULT_KEYS)
    for name, value in data.items():
        if name not in FIELDS:
            raise MappingError(f"{origin}: unknown field {name!r} (known: {', '.join(FIELDS)})")
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
            raise MappingError(f"{origin}: field {name!r} must map to a key or a list of keys")
        keys[name] = tuple(values)
    return FieldMapping(keys)


def looks_like_json(text: str) -> bool:
    return text.lstrip("\ufeff \t\n")[:1] in ("[", "{")


def read_json(text: str, origin: str, stem: str, mapping: FieldMapping = DEFAULT_MAPPING) -> list[Item]:
    text = text.lstrip("\ufeff")
    try:
        data = json.loads(text)
    except ValueError:
        return _read_lines(text, origin, stem, mapping)
    records = _records(data)
    if records is None:
        return [Rejected(origin, "JSON holds no article records (expected an array of objects)")]
    if not records:
        return [Rejected(origin, "JSON array is empty")]
    return [_record(r, f"{origin}#{n}", f"{stem}-{n}", mapping) for n, r in enumerate(records, start=1)]


def _records(data: object) -> list[object] | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("articles", "items", "records", "data", "results", "docs"):
            if isinstance(data.get(key), list):
                return list(data[key])
        return [data]
    return None


def _read_lines(text: str, origin: str, stem: str, mapping: FieldMapping) -> list[Item]:
    items: list[Item] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{origin}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            items.append(Rejected(where, f"line {number} is not valid JSON: {exc.msg}"))
            continue
        items.append(_record(record, where, f"{stem}-{number}", mapping))
    return items or [Rejected(origin, "file is empty")]


def _lookup(record: dict[str, object], keys: tuple[str, ...]) -> object:
    for key in keys:
        value: object = record
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value not in (None, "", []):
            return value
    return None


def _text(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return one_line(str(value)) or None
    return None


def _date(value: object) -> ParsedDate | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and _EPOCH_RANGE[0] <= value < _EPOCH_RANGE[1]:
        moment = dt.datetime.fromtimestamp(value, tz=dt.UTC)
        return ParsedDate(moment.date(), moment)
    return parse_date(value) if isinstance(value, str) else None


def _tags(value: object) -> tuple[str, ...]:
    items = re.split(r"[,،؛;]", value) if isinstance(value, str) else value
    if not isinstance(items, list):
        return ()
    tags = [_text(item) for item in items]
    return tuple(dict.fromkeys(t for t in tags if t))


def _record(record: object, origin: str, stem: str, mapping: FieldMapping) -> Item:
    if not isinstance(record, dict):
        return Rejected(origin, f"record is a JSON {type(record).__name__}, not an object")
    keys = mapping.keys
    title = _text(_lookup(record, keys["title"]))
    if not title:
        return Rejected(origin, f"no title (looked for {', '.join(keys['title'])})")
    raw_body = _lookup(record, keys["body"])
    if isinstance(raw_body, list):
        raw_body = "\n\n".join(str(part) for part in raw_body if isinstance(part, str))
    body = raw_body if isinstance(raw_body, str) else ""
    try:
        body = extract_fragment(body) if _HTML_MARKUP.search(body) else paragraphs_from_lines(body)
    except MarkupTooComplex as exc:
        return Rejected(origin, f"body: {exc}")
    raw_date = _lookup(record, keys["date"])
    date = _date(raw_date)
    warnings = [f"date not understood: {raw_date!r}"] if raw_date is not None and date is None else []
    if date and date.warning:
        warnings.append(date.warning)
    return Candidate(
        origin=origin,
        title=title,
        body=body,
        date=date,
        source=_text(_lookup(record, keys["source"])),
        url=_text(_lookup(record, keys["url"])),
        author=clean_author(_text(_lookup(record, keys["author"]))),
        tags=_tags(_lookup(record, keys["tags"])),
        summary=_text(_lookup(record, keys["summary"])),
        fallback_slug=stem,
        warnings=tuple(warnings),
    )
