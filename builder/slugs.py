"""URL slugs that stay readable in Arabic.

The rule (documented in the README):

* NFC, invisible and bidi-control characters removed, diacritics and tatweel
  removed (they are invisible noise in an address bar), hamza forms kept;
* Latin letters lower-cased, every Unicode digit written as ASCII;
* any run of characters that is not a letter or a digit becomes one ``-``;
  nothing else is kept, so ``/``, ``\\``, ``..``, ``:``, NUL and Windows-illegal
  characters can never reach a path;
* at most 80 characters, cut at a ``-`` boundary when possible;
* names that Windows reserves (``con``, ``nul``, ``com1``…) get a ``-1`` suffix,
  and so does ``index``: ``<folder>/index.md`` is published at the folder's own
  address, which is taken (``tags/country.md``, the list of countries, is
  published at ``tags/country/``).

An empty result is returned as ``""``; callers decide on a fallback.
"""

from __future__ import annotations

import re
import unicodedata

from builder.arabic import INVISIBLE_CHARS, TATWEEL, ascii_digits

MAX_SLUG_LENGTH = 80
_MARKS = re.compile("[\u064b-\u065f\u0670\u0610-\u061a\u06d6-\u06ed" + TATWEEL + "]")
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
_NOT_WORD = re.compile(r"(?:[^\w]|_)+")
_RESERVED = frozenset(
    ["index", "con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)


def slugify(text: str) -> str:
    """Turn ``text`` (a title, a file stem, a tag name) into a safe, readable slug."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _MARKS.sub("", text)
    text = ascii_digits(text).lower()
    slug = _NOT_WORD.sub("-", text).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        cut = slug[:MAX_SLUG_LENGTH]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut[MAX_SLUG_LENGTH // 2 :] else cut).strip("-")
    if slug in _RESERVED:
        slug += "-1"
    return slug
