"""Arabic plurals: CLDR's six categories (Babel's rule) and the form of each noun,
against the vectors the JavaScript twin (docs/assets/search/plurals.js) also reads."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.plurals import ARTICLE, BRIEFING, CATEGORIES, Noun, plural_category
from builder.render import count_label

from conftest import FIXTURES

VECTORS = json.loads((FIXTURES / "plurals" / "vectors.json").read_text(encoding="utf-8"))
NOUNS = {"briefing": BRIEFING, "article": ARTICLE}


def _cldr_arabic(n: int) -> str:
    """CLDR's Arabic rule written out, independently of Babel."""
    if n in (0, 1, 2):
        return ("zero", "one", "two")[n]
    if 3 <= n % 100 <= 10:
        return "few"
    if 11 <= n % 100 <= 99:
        return "many"
    return "other"


def test_vectors_cover_every_category() -> None:
    assert set(VECTORS["upto"]) == set(CATEGORIES)
    assert len(VECTORS["upto"]) >= 1000


def test_categories_match_the_vectors() -> None:
    for n, expected in enumerate(VECTORS["upto"]):
        assert plural_category(n) == expected, n
    for n, expected in VECTORS["large"].items():
        assert plural_category(int(n)) == expected, n


@given(st.integers(min_value=0, max_value=10**12))
def test_babel_agrees_with_the_rule_as_written(n: int) -> None:
    assert plural_category(n) == _cldr_arabic(n)


@pytest.mark.parametrize("noun", sorted(NOUNS))
def test_phrases_match_the_vectors(noun: str) -> None:
    for n, expected in VECTORS["phrases"][noun].items():
        assert NOUNS[noun].counted(int(n)) == expected, (noun, n)


def test_count_label_counts_briefings() -> None:
    assert [count_label(n) for n in (0, 1, 2, 3, 11, 100, 102, 103)] == [
        "لا إحاطات",
        "إحاطة واحدة",
        "إحاطتان",
        "3 إحاطات",
        "11 إحاطةً",
        "100 إحاطة",
        "102 إحاطة",
        "103 إحاطات",
    ]


def test_the_numeral_can_be_written_otherwise() -> None:
    noun = Noun(zero="z", one="o", two="t", few="f", many="m", other="x")
    assert noun.counted(15, "١٥") == "١٥ m"
    assert noun.counted(1, "١") == "o"
