"""Entity discovery: pass one (candidates of one article) and pass two (the archive).

The sentences are written for these tests (no corpus text); names are made up or
chosen to be absent from the shipped taxonomy, so that only discovery can find them.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.errors import ConfigError
from builder.model import Article
from builder.tagging.archive import Discovery, apply_discovery, describe, discover_entities
from builder.tagging.discovery import discover_in
from builder.tagging.lexicon import lexicon
from builder.tagging.matching import tag_article
from builder.taxonomy import Editorial, load_taxonomy

TAXONOMY = load_taxonomy()


def candidates(text: str) -> set[tuple[str, str, str]]:
    """(type, name as written, evidence) of one text."""
    return {(c.type, c.text, c.evidence) for c in discover_in("", "", text, TAXONOMY).candidates}


def archive(texts: dict[str, str], editorial: Editorial | None = None) -> Discovery:
    found = [(path, discover_in("", "", text, TAXONOMY)) for path, text in texts.items()]
    return discover_entities(found, TAXONOMY, editorial)


def tags_of(discovery: Discovery, path: str) -> set[tuple[str, str]]:
    return {(ref.type, ref.name) for ref in discovery.tags.get(path, ())}


# -- pass one ---------------------------------------------------------------------------


def test_a_title_is_context_never_part_of_the_name() -> None:
    found = discover_in("", "", "وقال المبعوث الأممي أوراسيو كوستاماغنا إن المحادثات مستمرة.", TAXONOMY)
    (person,) = found.candidates
    assert (person.type, person.text, person.evidence) == ("person", "أوراسيو كوستاماغنا", "title")
    assert person.role == "المبعوث الأممي"


def test_a_role_phrase_before_a_name_is_kept_as_its_role() -> None:
    found = discover_in("", "", "وأكد وزير الخارجية الأرجنتيني أوراسيو كوستاماغنا أن الاتفاق قريب.", TAXONOMY)
    (person,) = found.candidates
    assert person.text == "أوراسيو كوستاماغنا"
    assert person.role == "وزير الخارجية الأرجنتيني"


@pytest.mark.parametrize(
    "text, name",
    [
        ("واستقبل الأمير فهد بن مشعل بن عبدالعزيز الوفد.", "فهد بن مشعل بن عبدالعزيز"),
        ("وحضر الاجتماع تركي آل الشيخ ووزراء آخرون.", "تركي آل الشيخ"),
        ("وصرح عبد الكريم الهادفي للصحفيين بأن الموسم ناجح.", "عبد الكريم الهادفي"),
        ("وقال نور الدين البحراوي إن المشروع اكتمل.", "نور الدين البحراوي"),
    ],
)
def test_arabic_name_structure(text: str, name: str) -> None:
    assert name in {written for type_, written, _ in candidates(text) if type_ == "person"}


def test_a_proclitic_is_not_part_of_the_name() -> None:
    names = {written for type_, written, _ in candidates("التقى الوزير بكريم الزهراني وبفهد بن مشعل.")}
    assert "كريم الزهراني" in names
    assert "فهد بن مشعل" in names


def test_function_words_verbs_and_pronoun_endings_end_a_name() -> None:
    names = {written for _, written, _ in candidates("وأكد كريم الزهراني أن الشركة ستتوسع على مراحل.")}
    assert names == {"كريم الزهراني"}
    # «على» normalises like the name «علي»; «إلى» like «إلي».
    assert not candidates("مشيرة إلى أن الاتفاق يعتمد على الطرفين.")


@pytest.mark.parametrize(
    "text, name",
    [
        ("أعلنت وزارة الصحة الأردنية عن حملة جديدة.", "وزارة الصحة الأردنية"),
        ("وقع الاتفاق مع شركة أرامكو أمس.", "شركة أرامكو"),
        ("نظمت الهيئة العامة للرياضة بطولة للشباب.", "الهيئة العامة للرياضة"),
        ("وتخرج في جامعة الملك سعود عام 2010.", "جامعة الملك سعود"),
    ],
)
def test_organisations_from_their_head_noun(text: str, name: str) -> None:
    found = candidates(text)
    assert ("organization", name, "head") in found
    assert not any(type_ == "person" for type_, _, _ in found), "a name inside an organisation's name is no person"


def test_a_head_noun_alone_or_with_an_indefinite_adjective_is_no_name() -> None:
    assert not candidates("وقالت الوزارة إن مجموعة كبيرة من المواطنين حضرت.")


def test_a_body_named_by_one_word_is_also_known_by_that_word() -> None:
    (org,) = discover_in("", "", "وأعلن حزب النهضة موافقته على المقترح.", TAXONOMY).candidates
    assert (org.text, org.alias) == ("حزب النهضة", "النهضه")


def test_places_from_geonames_and_from_their_head_noun() -> None:
    found = candidates("وصل الوفد إلى صفاقس ثم زار ولاية نابل ومطار قرطاج الدولي.")
    assert ("place", "صفاقس", "gazetteer") in found
    assert ("place", "نابل", "head") in found  # the administrative head is dropped
    assert ("place", "مطار قرطاج الدولي", "head") in found  # a landmark keeps its head


def test_an_everyday_word_that_is_also_a_city_is_no_place() -> None:
    assert lexicon().places.get("بيان") is not None, "precondition: GeoNames has a city «بيان»"
    assert not candidates("وأصدرت الحكومة بيان اليوم.")


def test_a_city_in_a_sports_story_is_its_club() -> None:
    text = "فاز ليفربول على منافسه في مباراة الدوري أمس، وسجل اللاعب هدفا في الملعب."
    assert ("organization", "ليفربول", "gazetteer") in candidates(text)


def test_a_named_club_keeps_its_other_words_in_a_sports_story() -> None:
    text = "تغلب ريال مدريد على منافسه في مباراة الدوري، وسجل اللاعب هدفا، ثم فاز مانشستر سيتي في الملعب نفسه."
    clubs = {written for type_, written, _ in candidates(text) if type_ == "organization"}
    assert {"ريال مدريد", "مانشستر سيتي"} <= clubs


def test_a_ministry_named_by_two_nouns_joined_by_and_is_one_name() -> None:
    text = "وأعلنت وزارة البيئة والمياه والزراعة عن خطة، ورحب بها وزير الخارجية."
    assert ("organization", "وزارة البيئة والمياه والزراعة", "head") in candidates(text)
    # «و» + a role or another head noun starts something else
    text = "وحضر ممثلو وزارة الطاقة والسفير البريطاني."
    assert ("organization", "وزارة الطاقة", "head") in candidates(text)


def test_a_nationality_after_a_named_company_describes_it_but_names_a_ministry() -> None:
    found = candidates("وقالت شركة مايكروسوفت الأميركية إن وزارة العدل الأميركية طلبت البيانات.")
    assert ("organization", "شركة مايكروسوفت", "head") in found
    assert ("organization", "وزارة العدل الأميركية", "head") in found


@pytest.mark.parametrize(
    "text, name",
    [
        ("وقال لبي بي سي إن الخطة جاهزة.", "بي بي سي"),
        ("وذكرت شبكة سي إن إن أن الاجتماع انتهى.", "سي إن إن"),
        ("وتابع مكتب إف بي آي القضية.", "إف بي آي"),
        ("وقال مذيع راديو شمس إف إم إن البرنامج توقف.", "شمس إف إم"),
    ],
)
def test_letters_spelled_out_in_arabic_script_are_an_acronym(text: str, name: str) -> None:
    assert ("organization", name, "acronym") in candidates(text)


def test_a_latin_acronym_is_weak_evidence_and_a_dateline_credit_is_none() -> None:
    assert ("organization", "NASA", "latin") in candidates("وأعلنت NASA عن مهمة جديدة.")
    assert not candidates("دبي (CNN) -- أعلنت الشركة عن نتائجها.")


def test_two_towns_named_after_a_dual_head_are_places() -> None:
    places = {written for type_, written, _ in candidates("وصلت القافلة إلى بلدتي الفوعة وكفريا.") if type_ == "place"}
    assert "الفوعة" in places or "الفوعة وكفريا" in places
    assert not any(type_ == "person" for type_, _, _ in candidates("وصلت القافلة إلى بلدتي الفوعة وكفريا."))


# -- pass two ---------------------------------------------------------------------------


def test_variants_of_one_person_become_one_tag_under_the_most_complete_common_spelling() -> None:
    discovery = archive(
        {
            "a": "استقبل ولي العهد الأمير فهد بن مشعل بن عبدالعزيز الوفد.",
            "b": "وقال الأمير فهد بن مشعل إن العلاقات متينة.",
            "c": "وأكد ولي العهد الأمير فهد بن مشعل أهمية التعاون.",
            "d": "وقال فهد بن مشعل إن الزيارة ناجحة.",
        }
    )
    people = [e for e in discovery.entities if e.type == "person"]
    assert len(people) == 1
    (person,) = people
    assert person.name == "فهد بن مشعل"
    assert set(person.variants) == {"فهد بن مشعل", "فهد بن مشعل بن عبدالعزيز"}
    assert {path for path in "abcd" if ("person", "فهد بن مشعل") in tags_of(discovery, path)} == set("abcd")


def test_a_surname_alone_is_linked_when_one_person_of_the_archive_has_it() -> None:
    discovery = archive(
        {
            "a": "وقال الرئيس التنفيذي للشركة كريم الزهراني إن الأرباح ارتفعت.",
            "b": "وأضاف كريم الزهراني أن السوق واعدة.",
            "c": "وأكد الزهراني أن الشركة ستتوسع.",
        }
    )
    assert ("person", "كريم الزهراني") in tags_of(discovery, "c")


def test_a_shared_surname_is_not_linked() -> None:
    discovery = archive(
        {
            "a": "وقال المهندس كريم الزهراني إن المشروع اكتمل.",
            "b": "وقال الدكتور سامي الزهراني إن الدراسة انتهت.",
            "c": "وأكد الزهراني أن العمل مستمر.",
        }
    )
    assert not tags_of(discovery, "c")


def test_weak_evidence_in_one_article_gives_no_tag_until_a_second_article_names_it() -> None:
    weak = "التقى أوراسيو كوستاماغنا بالسفراء أمس."
    alone = archive({"a": weak})
    (entity,) = alone.entities
    assert not entity.tagged and entity.why == "one article, weak evidence"
    assert not tags_of(alone, "a")
    taught = archive({"a": weak, "b": "وقال المبعوث الأممي أوراسيو كوستاماغنا إن المحادثات مستمرة."})
    assert ("person", "أوراسيو كوستاماغنا") in tags_of(taught, "a"), "the archive taught the name to the older article"


def test_names_the_taxonomy_holds_are_left_to_it() -> None:
    discovery = archive({"a": "وقال وزير الخارجية الأمريكي أنتوني بلينكن إن المحادثات بناءة."})
    assert not discovery.entities


def test_amman_or_oman_from_context() -> None:
    texts = {
        "jordan": "قال وزير الخارجية الأردني إن العاصمة عمان تستضيف القمة.",
        "oman": "قال وزير خارجية سلطنة عمان إن مسقط تستضيف القمة.",
    }
    articles = [
        tag_article(Article(source_path=p, slug=p, title="", body=t, summary=""), TAXONOMY)[0] for p, t in texts.items()
    ]
    assert {e.type for e in articles[0].entities if e.slug == "عمان"} == {"country"}, "precondition: read as Oman"
    tagged = {a.source_path: a for a in apply_discovery(articles, archive(texts))}
    jordan = {(e.type, e.name) for e in tagged["jordan"].entities}
    assert ("place", "عمّان") in jordan and ("country", "عمان") not in jordan
    assert all(m.slug != "عمان" or m.type == "place" for m in tagged["jordan"].mentions)
    assert ("country", "عمان") in {(e.type, e.name) for e in tagged["oman"].entities}


def test_the_result_does_not_depend_on_the_order_of_the_articles() -> None:
    texts = {
        "a": "وقال الرئيس التنفيذي للشركة كريم الزهراني إن الأرباح ارتفعت.",
        "b": "وأضاف كريم الزهراني أن السوق واعدة في صفاقس.",
        "c": "وأكد الزهراني أن شركة أرامكو ستتوسع.",
        "d": "التقى أوراسيو كوستاماغنا بالسفراء أمس.",
    }
    found = [(path, discover_in("", "", text, TAXONOMY)) for path, text in texts.items()]
    expected = discover_entities(found, TAXONOMY)
    for seed in range(5):
        shuffled = found[:]
        random.Random(seed).shuffle(shuffled)
        assert discover_entities(shuffled, TAXONOMY) == expected


def test_a_tag_page_says_who_it_is() -> None:
    discovery = archive(
        {
            "a": "وقال وزير الخارجية الأرجنتيني أوراسيو كوستاماغنا إن الاتفاق قريب.",
            "b": "وأكد وزير الخارجية الأرجنتيني أوراسيو كوستاماغنا أن المحادثات مستمرة.",
        }
    )
    (entity,) = discovery.entities
    assert "وزير الخارجية الأرجنتيني" in describe(entity)
    assert discovery.descriptions()[("person", entity.slug)] == describe(entity)


# -- the editor ---------------------------------------------------------------------------


TEXTS = {
    "a": "وقال المهندس كريم الزهراني إن المشروع اكتمل.",
    "b": "التقى أوراسيو كوستاماغنا بالسفراء أمس.",
    "c": "وقال المهندس كريم عبدالله الزهراني إن العمل مستمر.",
}


def test_the_editor_blocks_promotes_renames_retypes_and_merges() -> None:
    plain = archive(TEXTS)
    names = {e.name: e for e in plain.entities}
    assert names["كريم الزهراني"].tagged and not names["أوراسيو كوستاماغنا"].tagged
    edited = archive(
        TEXTS,
        Editorial(
            block=frozenset({"كريم الزهراني"}),
            promote=frozenset({"أوراسيو كوستاماغنا"}),
            rename=(("أوراسيو كوستاماغنا", "هوراسيو كوستاماغنا"),),
            retype=(("أوراسيو كوستاماغنا", "organization"),),
            merge=(("كريم عبدالله الزهراني", "كريم الزهراني"),),
        ),
    )
    by_name = {e.name: e for e in edited.entities}
    assert "كريم الزهراني" not in by_name and "كريم عبدالله الزهراني" not in by_name, "blocked, variant merged into it"
    promoted = by_name["هوراسيو كوستاماغنا"]
    assert promoted.tagged and promoted.type == "organization" and promoted.why == "promoted by the editor"
    assert tags_of(edited, "b") == {("organization", "هوراسيو كوستاماغنا")}


def test_the_site_taxonomy_carries_the_editors_decisions(tmp_path: Path) -> None:
    site = tmp_path / "taxonomy.yml"
    site.write_text(
        "discovered:\n  block: [كريم الزهراني]\n  promote: [أوراسيو كوستاماغنا]\n"
        "  rename: {أوراسيو كوستاماغنا: هوراسيو كوستاماغنا}\n  retype: {أوراسيو كوستاماغنا: organization}\n",
        encoding="utf-8",
    )
    editorial = load_taxonomy(site).editorial
    assert editorial.block == frozenset({"كريم الزهراني"})
    assert editorial.retype == (("أوراسيو كوستاماغنا", "organization"),)


def test_every_mistake_in_the_editors_section_is_reported_at_once(tmp_path: Path) -> None:
    site = tmp_path / "taxonomy.yml"
    site.write_text("discovered:\n  block: نص\n  retype: {س: country}\n  typo: []\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_taxonomy(site)
    message = str(error.value)
    assert "'block' must be a list" in message and "'country' is not one of" in message and "'typo'" in message


# -- properties ---------------------------------------------------------------------------

_WORDS = ["قال", "الوزير", "كريم", "الزهراني", "وزارة", "الصحة", "في", "صفاقس", "بن", "عبد", "الله", "،", ".", "و"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=30))
def test_pass_one_never_fails_and_names_are_words_of_the_text(words: list[str]) -> None:
    text = " ".join(words)
    found = discover_in("", "", text, TAXONOMY)
    for candidate in found.candidates:
        assert candidate.text and all(word in text for word in candidate.text.split())
        assert candidate.key == " ".join(candidate.key.split())
