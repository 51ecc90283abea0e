"""The recall query set: realistic misspellings of words from real articles.

Each query targets one article. Its word is taken from that article's title (or
body, for numbers) and is *rare* in the collection as written (raw tokens, not
our analyzer, decide what is rare), so finding the article in the top 10 is a
fair test of spelling robustness rather than of ranking ambiguity. Then the
word is rewritten the way readers type it, one variant class at a time.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from builder.model import Article
from builder.search.analyzer import STOP_WORDS
from builder.search.index import plain_text

PER_CLASS = 12
_RAW = re.compile(r"[^\W_]+")
_HARAKAT = "\u064e\u0650\u064f\u0652"
# Letters that never join the next one: no tatweel after them.
_NON_JOINING = set("اأإآدذرزوؤةىء")


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    slug: str  # the article it must find
    word: str  # the word as the article writes it


def _raw_words(text: str) -> list[str]:
    return _RAW.findall(text)


def _document_frequency(articles: Sequence[Article]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for article in articles:
        counts.update(set(_raw_words(f"{article.title} {plain_text(article.body)}")))
    return counts


def _arabic(word: str) -> bool:
    return all("\u0621" <= ch <= "\u064a" for ch in word)


_HAMZA_FORMS: dict[str, str | int | None] = {"أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ي", "ء": None}
_NO_HAMZA = str.maketrans(_HAMZA_FORMS)


def _hamza(word: str) -> str | None:
    out = word.translate(_NO_HAMZA)
    return out if out != word and len(out) >= 3 else None


def _ta_marbuta(word: str) -> str | None:
    return word[:-1] + "ه" if word.endswith("ة") else None


def _alef_maqsura(word: str) -> str | None:
    if word.endswith("ى"):
        return word[:-1] + "ي"
    if word.endswith("ي") and len(word) >= 4:
        return word[:-1] + "ى"
    return None


def _diacritics(word: str) -> str | None:
    marks = [_HARAKAT[i % len(_HARAKAT)] for i in range(len(word))]
    return "".join(ch + mark for ch, mark in zip(word, marks, strict=True))


def _tatweel(word: str) -> str | None:
    out = "".join(ch + ("ـ" if i < len(word) - 1 and ch not in _NON_JOINING else "") for i, ch in enumerate(word))
    return out if out != word else None


def _clitic(word: str, turn: int) -> str | None:
    if word.startswith("ال") and len(word) >= 5:
        options = [word[2:], "و" + word, "ب" + word]
    elif word[0] not in "وبل":
        options = ["و" + word, "ب" + word]
    else:
        return None
    return options[turn % len(options)]


def _punctuation(word: str, turn: int, following: str | None) -> str | None:
    forms = [f"«{word}»", f"({word})", f"{word}،", f"{word}؟", f"#{word}" + (f"_{following}" if following else "")]
    return forms[turn % len(forms)]


_DIGITS_AR = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_DIGITS_WEST = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

SIMPLE: dict[str, Callable[[str], str | None]] = {
    "hamza": _hamza,
    "ta-marbuta": _ta_marbuta,
    "alef-maqsura": _alef_maqsura,
    "diacritics": _diacritics,
    "tatweel": _tatweel,
}


def _candidates(article: Article, df: Counter[str]) -> Iterator[tuple[str, str | None]]:
    """Rare title words (with the word after them), in title order."""
    words = _raw_words(article.title)
    for i, word in enumerate(words):
        if len(word) >= 4 and _arabic(word) and df[word] <= 3 and word not in STOP_WORDS:
            yield word, words[i + 1] if i + 1 < len(words) else None


def build_queries(articles: Sequence[Article], per_class: int = PER_CLASS, seed: int = 4) -> list[Query]:
    df = _document_frequency(articles)
    order = list(articles)
    random.Random(seed).shuffle(order)
    queries: list[Query] = []
    turns: Counter[str] = Counter()
    used: set[tuple[str, str]] = set()

    def add(kind: str, text: str | None, article: Article, word: str) -> None:
        if text is None or turns[kind] >= per_class or (kind, article.slug) in used:
            return
        used.add((kind, article.slug))
        turns[kind] += 1
        queries.append(Query(kind, text, article.slug, word))

    for article in order:
        for word, following in _candidates(article, df):
            for kind, rewrite in SIMPLE.items():
                add(kind, rewrite(word), article, word)
            add("clitic", _clitic(word, turns["clitic"]), article, word)
            add("punctuation", _punctuation(word, turns["punctuation"], following), article, word)
            if following and len(following) >= 3 and following not in STOP_WORDS and _arabic(following):
                add("two-words", f"{word} {following}", article, word)
        for number in _raw_words(plain_text(article.body)):
            if len(number) >= 3 and number.isdigit() and df[number] == 1:
                west = number.translate(_DIGITS_WEST)
                typed = west.translate(_DIGITS_AR) if west == number else west
                add("digits", typed, article, number)
    return queries
