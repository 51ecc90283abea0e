"""The reference article (../shared/reference) gets the tags the issue lists, and
nothing its text does not mention."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.model import Article
from builder.tagging.matching import tag_article
from builder.taxonomy import load_taxonomy

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
REFERENCE = SHARED / "reference" / "000_09eac59f0622c205.txt"

# From the issue, as written there (مجلس التعاون is the short form of the GCC's name).
REQUIRED = [
    "قطر",
    "فرنسا",
    "الولايات المتحدة",
    "السودان",
    "ليبيا",
    "سوريا",
    "أفغانستان",
    "فلسطين",
    "اليمن",
    "روسيا",
    "أوكرانيا",
    "الأمم المتحدة",
    "مجلس التعاون",
    "محمد بن عبد الرحمن آل ثاني",
    "أنتوني بلينكن",
]

# Everything the text mentions, read by hand: the required tags, the other people and
# bodies it names, the cities, the countries those capitals stand in for, and topics.
MENTIONED = {
    *(f"country:{n}" for n in REQUIRED[:11]),
    "country:السعودية",  # الرياض
    "country:بلجيكا",  # بروكسل
    "country:النمسا",  # فيينا
    "organization:الأمم المتحدة",
    "organization:مجلس التعاون لدول الخليج العربية",
    "organization:مكتب الأمم المتحدة المعني بالمخدرات والجريمة",
    "organization:مركز الأمم المتحدة الإقليمي لمكافحة الجريمة السيبرانية",
    "person:محمد بن عبد الرحمن آل ثاني",
    "person:أنتوني بلينكن",
    "person:إبراهيم الهاشمي",
    "person:أحمد الحمادي",
    "person:سلطان المريخي",
    "place:واشنطن",
    "place:باريس",
    "place:الرياض",
    "place:الدوحة",
    "place:بروكسل",
    "place:فيينا",
    "place:القرن الأفريقي",
    "place:منطقة الخليج",  # الاجتماع الخليجي
    "topic:الحوار الاستراتيجي",
    "topic:الأمن السيبراني",  # الجريمة السيبرانية
    "topic:الدبلوماسية",  # الدبلوماسية متعددة الأطراف
    "topic:الإحاطة الأسبوعية",  # خلال الإحاطة الأسبوعية
}


pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def tags() -> set[str]:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is absent: the shared corpora live next to the repository (../shared)")
    title, _, body = REFERENCE.read_text(encoding="utf-8").partition("\n")
    article = Article(source_path="reference.txt", slug="reference", title=title.strip(), body=body, summary="")
    tagged, problems = tag_article(article, load_taxonomy())
    assert problems == ()
    return {f"{e.type}:{e.name}" for e in tagged.entities}


@pytest.mark.parametrize("name", REQUIRED)
def test_the_reference_article_has_the_required_tag(tags: set[str], name: str) -> None:
    entity = load_taxonomy().by_name(name)
    assert entity is not None, f"{name} is not in the taxonomy"
    assert f"{entity.type}:{entity.name}" in tags


def test_the_reference_article_has_no_tag_its_text_does_not_mention(tags: set[str]) -> None:
    assert tags - MENTIONED == set()


def test_the_reference_people_are_people(tags: set[str]) -> None:
    people = {t for t in tags if t.startswith("person:")}
    assert people == {
        "person:محمد بن عبد الرحمن آل ثاني",
        "person:أنتوني بلينكن",
        "person:إبراهيم الهاشمي",
        "person:أحمد الحمادي",
        "person:سلطان المريخي",
    }
