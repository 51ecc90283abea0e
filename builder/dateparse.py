"""Dates as news sources write them, turned into ``datetime`` values.

Forms understood (see ``tests/ingest/test_dateparse.py``):

* ISO 8601 (``2017-01-25``, ``2017-01-25T14:36:00+01:00``, ``…Z``) and the
  compact-time variant ``2017-01-22T171800``;
* RFC 822 / e-mail dates (``Mon, 19 Feb 2018 00:16:11 +0400``, ``… GMT``);
* numeric ``DD/MM/YYYY`` (also with ``-`` or ``.``), day first as in Arabic use;
* Arabic datelines: ``الأربعاء، 28 آب/اغسطس 2013``, ``الجمعة 8 فيفري 2019``,
  with month names of all three families (Egyptian/Gulf ``أغسطس``,
  Levantine/Iraqi ``آب``, Maghrebi ``أوت``), combined forms, day names,
  Arabic-Indic digits and an optional time and UTC offset;
* Hijri dates (``15 رمضان 1444هـ``) converted with the Umm al-Qura calendar.

A line with both a Hijri and a Gregorian date yields the Gregorian one; when
the two are more than a day apart (a sighted month may start a day off the
Umm al-Qura table) the result carries a warning for the report.

The timezone is kept whenever the input gives one; a time without an offset
stays naive rather than being guessed.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

from hijridate import Hijri

from builder.arabic import normalize

__all__ = ["ParsedDate", "find_date", "parse_date"]

# Two Hijri/Gregorian readings this many days apart still "agree": a month
# begun by sighting may differ from the Umm al-Qura table by one day.
HIJRI_TOLERANCE_DAYS = 1


@dataclass(frozen=True)
class ParsedDate:
    """A date read from text. ``moment`` is set when the input gave a time."""

    date: dt.date
    moment: dt.datetime | None = None
    calendar: str = "gregorian"  # or "hijri" when only a Hijri date was given
    warning: str | None = None

    @property
    def value(self) -> dt.date | dt.datetime:
        """What the front matter's ``date`` should hold."""
        return self.moment if self.moment is not None else self.date

    def iso(self) -> str:
        return self.value.isoformat()


def _months(table: dict[str, int]) -> dict[str, int]:
    # Keys are matched against normalised text, so normalise them the same way.
    return {normalize(name): number for name, number in table.items()}


GREGORIAN_MONTHS = _months(
    {
        # Egyptian / Gulf (and their common spellings)
        "يناير": 1,
        "فبراير": 2,
        "مارس": 3,
        "أبريل": 4,
        "إبريل": 4,
        "ابريل": 4,
        "مايو": 5,
        "يونيو": 6,
        "يونيه": 6,
        "يوليو": 7,
        "يوليه": 7,
        "أغسطس": 8,
        "اغسطس": 8,
        "سبتمبر": 9,
        "أكتوبر": 10,
        "اكتوبر": 10,
        "نوفمبر": 11,
        "ديسمبر": 12,
        # Levantine / Iraqi
        "كانون الثاني": 1,
        "كانون ثاني": 1,
        "شباط": 2,
        "آذار": 3,
        "نيسان": 4,
        "أيار": 5,
        "حزيران": 6,
        "تموز": 7,
        "آب": 8,
        "أيلول": 9,
        "تشرين الأول": 10,
        "تشرين أول": 10,
        "تشرين الثاني": 11,
        "تشرين ثاني": 11,
        "كانون الأول": 12,
        "كانون أول": 12,
        # Maghrebi (Tunisia, Algeria; Morocco's forms too)
        "جانفي": 1,
        "فيفري": 2,
        "أفريل": 4,
        "ماي": 5,
        "جوان": 6,
        "جويلية": 7,
        "يوليوز": 7,
        "أوت": 8,
        "غشت": 8,
        "شتنبر": 9,
        "نونبر": 11,
        "دجنبر": 12,
    }
)

HIJRI_MONTHS = _months(
    {
        "محرم": 1,
        "صفر": 2,
        "ربيع الأول": 3,
        "ربيع أول": 3,
        "ربيع الآخر": 4,
        "ربيع الثاني": 4,
        "ربيع ثاني": 4,
        "جمادى الأولى": 5,
        "جمادى الأول": 5,
        "جمادى الآخرة": 6,
        "جمادى الثانية": 6,
        "جمادى الآخر": 6,
        "رجب": 7,
        "شعبان": 8,
        "رمضان": 9,
        "شوال": 10,
        "ذو القعدة": 11,
        "ذي القعدة": 11,
        "ذو الحجة": 12,
        "ذي الحجة": 12,
    }
)


def _alternation(names: dict[str, int]) -> str:
    # Longest first, so "ماي" never wins over "مايو".
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_GREG = _alternation(GREGORIAN_MONTHS)
_HIJ = _alternation(HIJRI_MONTHS)
# Arabic letters are \w, so a month name must not be glued to other letters.
_B = r"(?<![^\W\d_])"
_E = r"(?![^\W\d_])"

_TIME = (
    r"(?:\s*[،,]?\s*(?:الساعه\s*)?"
    r"(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2}))?"
    r"(?:\s*(?P<ampm>صباحا|مساء|ص|م)" + _E + r")?"
    r"(?:\s*\(?\s*(?:gmt|utc|بتوقيت غرينتش|توقيت غرينتش|غرينتش)?\s*"
    r"(?P<tz>[+-]\d{1,2}(?::?\d{2})?)\s*\)?)?)?"
)

