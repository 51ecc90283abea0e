"""Words and the gaps between them, as the tagger and discovery see a text.

A token is a run of letters and digits plus the marks, tatweel and joiners that sit
inside Arabic words; everything else (spaces, punctuation, "_") separates tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from builder.arabic import normalize
from builder.taxonomy import keep_shadda

# A token: letters and digits plus the marks, tatweel and joiners that sit inside Arabic
# words; "_" separates (hashtags such as #قطاع_غزة).
TOKEN = re.compile(r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d])+")
_MARKS = r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d"
# The same tokens, captured, so that ``split`` gives [gap, word, gap, word, …, gap]
# in one call; written as runs of letters and runs of marks (possessive: nothing
# follows, so there is nothing to backtrack for), which the regex engine scans faster.
_WORDS_AND_GAPS = re.compile(rf"((?:[^\W_]++|[{_MARKS}]++)++)")
# Faster still, one character class, but it takes "_" for a letter: for texts without "_".
_WORDS_AND_GAPS_NO_UNDERSCORE = re.compile(rf"([\w{_MARKS}]+)")


def words_and_gaps(text: str) -> list[str]:
    """``[gap, word, gap, word, …, gap]``: the tokens of ``TOKEN`` and what lies between."""
    return (_WORDS_AND_GAPS if "_" in text else _WORDS_AND_GAPS_NO_UNDERSCORE).split(text)


# What may separate the words of one name: spaces, at most one line break, a hyphen,
# quotation marks (لتحالف "دعم الشرعية").
NAME_GAP = re.compile(r"[ \t\u00a0\"«»“”]*(?:[-\u2010\u2011][ \t\u00a0]*)?\n?[ \t\u00a0\"«»“”]*")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    norm: str
    joined: bool
    marked: str  # norm with the shadda kept  # separated from the previous token only by a name gap


@lru_cache(maxsize=65536)
def word_forms(word: str) -> tuple[str, str]:
    """(normalised, normalised with shadda) of one word; words repeat, so cache them."""
    return normalize(word), keep_shadda(word)


@lru_cache(maxsize=4096)
def is_name_gap(gap: str) -> bool:
    return NAME_GAP.fullmatch(gap) is not None


def tokenize(text: str) -> list[Token]:
    """Every word of ``text`` that normalises to something, with its offsets, and
    whether only a name gap separates it from the previous one (the matching itself
    does not build tokens: see ``_scan``)."""
    tokens: list[Token] = []
    parts = words_and_gaps(text)
    at = len(parts[0])
    previous_end: int | None = None
    for k in range(1, len(parts), 2):
        word = parts[k]
        end = at + len(word)
        norm, marked = word_forms(word)
        if norm:
            joined = previous_end is not None and is_name_gap(text[previous_end:at])
            tokens.append(Token(at, end, norm, joined, marked))
            previous_end = end
        at = end + len(parts[k + 1])
    return tokens
