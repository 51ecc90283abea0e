"""The search analyzer: Arabic text → index terms.

This module and ``docs/assets/search/analyzer.js`` implement one specification;
``tests/fixtures/search/vectors.json`` is asserted against both so they cannot
drift. The steps, in order:

1. ``search_normalize`` on the whole text: ``builder.arabic.normalize``
   (NFKC, tatweel, harakat and Quranic marks, alef forms, ة→ه, Persian
   letters, digits → 0–9, invisible characters, lower case) except that ``ى``
   is kept for now.
2. Tokenize: a token is a maximal run of letters and numbers (``[^\\W_]`` in
   Python, ``[\\p{L}\\p{N}]`` in JS). Everything else separates words, so
   punctuation such as ``، ؛ ؟ « » " ( ) # _`` never stays glued to a word.
   Tokens longer than ``MAX_TOKEN`` characters are dropped (URLs, base64 noise).
3. Stop words are matched on that token, ``ى`` still as written, and dropped:
   ``على`` and ``إلى`` are stop words, the name ``علي`` and the adjective
   ``آلي`` are not. Only then ``ى → ي`` (so ``مصطفى`` and ``مصطفي`` meet).
   Positions count only the words that remain, so a phrase query skips stop
   words too.
4. Hamza seats, a search-only decision: ``ؤ → و``, ``ئ → ي`` and a standalone
   ``ء`` is removed. Readers who type without hamza write ``مسوول``, ``رييس``,
   ``سما``; the cost is rare conflations (``سؤال``/``سوال`` is not a word). The
   result is the *surface* term.
5. Stem the surface term the way Lucene's ArabicStemmer does (Larkey's light10):
   strip at most one prefix of ``ال وال بال كال فال لل و`` (``و`` only when the
   word has at least 4 letters, the others only when at least 2 letters remain),
   then try each suffix of ``ها ان ات ون ين يه ه ي`` once, in that order,
   stripping it when at least 2 letters remain. (``ة`` and ``ية`` of light10 are
   ``ه`` and ``يه`` after normalisation.)
6. Alternative stem, for two cuts light10 gets wrong. It leaves a lone ``ب``
   or ``ل`` (and ``و``/``ف`` before them) attached, so ``بغزة`` would not meet
   ``غزة``: when at least 3 letters remain, the stem of the rest is the
   alternative. It also takes a word's own ``و`` (``وزير`` → ``زير`` while
   ``الوزير`` → ``وزير``): for a word of 4+ letters starting with ``و`` the
   alternative keeps the ``و`` and strips suffixes only. A word matches another when their term sets
   (stem, alternative) meet; equal surfaces are an *exact* match and rank higher.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from builder.arabic import ALEF_FORMS, INVISIBLE_CHARS, LETTER_FORMS, CharFolder, ascii_digits

MAX_TOKEN = 40

_TOKEN = re.compile(r"[^\W_]+")

_MARKS = re.compile("[\u064b-\u065f\u0670\u0610-\u061a\u06d6-\u06ed]")
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
_LETTERS = CharFolder({**ALEF_FORMS, **LETTER_FORMS})  # builder.arabic.normalize's, but ى stays


def search_normalize(text: str) -> str:
    """``builder.arabic.normalize`` except that ``ى`` stays: stop words are
    matched before ``ى → ي``. ``search_normalize(t).replace("ى", "ي") == normalize(t)``."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _MARKS.sub("", text)
    text = ascii_digits(_LETTERS(text))
    return unicodedata.normalize("NFKC", text).lower()


# In search_normalize's form: ى where the word is written with it (على is a
# stop word, the name علي is not), and the ى-spellings of stop words that much
# copy types with ى for a final ي (فى، هى، الذى، التى). Kept short: function words only, plus the
# reporting verbs every news article repeats, so posting lists stay small.
STOP_WORDS: frozenset[str] = frozenset(
    search_normalize(word)
    for word in """
    في من الى على عن مع ان او ام ثم قد لا ما لم لن هل بل لكن حتى اذا اذ كي لو
    هو هي هم هن هما انا نحن انت انتم انتما انتن اياه ايها
    هذا هذه هذان هاتان هؤلاء ذلك تلك اولئك هناك هنا
    الذي التي الذين اللذان اللتان اللواتي اللاتي
    كان كانت كانوا يكون تكون ليس ليست
    و ف ب ل ك عند عندما لدى منذ خلال بين حيث كما ايضا غير بعد قبل
    كل بعض اي التي اما الا اذن اليه اليها عليه عليها منه منها فيه فيها به بها له لها
    وقد وقال وان ولا وما ولم وهو وهي وفي ومن وعلى وعن ومع
    فان فقد فلا بان لان كذلك مثل نحو ضد دون سوى عبر
    قال قالت يقول تقول واضاف اضاف واضافت اضافت
    فى هى الذى التى اى وفى وهى
    """.split()  # noqa: SIM905 - a word list reads better as text
)

