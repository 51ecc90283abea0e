"""Titles: site names removed, a repeated title shown once."""

from __future__ import annotations

import pytest

from builder.ingest.html import extract, strip_site_name
from builder.ingest.text import once


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        (
            "معارضون يسيطرون على مخازن للصواريخ بريف دمشق - CNNArabic.com",
            None,
            "معارضون يسيطرون على مخازن للصواريخ بريف دمشق",
        ),
        ("خبر عاجل | الصباح", "الصباح", "خبر عاجل"),
        ("العربية: ارتفاع أسعار النفط", "العربية", "ارتفاع أسعار النفط"),
        ("لواء الاسلام - جبهة النصرة", None, "لواء الاسلام - جبهة النصرة"),  # a dash inside a title stays
        ("عنوان بلا فاصل", "موقع", "عنوان بلا فاصل"),
    ],
)
def test_strip_site_name(title: str, site: str | None, expected: str) -> None:
    assert strip_site_name(title, site) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("قمة الرياض قمة الرياض", "قمة الرياض"),
        ("قمة الرياض  قمةُ الرياض", "قمة الرياض"),  # compared normalised
        ("من أجل من أجل", "من أجل"),
        ("قمة الرياض", "قمة الرياض"),
        ("نعم نعم لا", "نعم نعم لا"),
    ],
)
def test_repeated_title_once(title: str, expected: str) -> None:
    assert once(title) == expected


def test_title_from_h1_matching_the_page_title_not_the_logo() -> None:
    page = extract(
        "<html><head><title>انتخابات بلدية في تونس - موقع الأخبار</title></head><body>"
        "<h1>الأخبار</h1><div><h1>انتخابات بلدية في تونس</h1>"
        "<p>جرت اليوم الانتخابات البلدية في أجواء هادئة وسط إقبال متوسط من الناخبين.</p></div></body></html>"
    )
    assert page.title == "انتخابات بلدية في تونس"
    assert page.body == "جرت اليوم الانتخابات البلدية في أجواء هادئة وسط إقبال متوسط من الناخبين."


def test_time_element_gives_the_date() -> None:
    page = extract(
        "<html><body><h1>عنوان</h1><time datetime='2022-11-20T19:00:00+03:00'>20 نوفمبر</time>"
        "<p>نص المقال.</p></body></html>"
    )
    assert page.date is not None and page.date.iso() == "2022-11-20T19:00:00+03:00"
