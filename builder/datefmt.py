"""Dates as Arabic readers see them: Gregorian with Arabic month and day names,
and the Umm al-Qura Hijri date beside it."""

from __future__ import annotations

import datetime as dt

from hijridate import Gregorian

MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
HIJRI_MONTHS = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def month_year(year: int, month: int) -> str:
    """``يونيو 2023``"""
    return f"{month_name(month)} {year}"


def arabic_date(date: dt.date) -> str:
    """``الثلاثاء 13 يونيو 2023``"""
    return f"{WEEKDAYS[date.weekday()]} {date.day} {month_name(date.month)} {date.year}"


def short_date(date: dt.date) -> str:
    """``13 يونيو 2023``"""
    return f"{date.day} {month_name(date.month)} {date.year}"


def hijri_date(date: dt.date) -> str | None:
    """``24 ذو القعدة 1444 هـ``; None outside the Umm al-Qura table (1924–2077)."""
    try:
        hijri = Gregorian(date.year, date.month, date.day).to_hijri()
    except (ValueError, OverflowError):
        return None
    return f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year} هـ"
