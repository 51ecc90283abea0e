"""TREC-style pseudo-XML (``<DOC><DOCNO>…<TEXT>…</DOC>``), as in the ANT corpora.

Not parsed as XML: real files carry raw ``&`` and ``"``, and some miss fields
or closing tags. Each field is found by its tags, tolerantly.
"""

from __future__ import annotations

import re

from builder.dateparse import parse_date
from builder.ingest.records import Candidate, Item, Rejected
from builder.ingest.text import clean_author, one_line, paragraphs_from_lines

_DOC = re.compile(r"<DOC>(.*?)(?:</DOC>|(?=<DOC>)|\Z)", re.DOTALL | re.IGNORECASE)
_ANY_TAG = r"(?=<[A-Za-z]+>|</DOC>|\Z)"
_SIGNATURE = re.compile(r"<(DOC|DOCNO|TITLE|TEXT)>", re.IGNORECASE)

# What readers see is Arabic: the ANT categories and outlets by their Arabic names.
CATEGORY_NAMES = {
    "culture": "ثقافة",
    "diverse": "متفرقات",
    "economy": "اقتصاد",
    "internationalnews": "دولية",
    "localnews": "وطنية",
    "middleeast": "الشرق الأوسط",
    "politic": "سياسة",
    "politics": "سياسة",
    "society": "مجتمع",
    "sport": "رياضة",
    "technology": "تكنولوجيا",
}
SOURCE_NAMES = {
    "alarabia": "العربية",
    "alarabiya": "العربية",
    "bbc": "بي بي سي عربي",
    "cnn": "سي إن إن بالعربية",
    "france24": "فرانس 24",
    "skynews": "سكاي نيوز عربية",
    "jawhara fm": "جوهرة أف أم",
}
MAX_SUMMARY_CHARS = 280


def looks_like_trec(text: str) -> bool:
    head = text.lstrip("\ufeff \t\n")[:2000]
    return head[:5].upper() == "<DOC>" or len(_SIGNATURE.findall(head)) >= 2


def field(block: str, tag: str) -> str | None:
    """The text of ``<TAG>…</TAG>``; an unclosed tag runs to the next tag."""
    closed = re.search(rf"<{tag}>(.*?)</{tag}>", block, re.DOTALL | re.IGNORECASE)
    if closed:
        return closed.group(1)
    opened = re.search(rf"<{tag}>(.*?){_ANY_TAG}", block, re.DOTALL | re.IGNORECASE)
    return opened.group(1) if opened else None


def shorten(text: str, limit: int = MAX_SUMMARY_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def read_trec(text: str, origin: str, stem: str) -> list[Item]:
    blocks = _DOC.findall(text) or [text]
    items: list[Item] = []
    for number, block in enumerate(blocks, start=1):
        where = origin if len(blocks) == 1 else f"{origin}#{number}"
        items.append(_record(block, where, stem))
    return items


def _record(block: str, origin: str, stem: str) -> Item:
    title = one_line(field(block, "TITLE") or "")
    if not title:
        return Rejected(origin, "no title: <TITLE> is missing or blank")
    warnings: list[str] = []
    time = one_line(field(block, "TIME") or "")
    date = parse_date(time) if time else None
    if time and date is None:
        warnings.append(f"date not understood: {time!r}")
    if date and date.warning:
        warnings.append(date.warning)
    category = one_line(field(block, "CAT") or "")
    source = one_line(field(block, "SRC") or "")
    abstract = one_line(field(block, "ABSTRACT") or "")
    docno = one_line(field(block, "DOCNO") or "")
    return Candidate(
        origin=origin,
        title=title,
        body=paragraphs_from_lines(field(block, "TEXT") or ""),
        date=date,
        source=SOURCE_NAMES.get(source.lower(), source) or None,
        url=one_line(field(block, "URL") or "") or None,
        author=clean_author(field(block, "AUTHOR")),
        tags=(CATEGORY_NAMES.get(category.lower(), category),) if category else (),
        summary=shorten(abstract) if abstract else None,
        fallback_slug=docno if len(docno) > 3 else stem,
        warnings=tuple(warnings),
    )