_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_HAMZA_SEATS = CharFolder({"ؤ": "و", "ئ": "ي", "ء": ""})
_PROCLITICS = "بل"


@dataclass(frozen=True)
class Word:
    """One indexed word: where it is, what it looks like, what it matches."""

    position: int  # counts kept words only
    start: int  # offsets into the *normalised* text
    end: int
    surface: str
    stem: str
    alt: str | None  # stem without a lone proclitic, when there is one

    @property
    def terms(self) -> tuple[str, ...]:
        """Terms a word is found under (the stem, then the alternative)."""
        if self.alt is None or self.alt == self.stem:
            return (self.stem,)
        return (self.stem, self.alt)


def fold_hamza(token: str) -> str:
    """Step 4: hamza seats folded to the letter typed without hamza."""
    return _HAMZA_SEATS(token)


def stem(word: str) -> str:
    """Light10 stem of a normalised, hamza-folded word."""
    return _suffixes(word[len(_prefix(word)) :])


def _prefix(word: str) -> str:
    """The one prefix light10 strips from ``word`` ("" for none)."""
    for prefix in _PREFIXES:
        if _strippable_prefix(word, prefix):
            return prefix
    return ""


def _suffixes(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


def _strippable_prefix(word: str, prefix: str) -> bool:
    if len(prefix) == 1 and len(word) < 4:
        return False
    if len(word) < len(prefix) + 2:
        return False
    return word.startswith(prefix)


def alternative(surface: str) -> str | None:
    """Step 6: a second stem for words light10 cuts wrongly, or None."""
    if len(surface) >= 3 and surface[0] in "وف" and surface[1] in _PROCLITICS:
        rest = surface[2:]
    elif _prefix(surface) == "و":
        # light10 took a و that may be the word's own (وزير → زير): keep it too.
        return _suffixes(surface)
    elif surface[:1] in _PROCLITICS:
        rest = surface[1:]
    else:
        return None
    return stem(rest) if len(rest) >= 3 else None


def tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, token)`` of every word of the *normalised* ``text``."""
    for match in _TOKEN.finditer(text):
        token = match.group()
        if len(token) <= MAX_TOKEN:
            yield match.start(), match.end(), token


def _analyze_token(token: str) -> tuple[str, str, str | None] | None:
    if token in STOP_WORDS:
        return None
    surface = fold_hamza(token.replace("ى", "ي"))
    if not surface:
        return None
    return surface, stem(surface), alternative(surface)


@lru_cache(maxsize=1 << 16)  # news vocabulary is Zipfian: most tokens repeat
def analyze_token(token: str) -> tuple[str, str, str | None] | None:
    """``(surface, stem, alt)`` of one token of ``search_normalize``'s text, None for a stop word."""
    return _analyze_token(token)


Terms = tuple[str, str, tuple[str, ...]]  # (surface, stem, terms)
_UNSET: Terms = ("", "", ())
_TERMS: dict[str, Terms | None] = {}
TERMS_CACHE_LIMIT = 1 << 19  # distinct tokens remembered (a few tens of MB)


def token_terms(token: str) -> Terms | None:
    """``(surface, stem, terms)`` of one normalised token, or None when it is
    not indexed (a stop word, or longer than ``MAX_TOKEN``). Memoized in a plain
    dict: the indexer calls this for every word of every article."""
    found = _TERMS.get(token, _UNSET)
    if found is not _UNSET:
        return found
    analyzed = _analyze_token(token) if len(token) <= MAX_TOKEN else None
    result: Terms | None = None
    if analyzed is not None:
        surface, stemmed, alt = analyzed
        result = (surface, stemmed, (stemmed,) if alt is None or alt == stemmed else (stemmed, alt))
    if len(_TERMS) < TERMS_CACHE_LIMIT:
        _TERMS[token] = result
    return result


def token_list(normalized: str) -> list[str]:
    """Every token of an already normalised text, long ones included (see ``token_terms``)."""
    return _TOKEN.findall(normalized)


def analyze(text: str, *, first_position: int = 0) -> list[Word]:
    """All indexed words of ``text``, in order."""
    words: list[Word] = []
    position = first_position
    for start, end, token in tokens(search_normalize(text)):
        analyzed = analyze_token(token)
        if analyzed is None:
            continue
        surface, stemmed, alt = analyzed
        words.append(Word(position, start, end, surface, stemmed, alt))
        position += 1
    return words
