"""Cleaning: boilerplate out, paragraphs kept in order, subheadings found."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder import cleaning
from builder.arabic import strip_invisible
from builder.cleaning import clean_body, default_rules, looks_like_subheading, parse_rules
from builder.errors import ConfigError
from builder.readers import read_file

from conftest import FIXTURES, REFERENCE, require_shared

CLEANING = FIXTURES / "cleaning"
COMMENT_FORM_PHRASES = (
    "أضف تعليقا",
    "اترك تعليق",
    "لن يتم نشر",
    "الحقول الإلزامية",
    "إلغاء الرد",
    "إرسال التعليق",
)


def clean_fixture(name: str) -> str:
    raw = read_file(CLEANING / name, name)
    return clean_body(raw.body)


def test_reference_article_is_cleaned() -> None:
    require_shared(REFERENCE)
    raw = read_file(REFERENCE, REFERENCE.name)
    assert raw.metadata["title"] == "وزارة الخارجية: ناقشنا مع واشنطن وباريس تطوير العلاقات وأزمات المنطقة"
    cleaned = clean_body(raw.body)
    for phrase in COMMENT_FORM_PHRASES:
        assert phrase not in cleaned
    assert "## مؤتمر بروكسل" in cleaned.split("\n\n")
    # Every real paragraph is kept, in order: the source's paragraphs of 40+ characters.
    source_paragraphs = [
        line.strip()
        for line in REFERENCE.read_text(encoding="utf-8").split("\n")[1:]
        if len(line.strip()) > 40 and not line.startswith("لن يتم")
    ]
    cleaned_paragraphs = [p for p in cleaned.split("\n\n") if not p.startswith("## ")]
    assert cleaned_paragraphs == source_paragraphs
    assert "\u00a0" not in cleaned


def test_comment_form_and_everything_after_it_is_dropped() -> None:
    cleaned = clean_fixture("comment_form.txt")
    assert cleaned.split("\n\n") == [
        "الفقرة الأولى من الخبر وفيها تفاصيل كافية عن الاجتماع.",
        "الفقرة الثانية تشرح المواقف الرسمية بالتفصيل.",
    ]


def test_no_break_space_lines_and_space_runs() -> None:
    cleaned = clean_fixture("nbsp_lines.txt")
    assert cleaned == "فقرة أولى طويلة بما يكفي لتكون فقرة حقيقية من الخبر.\n\nفقرة ثانية فيها مسافات كثيرة."


def test_short_line_between_paragraphs_becomes_subheading() -> None:
    paragraphs = clean_fixture("subheading.txt").split("\n\n")
    assert paragraphs[1] == "## مؤتمر بروكسل"
    # The last line has no paragraph after it: it is not a subheading.
    assert paragraphs[-1] == "نقطة أخيرة بلا علامة"


def test_read_also_share_and_copyright_lines_are_dropped() -> None:
    cleaned = clean_fixture("read_also_links.txt")
    assert cleaned.split("\n\n") == [
        "أعلنت الوزارة عن خطة جديدة للتعاون.",
        "وأضافت الوزارة أن الخطة تبدأ الشهر المقبل.",
    ]


def test_markdown_bodies_keep_their_paragraph_lines_together() -> None:
    body = "سطر أول من فقرة\nوسطر ثانٍ منها.\n\n- عنصر قائمة\n- عنصر آخر\n\nفقرة أخيرة."
    assert clean_body(body, plain_text=False) == body


def test_subheading_rule() -> None:
    assert looks_like_subheading("مؤتمر بروكسل")
    assert not looks_like_subheading("انتهى الاجتماع.")
    assert not looks_like_subheading("هل انتهى الاجتماع؟")
    assert not looks_like_subheading("- عنصر")
    assert not looks_like_subheading("كلمة " * 12)


def test_rules_file_errors_are_all_reported() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_rules({"drop_lines": "not a list", "tail_markers": [""], "colour": 1}, "rules.yml")
    message = str(caught.value)
    assert "drop_lines" in message and "tail_markers" in message and "colour" in message


def test_default_rules_cover_the_wordpress_comment_form() -> None:
    rules = default_rules()
    from builder.cleaning import is_boilerplate

    for line in (
        "أضف تعليقا",
        "اترك تعليقاً",
        "لن يتم نشر عنوان بريدك الإلكتروني",
        "إلغاء الرد",
        "إرسال التعليق",
        "الحقول الإلزامية مشار إليها بـ *",
        "اقرأ أيضا: خبر آخر",
    ):
        assert is_boilerplate(line, rules), line
    assert not is_boilerplate("شارك الوزير في المؤتمر الذي عقد في الدوحة أمس.", rules)


arabic_text = st.text(
    alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى ًٌٍَُِّْـ\u00a0\u200b\n .،؟:*#-«»")),
    max_size=300,
)


@given(arabic_text)
def test_cleaning_is_idempotent(text: str) -> None:
    once = clean_body(text)
    assert clean_body(once, plain_text=False) == once


@given(arabic_text)
def test_cleaning_never_invents_text(text: str) -> None:
    cleaned = clean_body(text)
    # Compared in NFC without invisible characters: the two changes cleaning makes inside words.
    words = set(unicodedata.normalize("NFC", strip_invisible(text)).split())
    for word in cleaned.replace("## ", "").split():
        assert any(word in w for w in words)


def test_fixture_names_match_scenarios() -> None:
    # One small fixture per scenario, each used above.
    used = {"comment_form.txt", "nbsp_lines.txt", "subheading.txt", "read_also_links.txt"}
    assert {p.name for p in Path(CLEANING).iterdir()} == used


@given(st.text())
def test_tidy_line_collapses_the_white_space_of_the_spaces_pattern(text: str) -> None:
    # tidy_line joins str.split(): it must treat as space exactly what _SPACES does.
    assert " ".join(text.split()) == cleaning._SPACES.sub(" ", text).strip()
