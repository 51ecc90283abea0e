"""Small text helpers shared by the ingest readers."""

from __future__ import annotations

import html
import re

from builder.arabic import normalize, strip_invisible

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CHAR_REF = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_GUID = re.compile(r"^[{(]?[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}[)}]?$")


def decode_references(text: str) -> str:
    """Decode character references left in text (``&#1575;``, ``&amp;``).

    Exports often carry them doubly escaped; BeautifulSoup decodes one level only."""
    return html.unescape(text) if _CHAR_REF.search(text) else text


def one_line(text: str) -> str:
    """Collapse all white space (no-break spaces included) into single spaces."""
    return _SPACES.sub(" ", strip_invisible(decode_references(text)).replace("\n", " ")).strip()


def paragraphs_from_lines(text: str) -> str:
    """Text with one paragraph per line (or per blank-line block) to paragraphs
    separated by one blank line."""
    text = decode_references(text).replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    kept = [one_line(block) for block in blocks]
    return "\n\n".join(block for block in kept if block)


def once(title: str) -> str:
    """A title that a page shows twice in a row (``X X``) is shown once."""
    title = one_line(title)
    words = title.split(" ")
    half = len(words) // 2
    if len(words) % 2 == 0 and half and normalize(" ".join(words[:half])) == normalize(" ".join(words[half:])):
        return " ".join(words[:half])
    return title


def clean_author(value: str | None) -> str | None:
    """Drop empty authors and the GUIDs some feeds put in the author field."""
    if value is None:
        return None
    value = one_line(value)
    if not value or _GUID.match(value):
        return None
    return value
