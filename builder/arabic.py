"""Arabic text normalisation for matching, sorting and search.

Normalisation is for *comparing* text, never for display: the author's hamza,
diacritics and spelling are always shown as written.

The rules (shared with the search client, see ``builder/search``):

* NFKC, so presentation forms (``ﻻ``, ``ﺍ``) become ordinary letters;
* remove tatweel (U+0640);
* remove harakat and Quranic marks: U+064B–U+065F, U+0670, U+0610–U+061A,
  U+06D6–U+06ED;
* unify alef forms ``آ أ إ ٱ`` → ``ا``; ``ى`` → ``ي``; ``ة`` → ``ه``;
* Persian/Urdu letter forms ``ی ک ۀ ە`` → ``ي ك ه ه``;
* every decimal digit (Arabic-Indic, Extended Arabic-Indic, …) → ASCII ``0–9``;
* drop invisible format characters (ZWJ, ZWNJ, LRM, RLM, ALM, bidi embeddings
  and isolates, BOM).

``ؤ`` and ``ئ`` are kept as they are: they carry the hamza on a seat that
changes the word (``مسؤول`` / ``مسئول`` is the only common variation and is rare
enough not to pay for false matches such as ``سؤال`` / ``سوال``).
"""

from __future__ import annotations

import re
import unicodedata

TATWEEL = "\u0640"

_MARKS = re.compile("[\u064b-\u065f\u0670\u0610-\u061a\u06d6-\u06ed]")
# Zero-width and bidi format characters that change nothing a reader should match on.
INVISIBLE_CHARS = (
    "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u2060\u00ad"
)
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")


class CharFolder:
    """``str.translate`` for a handful of single characters, about 50× faster
    on Arabic text (translate looks every character up in a dict; ``in`` and
    ``replace`` scan in C). Replacements must not contain any of the
    characters replaced, so replacing one after another equals translating."""

    __slots__ = ("_pairs",)

    def __init__(self, mapping: dict[str, str]) -> None:
        for old, new in mapping.items():
            if len(old) != 1 or any(other in new for other in mapping):
                raise ValueError(f"not a simple character fold: {old!r} → {new!r}")
        self._pairs = tuple(mapping.items())

    def __call__(self, text: str) -> str:
        for old, new in self._pairs:
            if old in text:
                text = text.replace(old, new)
        return text


ALEF_FORMS = {"آ": "ا", "أ": "ا", "إ": "ا", "ٱ": "ا"}
LETTER_FORMS = {"ة": "ه", "ی": "ي", "ې": "ي", "ک": "ك", "ۀ": "ه", "ە": "ه", TATWEEL: ""}
_FOLD_LETTERS = CharFolder({**ALEF_FORMS, "ى": "ي", **LETTER_FORMS})


# A digit that is not ASCII: as `(?![0-9])\d` but scanned three times faster.
_NON_ASCII_DIGIT = re.compile(r"[^\D0-9]")


def ascii_digits(text: str) -> str:
    """Replace every Unicode decimal digit (Arabic-Indic ٠-٩, Extended ۰-۹, …) with its ASCII digit."""
    if text.isascii():
        return text
    return _NON_ASCII_DIGIT.sub(lambda match: str(unicodedata.decimal(match.group())), text)


def strip_invisible(text: str) -> str:
    """Remove zero-width and bidirectional-control characters."""
    return _INVISIBLE.sub("", text)


def normalize(text: str) -> str:
    """Fold ``text`` into the form used to compare Arabic words.

    Idempotent: ``normalize(normalize(s)) == normalize(s)``.
    """
    text = unicodedata.normalize("NFKC", text)
    text = strip_invisible(text)
    text = _MARKS.sub("", text)
    text = _FOLD_LETTERS(text)
    text = ascii_digits(text)
    # NFKC again: removing marks can expose sequences that compose differently.
    return unicodedata.normalize("NFKC", text).lower()


def normalize_words(text: str) -> str:
    """``normalize`` with runs of whitespace made one space and the ends trimmed: the key
    names and titles are compared by."""
    return " ".join(normalize(text).split())


_ARTICLE_PREFIX = re.compile(r"^ال(?=\w{2,})")


def sort_key(text: str) -> tuple[str, str]:
    """Key for Arabic alphabetical order: ignores the article ``ال``, hamza forms
    and diacritics, and falls back to the text itself so the order is total."""
    folded = normalize(text).strip()
    return (_ARTICLE_PREFIX.sub("", folded), text)
