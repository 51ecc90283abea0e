"""Every date form the issue lists, one case each, plus properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.dateparse import find_date, parse_date

UTC = dt.UTC


def tz(hours: int) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO 8601
        ("2017-01-25", dt.date(2017, 1, 25)),
        ("2017-01-25T14:36:00+01:00", dt.datetime(2017, 1, 25, 14, 36, tzinfo=tz(1))),
        ("2017-01-25T14:36:00Z", dt.datetime(2017, 1, 25, 14, 36, tzinfo=UTC)),
        ("2023-04-06 10:00", dt.datetime(2023, 4, 6, 10, 0)),
        # YYYY-MM-DDTHHMMSS (compact time, no offset: stays naive)
        ("2017-01-22T171800", dt.datetime(2017, 1, 22, 17, 18)),
        # RFC 822
        ("Mon, 19 Feb 2018 00:16:11 +0400", dt.datetime(2018, 2, 19, 0, 16, 11, tzinfo=tz(4))),
        ("Tue, 20 Feb 2018 01:44:01 GMT", dt.datetime(2018, 2, 20, 1, 44, 1, tzinfo=UTC)),
        # DD/MM/YYYY, day first
        ("29/09/2016", dt.date(2016, 9, 29)),
        ("05/02/2016", dt.date(2016, 2, 5)),
        ("2018/02/19", dt.date(2018, 2, 19)),
    ],
)
def test_machine_formats(text: str, expected: dt.date) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.value == expected
    if isinstance(expected, dt.datetime):
        assert isinstance(parsed.value, dt.datetime)
        assert parsed.value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Egyptian / Gulf
        ("5 يناير 2020", dt.date(2020, 1, 5)),
        ("١٠ فبراير ٢٠٢١", dt.date(2021, 2, 10)),
        ("3 إبريل 2019", dt.date(2019, 4, 3)),
        ("21 مايو 2018", dt.date(2018, 5, 21)),
        ("1 يونيه 2017", dt.date(2017, 6, 1)),
        ("9 أكتوبر 2016", dt.date(2016, 10, 9)),
        ("31 ديسمبر 2015", dt.date(2015, 12, 31)),
        # Levantine / Iraqi
        ("12 كانون الثاني 2015", dt.date(2015, 1, 12)),
        ("7 شباط 2014", dt.date(2014, 2, 7)),
        ("20 آذار 2013", dt.date(2013, 3, 20)),
        ("14 نيسان 2012", dt.date(2012, 4, 14)),
        ("2 أيار 2011", dt.date(2011, 5, 2)),
        ("30 حزيران 2010", dt.date(2010, 6, 30)),
        ("17 تموز 2009", dt.date(2009, 7, 17)),
        ("15 أيلول 2008", dt.date(2008, 9, 15)),
        ("5 تشرين الأول 2010", dt.date(2010, 10, 5)),
        ("11 تشرين الثاني 2010", dt.date(2010, 11, 11)),
        ("25 كانون الأول 2010", dt.date(2010, 12, 25)),
        # Maghrebi
        ("14 جانفي 2011", dt.date(2011, 1, 14)),
        ("8 فيفري 2019", dt.date(2019, 2, 8)),
        ("9 أفريل 2016", dt.date(2016, 4, 9)),
        ("1 ماي 2016", dt.date(2016, 5, 1)),
        ("6 جوان 2017", dt.date(2017, 6, 6)),
        ("25 جويلية 2017", dt.date(2017, 7, 25)),
        ("13 أوت 2016", dt.date(2016, 8, 13)),
        # combined forms, both orders, with and without hamza
        ("28 آب/اغسطس 2013", dt.date(2013, 8, 28)),
        ("28 أغسطس/آب 2013", dt.date(2013, 8, 28)),
        ("3 شباط (فبراير) 2019", dt.date(2019, 2, 3)),
        # day names and datelines in running text
        ("الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)", dt.date(2013, 8, 28)),
        ("الجمعة 8 فيفري 2019", dt.date(2019, 2, 8)),
        ("تونس - الخميس 3 جويلية 2014", dt.date(2014, 7, 3)),
        # Arabic-Indic and Extended Arabic-Indic digits
        ("الثلاثاء ٢٠ فبراير ٢٠١٨", dt.date(2018, 2, 20)),
        ("۲۰ فبراير ۲۰۱۸", dt.date(2018, 2, 20)),
        ("٢٩/٠٩/٢٠١٦", dt.date(2016, 9, 29)),
    ],
)
def test_arabic_gregorian(text: str, expected: dt.date) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.date == expected
    assert parsed.calendar == "gregorian"


def test_arabic_time_and_timezone_are_kept() -> None:
    parsed = parse_date("الخميس 3 جويلية 2014 الساعة 14:30 (GMT+01:00)")
    assert parsed is not None
    assert parsed.moment == dt.datetime(2014, 7, 3, 14, 30, tzinfo=tz(1))
    assert parsed.iso() == "2014-07-03T14:30:00+01:00"


def test_evening_marker_moves_the_hour() -> None:
    parsed = parse_date("3 جوان 2017 10:15 مساء")
    assert parsed is not None and parsed.moment == dt.datetime(2017, 6, 3, 22, 15)


def test_update_time_is_not_taken_as_the_publication_time() -> None:
    parsed = parse_date("الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)")
    assert parsed is not None and parsed.moment is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 رمضان 1444هـ", dt.date(2023, 4, 6)),
        ("١٥ رمضان ١٤٤٤ هـ", dt.date(2023, 4, 6)),
        ("1 شوال 1444 هجرية", dt.date(2023, 4, 21)),
        ("10 ذو الحجة 1444هـ", dt.date(2023, 6, 28)),
        ("الجمعة 10 ذي الحجة 1444هـ", dt.date(2023, 6, 28)),
        ("1 محرم 1445هـ", dt.date(2023, 7, 19)),
        ("12 ربيع الأول 1445هـ", dt.date(2023, 9, 27)),
        ("5 جمادى الآخرة 1445هـ", dt.date(2023, 12, 18)),
    ],
)
def test_hijri_umm_al_qura(text: str, expected: dt.date) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.date == expected
    assert parsed.calendar == "hijri"


def test_hijri_and_gregorian_agreeing_gives_gregorian_without_warning() -> None:
    parsed = find_date("الخميس 15 رمضان 1444هـ الموافق 6 أبريل 2023")
    assert parsed is not None
    assert (parsed.date, parsed.calendar, parsed.warning) == (dt.date(2023, 4, 6), "gregorian", None)


def test_a_day_apart_still_agrees_because_months_may_be_sighted() -> None:
    parsed = find_date("16 رمضان 1444هـ الموافق 6 أبريل 2023")
    assert parsed is not None and parsed.warning is None


def test_hijri_and_gregorian_disagreeing_keeps_gregorian_and_warns() -> None:
    parsed = find_date("15 رمضان 1444هـ الموافق 20 أبريل 2023")
    assert parsed is not None
    assert parsed.date == dt.date(2023, 4, 20)
    assert parsed.warning is not None and "2023-04-06" in parsed.warning


@pytest.mark.parametrize(
    "text",
    ["", "لا تاريخ هنا", "31/02/2018", "32 يناير 2020", "15 رمضان 1200هـ", "28 آب/أيلول 2013", "مارس", "2018"],
)
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_month_name_inside_a_word_is_not_a_month() -> None:
    assert find_date("قال 12 مايوركا 2019") is None


@given(st.text(max_size=80))
def test_never_raises(text: str) -> None:
    parsed = parse_date(text)
    if parsed is not None:
        assert parse_date(parsed.iso()) == type(parsed)(parsed.date, parsed.moment)


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)))
def test_iso_round_trip(moment: dt.datetime) -> None:
    moment = moment.replace(microsecond=0)
    parsed = parse_date(moment.isoformat())
    assert parsed is not None and parsed.moment == moment
