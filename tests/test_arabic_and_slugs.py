"""Arabic normalisation and slugs: the traps English-only tools ignore."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.arabic import ALEF_FORMS, LETTER_FORMS, CharFolder, ascii_digits, normalize, sort_key
from builder.slugs import MAX_SLUG_LENGTH, slugify


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("أحمد", "احمد"),
        ("إسرائيل", "اسرائيل"),
        ("آل ثاني", "ال ثاني"),
        ("ٱلله", "الله"),
        ("مستشفى", "مستشفي"),
        ("الدوحة", "الدوحه"),
        ("مُحَمَّد", "محمد"),
        ("قـــطر", "قطر"),
        ("٢٠٢٣", "2023"),
        ("۱۴۰۲", "1402"),
        ("ﻻ", "لا"),
        ("ی ک", "ي ك"),
        ("قطر\u200f", "قطر"),
        ("مسؤول", "مسؤول"),  # ؤ is kept: see builder.arabic
    ],
)
def test_normalize(written: str, folded: str) -> None:
    assert normalize(written) == folded


@given(st.text(max_size=60))
def test_normalize_is_idempotent(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


def test_sort_key_ignores_article_and_hamza() -> None:
    names = ["الولايات المتحدة", "أفغانستان", "إيران", "البحرين", "تركيا", "الأردن"]
    assert sorted(names, key=sort_key) == ["الأردن", "أفغانستان", "إيران", "البحرين", "تركيا", "الولايات المتحدة"]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("وزارة الخارجية: ناقشنا مع واشنطن", "وزارة-الخارجية-ناقشنا-مع-واشنطن"),
        ("مُؤْتَمَر بروكسل", "مؤتمر-بروكسل"),
        ("٢٠٢٣-06-13 قمة", "2023-06-13-قمة"),
        ("../../etc/passwd", "etc-passwd"),
        ("C:\\Windows\\system32", "c-windows-system32"),
        ("CON", "con-1"),
        ("Index", "index-1"),  # <folder>/index.md is the folder's own page
        ("\u202eفلسطين\u202c", "فلسطين"),
        ("a\x00b", "a-b"),
        ("!!!", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@given(st.text(max_size=200))
def test_slugs_can_never_leave_their_folder(text: str) -> None:
    slug = slugify(text)
    assert len(slug) <= MAX_SLUG_LENGTH
    assert not set(slug) & set('/\\:*?"<>|\x00.')
    assert not slug.startswith("-") and not slug.endswith("-")
    assert slugify(slug) == slug
    assert not any(ch in string.whitespace for ch in slug)


_FOLDED = "".join([*ALEF_FORMS, "ى", *LETTER_FORMS, "ؤئء"])


@given(st.text(alphabet=st.sampled_from(_FOLDED + "اويهكب ٣0\u064e"), max_size=40))
def test_character_folds_equal_translate(text: str) -> None:
    table = {**ALEF_FORMS, "ى": "ي", **LETTER_FORMS}
    assert CharFolder(table)(text) == text.translate(str.maketrans(table))


def test_a_fold_whose_output_would_be_folded_again_is_refused() -> None:
    with pytest.raises(ValueError, match="not a simple character fold"):
        CharFolder({"ى": "ي", "ي": "ا"})


@given(st.text())
def test_ascii_digits_replaces_exactly_the_non_ascii_decimal_digits(text: str) -> None:
    expected = "".join(
        str(unicodedata.decimal(ch)) if not "0" <= ch <= "9" and unicodedata.decimal(ch, None) is not None else ch
        for ch in text
    )
    assert ascii_digits(text) == expected