_GREG_DATE = re.compile(
    _B
    + r"(?P<d>\d{1,2})\s*(?:من\s+)?(?:شهر\s+)?"
    + r"(?P<m1>"
    + _GREG
    + r")"
    + _E
    + r"(?:\s*[/\\(-]\s*(?P<m2>"
    + _GREG
    + r")"
    + _E
    + r"\s*\)?)?"
    + r"\s*[،,]?\s*(?:سنه\s+|عام\s+)?(?P<y>\d{4})(?!\d)(?:\s*م"
    + _E
    + r")?"
    + _TIME
)

_HIJRI_DATE = re.compile(
    _B
    + r"(?P<d>\d{1,2})\s*(?:من\s+)?(?:شهر\s+)?(?P<m>"
    + _HIJ
    + r")"
    + _E
    + r"\s*[،,]?\s*(?:سنه\s+|عام\s+)?(?P<y>\d{4})(?!\d)\s*(?:هجريه|هجري|ه)?"
)

_NUMERIC_DATE = re.compile(
    r"(?<!\d)(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"|(?P<y2>\d{4})[/.-](?P<m2>\d{1,2})[/.-](?P<d2>\d{1,2}))(?!\d)" + _TIME
)
_ISO_COMPACT_TIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<hh>\d{2})(?P<mi>\d{2})(?P<ss>\d{2})?(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)
_ISO_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_RFC822 = re.compile(r"^(?:[a-z]{3},?\s*)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")


def _offset(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    match = re.fullmatch(r"([+-])(\d{1,2})(?::?(\d{2}))?", text)
    if match is None:
        return None
    sign = -1 if match.group(1) == "-" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _with_time(day: dt.date, match: re.Match[str]) -> ParsedDate | None:
    """Attach the optional time groups of ``_TIME`` to ``day``."""
    if match.group("hh") is None:
        return ParsedDate(day)
    hour, minute = int(match.group("hh")), int(match.group("mi"))
    second = int(match.group("ss") or 0)
    ampm = match.group("ampm")
    if ampm in ("مساء", "م") and hour < 12:
        hour += 12
    elif ampm in ("صباحا", "ص") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return ParsedDate(day)
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=_offset(match.group("tz")))
    return ParsedDate(day, moment)


def _gregorian(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _hijri(year: int, month: int, day: int) -> dt.date | None:
    try:
        greg = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return dt.date(greg.year, greg.month, greg.day)


def _parse_iso(text: str) -> ParsedDate | None:
    compact = _ISO_COMPACT_TIME.match(text)
    if compact:
        zone = compact.group("tz")
        text = f"{compact.group('date')}T{compact.group('hh')}:{compact.group('mi')}:{compact.group('ss') or '00'}" + (
            zone or ""
        )
    try:
        moment = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if len(text) == 10:  # a bare date: no time was given
        return ParsedDate(moment.date())
    return ParsedDate(moment.date(), moment)


def _parse_rfc822(text: str) -> ParsedDate | None:
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return ParsedDate(moment.date(), moment)


def parse_date(text: str) -> ParsedDate | None:
    """Parse a field that holds a date and nothing much else; ``None`` if it has none."""
    folded = normalize(text).strip()
    if not folded:
        return None
    if _ISO_LIKE.match(folded):
        found = _parse_iso(folded.upper())
        if found:
            return found
    if _RFC822.match(folded):
        found = _parse_rfc822(text.strip())
        if found:
            return found
    return find_date(text)


def find_date(text: str) -> ParsedDate | None:
    """Find the first date written in running text (a dateline, a byline)."""
    folded = normalize(text)
    greg = _first_gregorian(folded)
    hijri = _first_hijri(folded)
    if greg is None and hijri is None:
        numeric = _NUMERIC_DATE.search(folded)
        while numeric:
            year, month, mday = (numeric.group(k) or numeric.group(k + "2") for k in ("y", "m", "d"))
            day = _gregorian(int(year), int(month), int(mday))
            if day:
                return _with_time(day, numeric)
            numeric = _NUMERIC_DATE.search(folded, numeric.end())
        return None
    if greg is None:
        assert hijri is not None
        return ParsedDate(hijri, calendar="hijri")
    if hijri is not None and abs((hijri - greg.date).days) > HIJRI_TOLERANCE_DAYS:
        warning = (
            f"Hijri date ({hijri.isoformat()} by Umm al-Qura) disagrees with "
            f"Gregorian date ({greg.date.isoformat()}); kept the Gregorian date"
        )
        return ParsedDate(greg.date, greg.moment, warning=warning)
    return greg


def _first_gregorian(folded: str) -> ParsedDate | None:
    for match in _GREG_DATE.finditer(folded):
        month = GREGORIAN_MONTHS[match.group("m1")]
        second = match.group("m2")
        if second is not None and GREGORIAN_MONTHS[second] != month:
            continue  # "آب/أيلول" names two months: not a date we can trust
        day = _gregorian(int(match.group("y")), month, int(match.group("d")))
        if day:
            return _with_time(day, match)
    return None


def _first_hijri(folded: str) -> dt.date | None:
    for match in _HIJRI_DATE.finditer(folded):
        day = _hijri(int(match.group("y")), HIJRI_MONTHS[match.group("m")], int(match.group("d")))
        if day:
            return day
    return None
