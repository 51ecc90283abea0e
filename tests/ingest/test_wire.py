"""News-wire conventions (builder.wire): datelines, trailers, desk titles, the outlet table."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.errors import ConfigError
from builder.wire import (
    Outlets,
    WireTitle,
    default_outlets,
    outlet_key,
    parse_dateline,
    parse_outlets,
    split_title,
    strip_trailers,
    with_extra,
)

from .conftest import corpus

SPA = "الرياض 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس"
AUG_10 = dt.date(2015, 8, 10)
# What may stand between a dateline and the rest: its separators.
_SEPARATORS = re.compile(r"[\s\-–—‒―ـ:]*")


def reconstructs(paragraph: str) -> bool:
    """``text`` + separators + ``rest`` is the paragraph, nothing added or lost."""
    found = parse_dateline(paragraph)
    assert found is not None
    whole = paragraph.strip()
    middle = whole[len(found.text) : len(whole) - len(found.rest)]
    return whole.startswith(found.text) and whole.endswith(found.rest) and bool(_SEPARATORS.fullmatch(middle))


# ---------------------------------------------------------------- datelines


def test_spa_dateline_alone_in_the_first_paragraph() -> None:
    found = parse_dateline(SPA)
    assert found is not None
    assert (found.text, found.place, found.agency, found.rest) == (SPA, "الرياض", "واس", "")
    assert found.date is not None and found.date.date == AUG_10 and found.date.warning is None


def test_spa_dateline_followed_by_text_on_the_same_line() -> None:
    found = parse_dateline(SPA + " أعلنت وزارة الصحة اليوم عن خطة جديدة.")
    assert found is not None
    assert (found.text, found.agency, found.rest) == (SPA, "واس", "أعلنت وزارة الصحة اليوم عن خطة جديدة.")


@pytest.mark.parametrize(
    ("paragraph", "place", "calendar", "rest"),
    [
        ("الرياض 10 أغسطس 2015 م واس - أعلنت الوزارة", "الرياض", "gregorian", "أعلنت الوزارة"),
        ("مكة المكرمة 25 شوال 1436 هـ واس: وصل الحجاج", "مكة المكرمة", "hijri", "وصل الحجاج"),
        ("جدة 25 شوال 1436هـ الموافق 10 أغسطس 2015م واس", "جدة", "gregorian", ""),
    ],
)
def test_dated_dateline_with_one_or_both_calendars(paragraph: str, place: str, calendar: str, rest: str) -> None:
    found = parse_dateline(paragraph)
    assert found is not None and found.date is not None
    assert (found.place, found.agency, found.date.date, found.date.calendar, found.rest) == (
        place,
        "واس",
        AUG_10,
        calendar,
        rest,
    )


def test_arabic_indic_digits_in_the_date() -> None:
    found = parse_dateline("الرياض ٢٥ شوال ١٤٣٦ هـ الموافق ١٠ أغسطس ٢٠١٥ م واس")
    assert found is not None and found.date is not None and found.date.date == AUG_10


def test_hijri_and_gregorian_disagreeing_keep_the_warning() -> None:
    found = parse_dateline("الرياض 25 شوال 1436 هـ الموافق 20 أغسطس 2015 م واس")
    assert found is not None and found.date is not None
    assert found.date.date == dt.date(2015, 8, 20) and found.date.warning and "disagrees" in found.date.warning


@pytest.mark.parametrize(
    ("paragraph", "text", "place", "agency", "rest"),
    [
        ("عين اليوم – جدة", "عين اليوم – جدة", "جدة", "عين اليوم", ""),  # the outlet comes first
        ("عين اليوم – جدة\nأعلنت أمانة جدة", "عين اليوم – جدة", "جدة", "عين اليوم", "أعلنت أمانة جدة"),
        ("الرياض - واس", "الرياض - واس", "الرياض", "واس", ""),  # الرياض the city, not the newspaper
        ("لندن - د. ب. أ: قال مسؤول بريطاني", "لندن - د. ب. أ", "لندن", "د. ب. أ", "قال مسؤول بريطاني"),
        ("بيروت - (أ ف ب): أعلن الجيش", "بيروت - (أ ف ب)", "بيروت", "أ ف ب", "أعلن الجيش"),
        ("طوكيو - رويترز - قالت وسائل الإعلام", "طوكيو - رويترز", "طوكيو", "رويترز", "قالت وسائل الإعلام"),
        ("مدريد ـ د ب أ: بدأت", "مدريد ـ د ب أ", "مدريد", "د ب أ", "بدأت"),  # a free-standing tatweel as dash
        ("عواصم - وكالات: ارتفع النفط", "عواصم - وكالات", "عواصم", "وكالات", "ارتفع النفط"),  # unknown, ends at «:»
        ("استنبول - قنا - أ ف ب: أوقفت الشرطة", "استنبول - قنا - أ ف ب", "استنبول", "قنا", "أوقفت الشرطة"),
        ("لندن ـ «القدس العربي»: قال", "لندن ـ «القدس العربي»", "لندن", "القدس العربي", "قال"),
    ],
)
def test_dashed_datelines(paragraph: str, text: str, place: str, agency: str, rest: str) -> None:
    found = parse_dateline(paragraph)
    assert found is not None
    assert (found.text, found.place, found.agency, found.date, found.rest) == (text, place, agency, None, rest)
    assert reconstructs(paragraph)


@pytest.mark.parametrize(
    ("paragraph", "text", "place", "agency"),
    [
        ("القاهرة (رويترز) - قال مسؤول", "القاهرة (رويترز)", "القاهرة", "رويترز"),
        ("واشنطن (CNN)-- قال مسؤول", "واشنطن (CNN)", "واشنطن", "CNN"),
        ("نيويورك (CNN)— قال مسؤول", "نيويورك (CNN)", "نيويورك", "CNN"),
        (
            "أتلانتا، الولايات المتحدة الأمريكية (CNN)-- جمّدت البلدية خطة",
            "أتلانتا، الولايات المتحدة الأمريكية (CNN)",
            "أتلانتا",
            "CNN",
        ),
        ("دبي، الإمارات العربية المتحدة (CNN) – قال مسؤول", "دبي، الإمارات العربية المتحدة (CNN)", "دبي", "CNN"),
        ("تونس ( CNN ) - - أقال مجلس الإدارة", "تونس ( CNN )", "تونس", "CNN"),
        ("بالم سبرينجز (كاليفورنيا) (د ب أ) - أعلن", "بالم سبرينجز (كاليفورنيا) (د ب أ)", "بالم سبرينجز", "د ب أ"),
        ("ساو باولو (البرازيل) - أ ف ب: فاز", "ساو باولو (البرازيل) - أ ف ب", "ساو باولو", "أ ف ب"),
        ("(CNN)-- قال مسؤول", "(CNN)", None, "CNN"),  # no place: the agency must be known
    ],
)
def test_parenthesised_agency_then_dash(paragraph: str, text: str, place: str | None, agency: str) -> None:
    found = parse_dateline(paragraph)
    assert found is not None
    assert (found.text, found.place, found.agency) == (text, place, agency)
    assert found.rest.startswith(("قال", "جمّدت", "أقال", "أعلن", "فاز"))
    assert reconstructs(paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        "قال وزير الخارجية - في مؤتمر صحفي - إن بلاده ترفض القرار",
        "أعلنت وزارة الصحة (السعودية) - أمس - عن حالات جديدة",
        "وقال المتحدث (رويترز) - في بيان - إن",
        "كرة القدم - بالصور: الأجواء في موسكو",  # a section label, not an agency
        "ليل (فرنسا) - ميلان (إيطاليا) صفر - صفر",  # a match result
        "سؤال - ما هو الحل؟",
        "متابعة - صلاح عبدالغني: يبدو أن",  # a byline label is no place
        "Covid-19 ينتشر في العالم",  # a hyphen inside a word
        "في 10 أغسطس 2015 أعلنت الوزارة",  # a date without a place
        "الرئيس (يمين) يصافح نظيره",  # a photo caption
        "فلان (رويترز) يتحدث إلى الصحفيين",  # caption credit: no dash after the agency
        "دبي (CNN) قال مسؤول",
        "الرياض واس أعلنت",  # no date, no dash
        "أعلن اليوم في الرياض - واس",  # a dateline shape not at the start
        "(يمين)-- وزير",  # unknown outlet without a place
        "",
        "   ",
    ],
)
def test_ordinary_first_sentences_are_no_datelines(paragraph: str) -> None:
    assert parse_dateline(paragraph) is None


def test_the_sites_outlet_table_decides_outlet_first_datelines() -> None:
    # سبق is an everyday verb, so it is not built in; a site that publishes Sabq adds it.
    assert parse_dateline("سبق – الرياض") == parse_dateline("سبق – الرياض", outlets=default_outlets())
    sabq = with_extra(default_outlets(), {"سبق": "صحيفة سبق"})
    found = parse_dateline("سبق – الرياض", outlets=sabq)
    assert found is not None and (found.place, found.agency) == ("الرياض", "سبق")


# ---------------------------------------------------------------- trailers


def test_spa_trailers_in_order() -> None:
    body = ["الفقرة الأولى.", "وأكد أن العمل مستمر (واس)", "// انتهى //", "13:53 ت م"]
    assert strip_trailers(body) == (
        ["الفقرة الأولى.", "وأكد أن العمل مستمر"],
        ["(واس)", "// انتهى //", "13:53 ت م"],
    )


@pytest.mark.parametrize(
    "trailer",
    ["// انتهى //", "//انتهى//", "/انتهى/", "انتهى", "-انتهى-", "13:53 ت م", "١٣:٥٣ ت م", "13:53 ت  م", "08:05 ت غ"],
)
def test_each_trailer_alone_on_the_last_line(trailer: str) -> None:
    assert strip_trailers(["نص الخبر.", trailer]) == (["نص الخبر."], [trailer])
    assert strip_trailers([f"نص الخبر.\n{trailer}"]) == (["نص الخبر."], [trailer])


@pytest.mark.parametrize(
    ("body", "kept", "removed"),
    [
        (["نص.", "13:53 ت م", "// انتهى //"], ["نص."], ["13:53 ت م", "// انتهى //"]),
        (["نص. //انتهى// ١٣:٥٣ ت م"], ["نص."], ["//انتهى//", "١٣:٥٣ ت م"]),
        (["نص (رويترز)"], ["نص"], ["(رويترز)"]),
        (["نص الخبر. واس"], ["نص الخبر."], ["واس"]),
        (["نص الخبر. د. ب. أ"], ["نص الخبر."], ["د. ب. أ"]),
        (["نص الخبر.", "واس", "", "  "], ["نص الخبر."], ["واس"]),
        (["(واس)", "// انتهى //"], [], ["(واس)", "// انتهى //"]),
    ],
)
def test_trailers_in_several_combinations(body: list[str], kept: list[str], removed: list[str]) -> None:
    assert strip_trailers(body) == (kept, removed)


@pytest.mark.parametrize(
    "body",
    [
        ["وانتهى الاجتماع بعد ساعتين من النقاش"],
        ["قال الوزير إن زمن الحرب انتهى"],
        ["انتهى الاجتماع.", "وقال الوزير إن العمل مستمر."],  # انتهى only starts a sentence
        ["// انتهى //", "الفقرة الأخيرة."],  # a trailer not at the end stays
        ["قال في تصريح لوكالة (واس)"],  # the outlet is part of the sentence
        ["قال في تصريح لـ(CNN)"],
        ["في العاشر من أغسطس (آب)"],  # a month, not «أ ب»
        ['بحسب وكالة "رويترز".'],
        ["يبدأ الحفل الساعة 20:00 ت م"],  # a time in a sentence
    ],
)
def test_text_that_only_looks_like_a_trailer_stays(body: list[str]) -> None:
    assert strip_trailers(body) == (body, [])


# ---------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("title", "clean", "desk", "continuation"),
    [
        ("سياسي / خادم الحرمين الشريفين يستقبل الوزير", "خادم الحرمين الشريفين يستقبل الوزير", "سياسي", None),
        ("عام / أمير الرياض يدشن مشروعا / إضافة أولى", "أمير الرياض يدشن مشروعا", "عام", "إضافة أولى"),
        ("رياضي/ الهلال يفوز على النصر إضافة ثانية واخيرة", "الهلال يفوز على النصر", "رياضي", "إضافة ثانية واخيرة"),
        ("اقتصادي / ارتفاع المؤشر (إضافة ثانية وأخيرة)", "ارتفاع المؤشر", "اقتصادي", "إضافة ثانية وأخيرة"),
        ("امني / ضبط مخالفين - إضافة أخيرة", "ضبط مخالفين", "امني", "إضافة أخيرة"),
        ("منوعات / مهرجان الربيع - تغطية مستمرة", "مهرجان الربيع", "منوعات", "تغطية مستمرة"),
        ("الملك يفتتح المعرض / اضافة ثالثة", "الملك يفتتح المعرض", None, "اضافة ثالثة"),
        ("عربي ودولي / قمة في الدوحة", "قمة في الدوحة", "عربي ودولي", None),
    ],
)
def test_desk_prefix_and_continuation_suffix(
    title: str, clean: str, desk: str | None, continuation: str | None
) -> None:
    found = split_title(title)
    assert (found.title, found.desk, found.continuation) == (clean, desk, continuation)


@pytest.mark.parametrize(
    "title",
    [
        "ماذا / لماذا تراجعت الأسعار",  # not a desk word
        "الرياض / جدة: رحلات إضافية",
        "24/7 خدمة جديدة",
        "الفريق يحقق إضافة أولى للدوري",  # not at the end
        "تغطية مستمرة",  # nothing would be left
        "(فيديو) الأمير يزور المعرض",
    ],
)
def test_titles_that_stay_whole(title: str) -> None:
    assert split_title(title) == WireTitle(title, None, None)


# ---------------------------------------------------------------- outlets


@pytest.mark.parametrize("spelling", ["د. ب. أ", "د.ب.أ", "(د ب أ)", "د ب ا", "DPA", "dpa"])
def test_outlet_keys_fold_dots_spaces_parentheses_and_case(spelling: str) -> None:
    assert default_outlets().display(spelling) == "الوكالة الألمانية (د ب أ)"


@pytest.mark.parametrize("spelling", ["was", "WAS", "واس", "(واس)", "SPA"])
def test_spa_identifiers(spelling: str) -> None:
    outlets = default_outlets()
    assert outlets.knows(spelling) and outlets.display(spelling) == "وكالة الأنباء السعودية"


def test_unknown_outlets_and_city_newspapers() -> None:
    outlets = default_outlets()
    assert outlets.display("صحيفة المستقبل") == "صحيفة المستقبل" and not outlets.knows("صحيفة المستقبل")
    for word in ("الرياض", "المدينة", "اليوم", "الوطن", "مكة", "سبق", "الجزيرة", ""):
        assert not outlets.knows(word), word
    assert outlet_key("أ ف ب") == outlet_key("أ.ف.ب") == outlet_key("(ا ف ب)")
    assert default_outlets() is default_outlets()  # read once


def test_built_in_identifiers_are_no_cities_except_the_documented_ones() -> None:
    places = Path(__file__).resolve().parents[2] / "builder" / "data" / "entities" / "places.tsv"
    lines = places.read_text(encoding="utf-8").splitlines()
    cities = {outlet_key(line.split("\t")[0]) for line in lines if line and not line.startswith("#")}
    # قنا (Qena) is documented in outlets.yml; بترا (Petra) and كونا (Kona, Hawaii) never open an Arabic dateline.
    assert {key for key in default_outlets().names if key in cities} <= {"قنا", "بترا", "كونا"}


def test_a_sites_table_extends_and_overrides() -> None:
    site = parse_outlets({"was": "واس", "صحيفة المستقبل": "المستقبل"}, "site.yml")
    merged = with_extra(default_outlets(), site.names)
    assert merged.display("WAS") == "واس" and merged.display("صحيفة المستقبل") == "المستقبل"
    assert merged.display("رويترز") == "رويترز" and merged.display("KUNA") == "وكالة الأنباء الكويتية"
    assert default_outlets().display("was") == "وكالة الأنباء السعودية"  # the built-in table is untouched


def test_config_error_lists_every_problem_naming_the_origin() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_outlets({"...": "x", "ok": "", 5: "y", "was": "أ", "WAS": "ب", "fine": "جيد"}, "site-outlets.yml")
    lines = str(raised.value).splitlines()
    assert len(lines) == 4 and all(line.startswith("site-outlets.yml: ") for line in lines)
    message = str(raised.value)
    assert "'...' has no letters" in message and "'ok' must name an outlet" in message
    assert "5 must be text" in message and "'was' and 'WAS' are the same identifier" in message


def test_outlet_table_shapes() -> None:
    assert parse_outlets(None, "empty.yml") == Outlets()
    with pytest.raises(ConfigError, match=r"^list\.yml: expected a mapping"):
        parse_outlets(["was"], "list.yml")
    assert parse_outlets({"was": "A", "W.A.S": "A"}, "same.yml").display("w a s") == "A"  # same name: no conflict


# ---------------------------------------------------------------- properties

PLACES = st.sampled_from(["الرياض", "مكة المكرمة", "دبي، الإمارات العربية المتحدة", "لندن", "عين اليوم", "قال"])
DATES = st.sampled_from(["", "25 شوال 1436 هـ", "10 أغسطس 2015 م", "25 شوال 1436 هـ الموافق 10 أغسطس 2015 م"])
AGENCIES = st.sampled_from(["واس", "(CNN)", "(رويترز)", "د. ب. أ", "جدة", "وكالات", ""])
SEPARATORS = st.sampled_from(["", " - ", " – ", "—", "-- ", ": ", " ـ ", " "])
WORDS = st.text(alphabet=st.sampled_from(list("ابتجدرسعفقلمنهوي ()-:،.")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(place=PLACES, date=DATES, agency=AGENCIES, first=SEPARATORS, second=SEPARATORS, rest=WORDS)
def test_dateline_text_and_rest_rebuild_the_paragraph(
    place: str, date: str, agency: str, first: str, second: str, rest: str
) -> None:
    paragraph = " ".join(p for p in (place, date) if p) + first + agency + second + rest
    found = parse_dateline(paragraph)
    if found is not None:
        assert reconstructs(paragraph)
        assert found.place is None or found.place in paragraph
        assert found.place is None or len(found.place.split()) <= 3


TEXT = st.text(alphabet=st.sampled_from(list("ابتجدرسعفقلمنهوي ،.")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(place=st.sampled_from(["دبي، الإمارات العربية المتحدة", "القاهرة", "مكة المكرمة", ""]), rest=TEXT)
def test_a_known_agency_in_parentheses_ends_the_dateline_whatever_follows(place: str, rest: str) -> None:
    head = f"{place} (CNN)".strip()
    found = parse_dateline(f"{head}-- {rest}")
    assert found is not None and (found.text, found.agency, found.rest) == (head, "CNN", rest.strip())


TRAILERS = st.sampled_from(["// انتهى //", "انتهى", "13:53 ت م", "(واس)", "واس", "نص. (رويترز)", "/انتهى/", ""])
BODY = st.text(alphabet=st.sampled_from(list("ابتجدرسعفقلمنهوي انتهى()/:.13 ")), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(BODY, TRAILERS), max_size=6))
def test_strip_trailers_only_cuts_the_end_and_invents_nothing(paragraphs: list[str]) -> None:
    kept, removed = strip_trailers(paragraphs)
    n = len(kept)
    if n:
        assert kept[:-1] == paragraphs[: n - 1]  # untouched up to the last kept paragraph
        assert paragraphs[n - 1].startswith(kept[-1])
    squeeze = re.compile(r"\s+")
    assert squeeze.sub("", "".join(kept) + "".join(removed)) == squeeze.sub("", "".join(paragraphs))
    assert all(piece.strip() for piece in removed)


# ---------------------------------------------------------------- the shared corpora

CNN_FIRST = {
    "CN-middleEast-127-20180227.txt": ("أتلانتا", "أتلانتا، الولايات المتحدة الأمريكية (CNN)", "جمّدت إسرائيل"),
    "CN-middleEast-1136-20180607.txt": ("دبي", "دبي، الإمارات العربية المتحدة (CNN)", "قال أنور قرقاش"),
}
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)


def first_paragraphs(folder: Path) -> dict[Path, str]:
    found = {}
    for path in sorted(folder.rglob("*.txt")):
        body = _TEXT.search(path.read_text(encoding="utf-8", errors="replace"))
        lines = [line.strip() for line in body.group(1).splitlines() if line.strip()] if body else []
        if lines:
            found[path] = lines[0]
    return found


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(CNN_FIRST))
def test_real_cnn_datelines(name: str) -> None:
    place, text, opening = CNN_FIRST[name]
    folder = corpus("ant-multisource") / "CNN" / "middleEast"
    found = parse_dateline(first_paragraphs(folder)[folder / name])
    assert found is not None
    assert (found.place, found.agency, found.text) == (place, "CNN", text) and found.rest.startswith(opening)


@pytest.mark.corpus
def test_first_paragraphs_of_the_shared_corpora() -> None:
    """Datelines are only where CNN writes «… (CNN)» and a dash; no source has a false one."""
    for source in ("ant-multisource", "ant-jawharafm"):
        for path, paragraph in first_paragraphs(corpus(source)).items():
            found = parse_dateline(paragraph)
            expected = bool(re.match(r"^[^()]{0,60}\(CNN\)\s*[-–—]", paragraph))
            assert (found is not None) == expected, (path.name, paragraph[:80])
            if found is not None:
                assert found.agency == "CNN" and (found.place is None or len(found.place.split()) <= 4)
                assert not found.rest.startswith(tuple("-–—:"))  # the whole separator went
