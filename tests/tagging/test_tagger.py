"""The tagger: Arabic-aware matching, front-matter tags, first-mention links."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.model import Article, EntityRef, Severity
from builder.tagging.links import link_first_mentions
from builder.tagging.matching import find_matches, tag_article
from builder.taxonomy import Taxonomy, load_taxonomy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tagging"


@cache
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@cache
def second_taxonomy() -> Taxonomy:
    """Another instance loaded from the same file: results must not depend on caches."""
    return load_taxonomy()


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def article(body: str, *, title: str = "عنوان", tags: tuple[str, ...] = (), slug: str = "a") -> Article:
    return Article(source_path=f"{slug}.md", slug=slug, title=title, body=body, summary="", tags=tags)


def names(text: str) -> set[str]:
    tagged, _ = tag_article(article(text), taxonomy())
    return {f"{e.type}:{e.name}" for e in tagged.entities}


def href(ref: EntityRef) -> str:
    return f"../tags/{ref.type}/{ref.slug}.md"


def test_proclitics_are_allowed_before_a_name() -> None:
    found = names(fixture("proclitics.txt"))
    assert {
        "country:قطر",
        "country:فرنسا",
        "country:السودان",
        "country:ليبيا",
        "country:الكويت",
        "organization:الأمم المتحدة",
    } <= found


def test_demonyms_with_nisba_and_plural_endings() -> None:
    found = names(fixture("demonyms.txt"))
    expected = {"قطر", "فرنسا", "الولايات المتحدة", "الأردن", "مصر", "ألمانيا", "روسيا"}
    assert {f"country:{n}" for n in expected} == {f for f in found if f.startswith("country:")}


def test_longest_match_wins_and_multiword_names_match_as_a_unit() -> None:
    found = names(fixture("longest_match.txt"))
    assert "organization:مجلس التعاون لدول الخليج العربية" in found
    assert "organization:مكتب الأمم المتحدة المعني بالمخدرات والجريمة" in found
    assert "country:جنوب السودان" in found
    # The shorter names inside the longer ones are not separate mentions.
    assert "organization:الأمم المتحدة" not in found
    assert "country:السودان" not in found
    assert "place:منطقة الخليج" not in found


def test_a_name_never_matches_inside_a_longer_word() -> None:
    assert names(fixture("word_boundary.txt")) == set()


def test_honorifics_are_not_part_of_a_name_and_spellings_vary() -> None:
    found = names(fixture("honorifics.txt"))
    assert {
        "person:محمد بن عبد الرحمن آل ثاني",
        "person:أنطونيو غوتيريش",
        "person:ماجد الأنصاري",
    } <= found


def test_normalised_spelling_variants_match() -> None:
    found = names(fixture("spelling_variants.txt"))
    assert {
        "country:الإمارات",
        "country:سوريا",
        "country:قطر",
        "country:السعودية",
        "country:الولايات المتحدة",
        "organization:الأمم المتحدة",
    } <= found


def test_a_nisba_after_a_given_name_is_a_family_name() -> None:
    text = fixture("family_names.txt")
    matches = [(m.entity.name, text[m.start : m.end]) for m in find_matches(text, taxonomy())]
    # "سيف السويدي" and the bare "وقال السويدي" are a man; "الوزير السويدي" is Swedish.
    assert matches.count(("السويد", "السويدي")) == 1
    assert ("مصر", "المصري") in matches


def test_shadda_tells_amman_from_oman() -> None:
    text = fixture("amman_and_oman.txt")
    found = [(m.entity.name, text[m.start : m.end]) for m in find_matches(text, taxonomy())]
    assert ("عمّان", "عمّان") in found
    assert ("عمان", "سلطنة عمان") in found
    assert ("عمان", "وعمان") in found
    assert "country:الأردن" in names(text)


def test_a_capital_implies_its_country() -> None:
    found = names(fixture("capitals.txt"))
    assert {"place:واشنطن", "place:باريس", "country:الولايات المتحدة", "country:فرنسا", "place:نيويورك"} == found


def test_front_matter_tags_are_merged_and_unknown_ones_become_topics() -> None:
    tagged, problems = tag_article(article("نص بلا أسماء.", tags=("قطر", "الوساطة", "الزراعة المائية")), taxonomy())
    assert {(e.type, e.name) for e in tagged.entities} == {
        ("country", "قطر"),
        ("topic", "الوساطة"),
        ("topic", "الزراعة المائية"),
    }
    assert len(problems) == 1
    assert problems[0].severity is Severity.WARNING
    assert "الزراعة المائية" in problems[0].message
    assert problems[0].path == "a.md"


def test_strict_makes_an_unknown_tag_an_error() -> None:
    _, problems = tag_article(article("نص.", tags=("وسم مجهول",)), taxonomy(), strict=True)
    assert [p.severity for p in problems] == [Severity.ERROR]


def test_entities_are_sorted_by_type_then_arabic_order() -> None:
    tagged, _ = tag_article(article("اليمن وقطر والأمم المتحدة وأنتوني بلينكن والإرهاب والدوحة وأذربيجان"), taxonomy())
    assert [(e.type, e.name) for e in tagged.entities] == [
        ("person", "أنتوني بلينكن"),
        ("organization", "الأمم المتحدة"),
        ("country", "أذربيجان"),
        ("country", "قطر"),
        ("country", "اليمن"),
        ("place", "الدوحة"),
        ("topic", "الإرهاب"),
    ]


def test_slugs_keep_arabic_letters() -> None:
    tagged, _ = tag_article(article("الولايات المتحدة"), taxonomy())
    assert tagged.entities == (EntityRef("country", "الولايات-المتحدة", "الولايات المتحدة"),)


# --- first-mention links -------------------------------------------------------------

_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)(\{ \.tag-mention \})?")


def linked(body: str) -> str:
    tagged, _ = tag_article(article(body), taxonomy())
    return link_first_mentions(tagged, href)


def test_links_skip_headings_existing_links_code_html_and_urls() -> None:
    body = fixture("links_and_headings.md")
    out = linked(body)
    lines = out.splitlines()
    assert lines[0] == "## قطر في المشهد"
    assert lines[-1] == "### فرنسا"
    assert "[قطر](https://example.org/qatar) ثم وصل إلى [قطر](../tags/country/قطر.md){ .tag-mention } يوم" in out
    assert "وقطر تستضيف `قطر`" in out  # only the first mention is linked
    assert "و [فرنسا](../tags/country/فرنسا.md){ .tag-mention } مرة" in out
    assert "https://example.org/قطر/فرنسا" in out


def test_link_text_is_the_text_as_written() -> None:
    body = "رحّبت الأُمَم المُتَّحِدَة بالاتفاق، ولـقـطـر دور."
    out = linked(body)
    assert "[الأُمَم المُتَّحِدَة](../tags/organization/الأمم-المتحدة.md){ .tag-mention }" in out
    assert "[ولـقـطـر](../tags/country/قطر.md){ .tag-mention }" in out


def test_a_link_target_with_spaces_is_wrapped() -> None:
    tagged, _ = tag_article(article("قطر"), taxonomy())
    out = link_first_mentions(tagged, lambda ref: "tags/a b.md")
    assert out == "[قطر](<tags/a b.md>){ .tag-mention }"


# --- properties --------------------------------------------------------------------------

_WORDS = [
    "قطر",
    "وفرنسا",
    "الأمم",
    "المتحدة",
    "مجلس",
    "التعاون",
    "الخليجي",
    "واشنطن",
    "القطري",
    "قطرات",
    "الشيخ",
    "تميم",
    "بن",
    "حمد",
    "آل",
    "ثاني",
    "السويدي",
    "سيف",
    "و",
    "في",
    "عمّان",
    "الهجرة",
    "[رابط](https://x.org)",
    "`قطر`",
    "\n\n## عنوان\n\n",
    "\n\n",
    "،",
    ".",
]
_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0652\u0640"
texts = st.lists(st.sampled_from(_WORDS), max_size=25).map(" ".join)


def _decorate(text: str, marks: list[str]) -> str:
    """Add harakat or tatweel after Arabic letters (never after a shadda-bearing one)."""
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        if "\u0621" <= ch <= "\u064a" and marks and i + 1 < len(text) and text[i + 1] != "\u0651":
            out.append(marks[i % len(marks)])
    return "".join(out)


@settings(max_examples=150, deadline=None)
@given(texts, st.lists(st.sampled_from(_MARKS), max_size=3))
def test_diacritics_and_tatweel_do_not_change_the_tags(text: str, marks: list[str]) -> None:
    plain, _ = tag_article(article(text), taxonomy())
    decorated, _ = tag_article(article(_decorate(text, marks)), taxonomy())
    assert plain.entities == decorated.entities


@settings(max_examples=150, deadline=None)
@given(texts)
def test_linking_only_adds_links_at_most_one_per_entity(text: str) -> None:
    tagged, _ = tag_article(article(text), taxonomy())
    out = link_first_mentions(tagged, href)
    added = [m for m in _LINK.finditer(out) if m.group(2).startswith("../tags/")]
    # Removing the added links gives the text back, character for character.
    assert _LINK.sub(lambda m: m.group(1) if m.group(2).startswith("../tags/") else m.group(0), out) == text
    assert all(m.group(3) for m in added)
    targets = [m.group(2) for m in added]
    assert len(targets) == len(set(targets))
    assert set(targets) <= {href(e) for e in tagged.entities}
    for line in out.splitlines():
        if line.lstrip().startswith("#"):
            assert "../tags/" not in line
    # Never a link inside a link.
    assert not re.search(r"\[[^\]]*\[", out.replace("\\[", ""))


@settings(max_examples=100, deadline=None)
@given(texts)
def test_tagging_is_deterministic(text: str) -> None:
    first, _ = tag_article(article(text), taxonomy())
    second, _ = tag_article(article(text), second_taxonomy())
    assert first == second


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "١٢٣", "abc"])
def test_texts_without_arabic_names_give_no_entities(text: str) -> None:
    assert names(text) == set()
