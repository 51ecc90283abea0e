"""News-wire conventions read from article text: datelines, trailers, desk titles, outlets.

Pure functions over strings; the only I/O is reading the packaged outlet table
(``builder/data/outlets.yml``) once.

**Datelines** (:func:`parse_dateline`) are looked for only at the very start of
the paragraph given (the caller passes the first one). The paragraph is cut into
tokens (words, dashes ``- – — --`` or a free-standing ``ـ``, colons, commas,
``(…)`` / ``«…»`` groups, line ends) and one of these shapes must match:

* dated: ``PLACE DATE [-] [AGENCY] [-|:]``, where DATE is a run of date words
  (digits, month names, ``هـ``, ``م``, ``الموافق``, day names…) that
  :func:`builder.dateparse.find_date` reads, Hijri and/or Gregorian
  («الرياض 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس»);
* parenthesised: ``[PLACE[، COUNTRY]] (AGENCY)`` then a dash or colon
  («أتلانتا، الولايات المتحدة الأمريكية (CNN)-- …», «القاهرة (رويترز) -»); a
  region may come first («بالم سبرينجز (كاليفورنيا) (د ب أ) -», «ساو باولو
  (البرازيل) - أ ف ب:»); without a place the agency must be a known outlet
  («(CNN)-- …»). An unknown «(X) -» followed by «WORDS (Y)» is a match result
  («ليل (فرنسا) - ميلان (إيطاليا) 0 - 0»), not a dateline;
* dashed: ``PLACE - AGENCY [- AGENCY] [:|-]`` («لندن - د. ب. أ:», «بيروت - (أ ف ب):»,
  «استنبول - قنا - أ ف ب:», the second agency only when known), the dash standing
  apart from at least one of its neighbours (so «Covid-19» is no dateline).
  When the first part is a known outlet and the second is a short place that is
  not, and ends the part, they are read the other way round, ``OUTLET – CITY``
  («عين اليوم – جدة»).

A dash is required after «CITY (AGENCY)»: without one the same shape is a photo
caption («فلان (رويترز) …»). Being conservative is the point, so:

* PLACE is 1–3 words, optionally «، COUNTRY» of 1–3 more; letters only (no
  digits, no punctuation), and none of its words is a particle, pronoun, day
  or month name, byline or section label («متابعة», «بالصور») or one of the
  common verbs that open news sentences («قال», «أعلنت», «وأضاف»… with their
  و/ف prefix) — see ``_STOP``;
* AGENCY is in parentheses/guillemets (a known outlet, or at most 4 words that
  pass the same word test), or a known outlet (:class:`Outlets`, longest match
  of up to 4 words; text may follow it), or any 1–4 words that pass the word
  test and are followed by «:», a line end or the end of the paragraph (after
  a date a dash will do too);
* ``text`` is the paragraph from its start to the dateline's last token, as
  written (separators excluded); ``rest`` what follows the run of dashes and
  colons after it. So ``text`` + separators + ``rest`` is the paragraph.

Known blind spots: «الأهلي - الزمالك» or two reporters' names («فلان - فلان:»)
alone at the start read as PLACE - AGENCY; a verb missing from ``_STOP`` slips
through only when every other shape test passes too.

**Trailers** (:func:`strip_trailers`): «// انتهى //» (any slashes, also on the
end of the last line), «انتهى» alone on a line, time stamps alone on a line
(«13:53 ت م», «١٣:٥٣ ت غ»; inline only right after a slash), and a known outlet
closing the last paragraph: «(واس)» when not glued to or governed by the word
before it («لـ(CNN)», «لوكالة (واس)», «(آب)» are kept), bare «واس» when it is
the whole line or follows a sentence's final «.!؟…» (not a quote: «بحسب وكالة
"رويترز".» stays). Repeated from the end while
anything matches.

**Titles** (:func:`split_title`): a desk prefix «سياسي / …» when the word is in
``DESKS``, a continuation suffix «/ إضافة أولى», «(إضافة ثانية وأخيرة)»,
«- تغطية مستمرة».

**Outlets**: identifiers are folded (``builder.arabic.normalize``, lower case,
no dots, spaces, parentheses, quotes, dashes) so «د. ب. أ», «د.ب.أ» and
«(د ب أ)» are one key. The built-in table leaves out outlets whose name is also
a city or an everyday word (الرياض، المدينة، اليوم، الوطن، سبق…): «الرياض - واس»
must stay a dateline from Riyadh.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import yaml

from builder.arabic import normalize, normalize_words
from builder.dateparse import GREGORIAN_MONTHS, HIJRI_MONTHS, ParsedDate, find_date
from builder.errors import ConfigError

__all__ = [
    "DESKS",
    "Dateline",
    "Outlets",
    "WireTitle",
    "default_outlets",
    "outlet_key",
    "parse_dateline",
    "parse_outlets",
    "split_title",
    "strip_trailers",
    "with_extra",
]

OUTLETS_FILE = Path(__file__).parent / "data" / "outlets.yml"

# ---------------------------------------------------------------- outlets

_KEY_NOISE = re.compile(r"[\s.()«»\"'`_\-–—ـ]+")


def outlet_key(identifier: str) -> str:
    """The folded form identifiers are matched in: «د. ب. أ» → «دبا», «WAS» → «was»."""
    return _KEY_NOISE.sub("", normalize(identifier))


@dataclass(frozen=True)
class Outlets:
    """Outlet identifiers (folded with :func:`outlet_key`) and their display names."""

    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def display(self, identifier: str) -> str:
        return self.names.get(outlet_key(identifier), identifier)

    def knows(self, identifier: str) -> bool:
        key = outlet_key(identifier)
        return bool(key) and key in self.names


def parse_outlets(data: object, origin: str) -> Outlets:
    """Validate ``{identifier: display name}``; every problem is reported at once."""
    if data is None:
        return Outlets()
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping of outlet identifiers to display names")
    errors: list[str] = []
    names: dict[str, str] = {}
    spelled: dict[str, str] = {}  # key -> the identifier that claimed it, for the message
    for identifier, name in data.items():
        if not isinstance(identifier, str):
            errors.append(f"{origin}: identifier {identifier!r} must be text")
            continue
        key = outlet_key(identifier)
        if not key:
            errors.append(f"{origin}: identifier {identifier!r} has no letters")
        if not isinstance(name, str) or not name.strip():
            errors.append(f"{origin}: {identifier!r} must name an outlet (non-empty text), got {name!r}")
            continue
        if not key:
            continue
        if key in names and names[key] != name.strip():
            errors.append(
                f"{origin}: {spelled[key]!r} and {identifier!r} are the same identifier "
                f"but name different outlets ({names[key]!r}, {name.strip()!r})"
            )
            continue
        names[key], spelled[key] = name.strip(), identifier
    if errors:
        raise ConfigError("\n".join(errors))
    return Outlets(MappingProxyType(names))


def with_extra(base: Outlets, extra: Mapping[str, str]) -> Outlets:
    """``base`` extended, and overridden, by a site's own table."""
    names = dict(base.names)
    names.update({outlet_key(k): v for k, v in extra.items() if outlet_key(k)})
    return Outlets(MappingProxyType(names))


@cache
def default_outlets() -> Outlets:
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with OUTLETS_FILE.open(encoding="utf-8") as handle:
        return parse_outlets(yaml.load(handle, Loader=loader), str(OUTLETS_FILE))  # noqa: S506 - a safe loader


# ---------------------------------------------------------------- shared word tests


def _norm_set(*groups: str) -> frozenset[str]:
    return frozenset(normalize(w) for group in groups for w in group.split())


_MONTH_WORDS = _norm_set(*GREGORIAN_MONTHS, *HIJRI_MONTHS)
_DAYS = _norm_set("الأحد الإثنين الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت")
# Words that cannot be (part of) a place or an agency name: particles, pronouns,
# time words, the verbs that open news sentences (counted on the shared corpora),
# section labels and byline words («كرة القدم - بالصور: …», «متابعة - فلان:»).
_STOP = _norm_set(
    "في من إلى الى على عن مع أن إن أنه إنه قد لقد لم لن لا ما ماذا لماذا كيف هل متى أين أي "
    "هو هي هم هما نحن أنا أنت هذا هذه ذلك تلك هؤلاء التي الذي الذين اللذين اللتين "
    "كان كانت يكون تكون ثم أو أم بعد قبل منذ حتى عند خلال حيث كما إذا إذ لكن بل أيضا كل بين "
    "ضد نحو حول عبر لدى غير سوى رغم أما إلا وفق وفقا بحسب حسب عندما بينما فيما كذلك "
    "أمس اليوم غدا يوم الليلة صباح مساء الآن هنا هناك سؤال "
    "قال قالت أعلن أعلنت أكد أكدت أفاد أفادت ذكر ذكرت أشار أشارت كشف كشفت نفى نفت دعا دعت "
    "أضاف أضافت أوضح أوضحت تابع تابعت اعتبر اعتبرت شدد شددت طالب طالبت حذر حذرت أعرب أعربت "
    "أصدر أصدرت نشر نشرت نقل نقلت بدأ بدأت تم يتم جرى أجرى استقبل التقى زار وصل غادر توجه "
    "شارك شاركت انطلق انطلقت اختتم افتتح رحب أدان استنكر عقد عقدت وقع وقعت قرر قررت رفض رفضت "
    "وافق وافقت صرح صرحت جاء جاءت يأتي تأتي يذكر يقول تقول يرى يعد تعد يعتبر يبدو أصبح أصبحت "
    "بات ظل لايزال مازال تمكن تمكنت حقق حققت سجل سجلت شهد شهدت يشهد تشهد أقر أقرت توفي "
    "دخل دخلت قدم قدمت أطلق أطلقت أظهر أظهرت علق علقت لفت يمكن يمكنكم تستضيف يستضيف "
    "ترأس ترأست ألقى اتهم اتهمت أشاد أشادت أفرجت قتل قتلت أصيب أسفر أسفرت فاز فازت "
    "تعرض تعرضت عاد عادت يعقد تعقد يواجه تواجه يبحث تبحث "
    "فيديو بالفيديو صور بالصور شاهد عاجل إنفوغراف متابعة كتب كتبت إعداد ترجمة تقرير حوار تحرير",
    *_DAYS,
)
_ARABIC_LETTERS_ONLY = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _plain_word(word: str) -> bool:
    """A word that may be part of a place or agency name (see ``_STOP``)."""
    folded = normalize(word)
    if not _ARABIC_LETTERS_ONLY.fullmatch(folded) or folded in _MONTH_WORDS:
        return False
    if folded in _STOP:
        return False
    # «وقال», «فقد», «وفي»: a conjunction glued to a stop word.
    return not (len(folded) > 2 and folded[0] in "وف" and folded[1:] in _STOP)


# ---------------------------------------------------------------- datelines


@dataclass(frozen=True)
class Dateline:
    """A wire dateline as written, and what it says."""

    text: str
    place: str | None
    agency: str | None
    date: ParsedDate | None
    rest: str


class _Token(NamedTuple):
    kind: str  # nl, dash, colon, comma, paren, word, other
    text: str
    start: int
    end: int


_TOKEN = re.compile(
    r"(?P<nl>\n)"
    r"|(?P<dash>[-–—‒―]+|(?<!\S)ـ+(?!\S))"
    r"|(?P<colon>:)"
    r"|(?P<comma>[،,])"
    r"|(?P<paren>\([^()\n]*\)|«[^«»\n]*»)"
    r"|(?P<word>(?:[^\s\-–—‒―:،,()«»]|(?<=\d):(?=\d))+)"
    r"|(?P<other>\S)"
)
_DATE_MARKS = _norm_set("هـ هجري هجرية م ميلادي ميلادية")
_DATE_GLUE = _norm_set("الموافق موافق ل من شهر سنة عام")
_NUMBER = re.compile(r"\d+(?:[/.]\d+)*[هم]?")  # on normalised text: «1436هـ» → «1436ه»
_PLACE_WORDS, _AGENCY_WORDS, _PAREN_WORDS = 3, 4, 4
_MAX_TOKENS = 40


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    for match in _TOKEN.finditer(text):
        if len(found) == _MAX_TOKENS:  # a dateline is never longer: don't tokenise whole paragraphs
            found.append(_Token("more", "", match.start(), match.start()))
            break
        found.append(_Token(match.lastgroup or "other", match.group(), match.start(), match.end()))
    return found


def _at(tokens: list[_Token], i: int) -> str:
    return tokens[i].kind if i < len(tokens) else "end"


def _words(tokens: list[_Token], i: int, most: int) -> int:
    """How many plain words (up to ``most``) start at ``i``."""
    n = 0
    while n < most and _at(tokens, i + n) == "word" and _plain_word(tokens[i + n].text):
        n += 1
    return n


def _date_word(word: str) -> bool:
    folded = normalize(word).rstrip(".")
    parts = [p for p in folded.split("/") if p]
    return bool(parts) and all(
        p in _MONTH_WORDS or p in _DAYS or p in _DATE_MARKS or p in _DATE_GLUE or _NUMBER.fullmatch(p) for p in parts
    )


def _date_end(tokens: list[_Token], i: int) -> int:
    """The end (exclusive) of a run of date words starting at ``i``, trimmed of glue words; ``i`` when none."""
    first = normalize(tokens[i].text) if _at(tokens, i) == "word" else ""
    if not (first[:1].isdigit() or first in _DAYS):
        return i
    j = i
    while _at(tokens, j) in ("word", "comma") and (tokens[j].kind == "comma" or _date_word(tokens[j].text)):
        j += 1
    while j > i and (tokens[j - 1].kind == "comma" or normalize(tokens[j - 1].text) in _DATE_GLUE):
        j -= 1
    return j


class _Agency(NamedTuple):
    name: str
    end: int  # index after the agency's last token


def _agency(tokens: list[_Token], i: int, text: str, outlets: Outlets, dash_ends: bool) -> _Agency | None:
    kind = _at(tokens, i)
    if kind == "paren":
        inner = tokens[i].text[1:-1].strip()
        words = inner.split()
        if inner and (outlets.knows(inner) or (len(words) <= _PAREN_WORDS and all(map(_plain_word, words)))):
            return _Agency(inner, i + 1)
        return None
    if kind != "word":
        return None
    # Known outlet, longest first: text may follow it on the same line.
    for n in range(_AGENCY_WORDS, 0, -1):
        if all(_at(tokens, i + k) == "word" for k in range(n)):
            name = text[tokens[i].start : tokens[i + n - 1].end]
            if outlets.knows(name):
                return _Agency(name, i + n)
    n = _words(tokens, i, _AGENCY_WORDS)
    ends = ("colon", "nl", "end", "dash") if dash_ends else ("colon", "nl", "end")
    if n and _at(tokens, i + n) in ends:
        return _Agency(text[tokens[i].start : tokens[i + n - 1].end], i + n)
    return None


def _separated(tokens: list[_Token], i: int, text: str) -> bool:
    """A dash between two parts of a dateline, not inside a word («Covid-19»)."""
    token = tokens[i]
    before = token.start > 0 and text[token.start - 1].isspace()
    after = token.end < len(text) and text[token.end].isspace()
    return before or after or token.text != "-"


def parse_dateline(paragraph: str, *, outlets: Outlets | None = None) -> Dateline | None:
    """The dateline that opens ``paragraph``, or ``None`` (see the module docstring for the forms)."""
    outlets = outlets or default_outlets()
    tokens = _tokens(paragraph)
    if not tokens:
        return None
    found = _bare_agency(tokens, outlets) or _placed(tokens, paragraph, outlets)
    if found is None:
        return None
    place, agency, date, last = found
    after = last + 1
    while _at(tokens, after) in ("dash", "colon"):  # «(CNN) - -», «- د ب أ -:»
        after += 1
    return Dateline(
        text=paragraph[tokens[0].start : tokens[last].end],
        place=place,
        agency=agency,
        date=date,
        rest=paragraph[tokens[after - 1].end :].strip(),
    )


# place, agency, date, index of the dateline's last token
_Found = tuple[str | None, str | None, ParsedDate | None, int]


def _bare_agency(tokens: list[_Token], outlets: Outlets) -> _Found | None:
    """«(CNN)-- …»: a known outlet in parentheses and a dash, no place."""
    if tokens[0].kind == "paren" and _at(tokens, 1) == "dash" and outlets.knows(tokens[0].text):
        return None, tokens[0].text[1:-1].strip(), None, 0
    return None


def _placed(tokens: list[_Token], text: str, outlets: Outlets) -> _Found | None:
    swapped = _outlet_first(tokens, text, outlets)
    if swapped is not None:
        return swapped
    city = _words(tokens, 0, _PLACE_WORDS)
    if not city:
        return None
    place = text[tokens[0].start : tokens[city - 1].end]
    i = city
    if _at(tokens, i) == "comma":  # «أتلانتا، الولايات المتحدة الأمريكية»
        country = _words(tokens, i + 1, _PLACE_WORDS)
        if country:
            i += 1 + country
    if _at(tokens, i) == "paren":
        if _at(tokens, i + 1) == "paren":  # «بالم سبرينجز (كاليفورنيا) (د ب أ) -»: a region first
            i += 1
        elif _at(tokens, i + 1) == "dash" and not outlets.knows(tokens[i].text):
            dashed = _after_dash(tokens, i + 1, text, outlets)  # «ساو باولو (البرازيل) - أ ف ب:»
            if dashed is not None and outlets.knows(dashed.name):
                return place, dashed.name, None, dashed.end - 1
        agency = _agency(tokens, i, text, outlets, dash_ends=False)
        if agency is None or _at(tokens, i + 1) not in ("dash", "colon"):
            return None
        if not outlets.knows(agency.name) and _score_line(tokens, i + 2):
            return None
        return place, agency.name, None, i
    if _at(tokens, i) == "dash" and _separated(tokens, i, text):
        dashed = _after_dash(tokens, i, text, outlets)
        return (place, dashed.name, None, dashed.end - 1) if dashed else None
    if _at(tokens, i) == "word":
        return _dated(tokens, text, outlets, place, i)
    return None


def _after_dash(tokens: list[_Token], dash: int, text: str, outlets: Outlets) -> _Agency | None:
    """The agency after a dateline's dash, with a second known one («استنبول - قنا - أ ف ب:»)."""
    agency = _agency(tokens, dash + 1, text, outlets, dash_ends=False)
    if agency is None or _at(tokens, agency.end) != "dash":
        return agency
    second = _agency(tokens, agency.end + 1, text, outlets, dash_ends=False)
    if second is not None and outlets.knows(second.name):
        return _Agency(agency.name, second.end)
    return agency


def _score_line(tokens: list[_Token], i: int) -> bool:
    """«ليل (فرنسا) - ميلان (إيطاليا) 0 - 0»: a result, not «CITY (AGENCY) -»."""
    n = 0
    while n < _PLACE_WORDS and _at(tokens, i + n) == "word":
        n += 1
    return n > 0 and _at(tokens, i + n) == "paren"


def _outlet_first(tokens: list[_Token], text: str, outlets: Outlets) -> _Found | None:
    """«عين اليوم – جدة»: a known outlet, a dash, then a city that is no outlet and ends the part."""
    for n in range(_AGENCY_WORDS, 0, -1):
        if not all(_at(tokens, k) == "word" for k in range(n)) or _at(tokens, n) != "dash":
            continue
        outlet = text[tokens[0].start : tokens[n - 1].end]
        if not outlets.knows(outlet) or not _separated(tokens, n, text):
            continue
        city = _words(tokens, n + 1, _PLACE_WORDS)
        place = text[tokens[n + 1].start : tokens[n + city].end] if city else ""
        if city and not outlets.knows(place) and _at(tokens, n + 1 + city) in ("colon", "dash", "nl", "end"):
            return place, outlet, None, n + city
    return None


def _dated(tokens: list[_Token], text: str, outlets: Outlets, place: str, i: int) -> _Found | None:
    """``PLACE DATE [-] [AGENCY]``: the date words must hold a date with a year."""
    end = _date_end(tokens, i)
    if end == i:
        return None
    date = find_date(text[tokens[i].start : tokens[end - 1].end])
    if date is None:
        return None
    j = end + 1 if _at(tokens, end) == "dash" else end
    agency = _agency(tokens, j, text, outlets, dash_ends=True)
    if agency is not None:
        return place, agency.name, date, agency.end - 1
    return place, None, date, end - 1


# ---------------------------------------------------------------- trailers


def _loose(words: str) -> str:
    """A pattern matching ``words`` as written: any hamza/alef form, ة/ه, ى/ي, marks and tatweel."""
    classes = {"ا": "[اأإآٱ]", "ه": "[هة]", "ي": "[يى]", " ": r"\s+"}
    marks = "[\u064b-\u065f\u0670\u0640]*"
    return "".join(classes.get(c, re.escape(c)) + ("" if c == " " else marks) for c in normalize(words))


_DECOR = r"[\s/\\\-–—ـ().*]*"
_END_WORD = re.compile(rf"^{_DECOR}انتهي{_DECOR}$")
_STAMP = r"\d{1,2}\s*:\s*\d{2}(?::\d{2})?\s*ت\s*\.?\s*[مغ]\.?"
_STAMP_LINE = re.compile(rf"^{_DECOR}{_STAMP}{_DECOR}$")
_STAMP_AFTER_SLASH = re.compile(rf"(?<=/)\s*{_STAMP}\s*$")
_SLASHED_END = re.compile(rf"(?:^|(?<=\s)|(?<=[.،؛!؟]))/+\s*{_loose('انتهى')}\s*/+\s*$")
_PAREN_END = re.compile(r"(?:^|(?<=\s))\(\s*([^()\n]{1,40}?)\s*\)\s*$")
_SENTENCE_END = re.compile(r"[.!؟…]")
_QUOTES = set("\"'«»“”‘’")
# A word right before «(واس)» that makes the outlet part of the sentence («لوكالة (واس)»).
_GOVERNING = _norm_set(
    "ل لـ عن من إلى الى وفق وفقا حسب بحسب لدى مع وكالة لوكالة بوكالة شبكة لشبكة قناة لقناة صحيفة لصحيفة "
    "موقع لموقع بثته نشرته ذكرته أوردته"
)


def _outlet_trailer(name: str) -> bool:
    # «(آب)» glosses a month name: it is no «أ ب» (AP) trailer.
    return default_outlets().knows(name) and normalize(name).strip() not in _MONTH_WORDS


def _bare_outlet_end(paragraph: str) -> int | None:
    """«… الجاري. واس»: a known outlet after the last sentence end (dots inside «د. ب. أ» allowed)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(paragraph)][-4:]
    for end in ends:
        tail = paragraph[end:]
        words = tail.split()
        if words and len(words) <= 4 and "\n" not in tail.strip() and not _QUOTES & set(tail) and _outlet_trailer(tail):
            return end + len(tail) - len(tail.lstrip())
    return None


def _trailer_start(paragraph: str) -> int | None:
    """Where a trailer closing ``paragraph`` starts, or ``None``."""
    line_start = paragraph.rfind("\n") + 1
    line = normalize(paragraph[line_start:]).strip()
    bare = line.strip("() \t")
    if _END_WORD.match(line) or _STAMP_LINE.match(line) or (bare and _outlet_trailer(bare)):
        return line_start
    for pattern in (_SLASHED_END, _STAMP_AFTER_SLASH):
        found = pattern.search(paragraph)
        if found and (pattern is _SLASHED_END or _STAMP_LINE.match(normalize(found.group()).strip())):
            return found.start()
    found = _PAREN_END.search(paragraph)
    if found and _outlet_trailer(found.group(1)):
        before = paragraph[: found.start()].split()
        if not before or normalize(before[-1]).strip("«»\"'") not in _GOVERNING:
            return found.start()
    return _bare_outlet_end(paragraph)


def strip_trailers(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Wire trailers removed from the end of the body: (kept, removed in body order)."""
    kept = list(paragraphs)
    removed: list[str] = []
    while True:
        last = len(kept) - 1
        while last >= 0 and not kept[last].strip():
            last -= 1
        if last < 0:
            break
        start = _trailer_start(kept[last])
        if start is None:
            break
        head = kept[last][:start].rstrip()
        removed.insert(0, kept[last][start:].strip())
        kept[last:] = [head] if head.strip() else []
    return (kept, removed) if removed else (list(paragraphs), [])


# ---------------------------------------------------------------- bodies

# A date field this far from its dateline's date is reported (a sighted Hijri
# month may start a day off the Umm al-Qura table, so one day is tolerated).
DATELINE_TOLERANCE = dt.timedelta(days=1)


@dataclass(frozen=True)
class WireBody:
    """A body's paragraphs with its opening dateline and closing trailers taken out."""

    paragraphs: tuple[str, ...]
    dateline: Dateline | None
    trailers: tuple[str, ...]


def read_body(paragraphs: Sequence[str], *, outlets: Outlets | None = None) -> WireBody:
    """The dateline read off the first paragraph (what follows it on that line
    stays) and the wire trailers cut from the end. Used by ``ingest`` for every
    item and by ``build`` for plain ``.txt`` files, so both read a body alike."""
    kept = [p for p in paragraphs if p.strip()]
    dateline = parse_dateline(kept[0], outlets=outlets) if kept else None
    if dateline is not None:
        kept[0:1] = [dateline.rest] if dateline.rest.strip() else []
    kept, trailers = strip_trailers(kept)
    return WireBody(tuple(kept), dateline, tuple(trailers))


def dateline_place(dateline: str | None) -> str:
    """The city an article's stored dateline names ("" when none)."""
    found = parse_dateline(dateline) if dateline else None
    return found.place or "" if found is not None else ""


def date_disagreement(given: dt.date, dateline: Dateline) -> str | None:
    """The warning for a date field more than a day away from the dateline's date."""
    if dateline.date is None or abs(given - dateline.date.date) <= DATELINE_TOLERANCE:
        return None
    return (
        f"the date field ({given.isoformat()}) and the dateline's date "
        f"({dateline.date.date.isoformat()}) differ by more than a day; the date field is kept"
    )


# ---------------------------------------------------------------- titles

# Desks of the Saudi Press Agency and similar wires, as written before « / ».
DESKS = _norm_set(
    "سياسي عام اقتصادي رياضي ثقافي اجتماعي صحي دولي محلي فني تعليمي عسكري أمني ديني إنساني تقني علمي بيئي "
    "زراعي سياحي إعلامي منوعات متنوع خليجي عربي إقليمي برلماني قضائي تنموي مالي تجاري صناعي نفطي "
    "تراثي أدبي شبابي نسائي بلدي إداري إسلامي خيري تطوعي حقوقي أكاديمي بحثي طبي "
    "سياسة اقتصاد رياضة ثقافة مجتمع صحة تعليم تقنية علوم بيئة زراعة سياحة إعلام فنون محليات دوليات "
)
DESK_PHRASES = frozenset(
    normalize_words(p) for p in ("عربي ودولي", "عربي دولي", "حج وعمرة", "شؤون دولية", "شؤون محلية", "عام محلي")
)


@dataclass(frozen=True)
class WireTitle:
    """A title without its desk and continuation, both kept as written."""

    title: str
    desk: str | None
    continuation: str | None


_DESK = re.compile(r"^\s*([^/\n]{1,20}?)\s*/\s*(?=\S)")
ORDINALS = ("أولى", "ثانية", "ثالثة", "رابعة", "خامسة", "سادسة", "سابعة", "ثامنة", "تاسعة", "عاشرة")
_ORDINAL = "|".join(_loose(o) for o in ORDINALS)
_AL = "(?:" + _loose("ال") + ")?"
_ADD = _loose("إضافة")
_LAST = _loose("أخيرة")
_CONTINUATION = re.compile(
    r"(?P<sep>[\s/\-–—|(]+)(?P<c>"
    rf"{_AL}{_ADD}\s+{_AL}(?:{_ORDINAL})(?:\s+و\s*{_AL}{_LAST})?"
    rf"|{_AL}{_ADD}\s+{_AL}{_LAST}"
    rf"|{_loose('تغطية مستمرة')})"
    r"[\s)]*$"
)
_TITLE_EDGES = " \t\n/|-–—("  # left at the cut when a continuation goes


def split_title(title: str) -> WireTitle:
    """A wire title without its desk prefix and continuation suffix."""
    desk = None
    body = title
    found = _DESK.match(title)
    if found:
        word = found.group(1).strip()
        folded = normalize_words(word)
        if len(folded.split()) <= 2 and (folded in DESKS or folded in DESK_PHRASES):
            desk, body = word, title[found.end() :]
    continuation = None
    suffix = _CONTINUATION.search(body)
    if suffix and body[: suffix.start()].strip(_TITLE_EDGES):
        continuation, body = suffix.group("c"), body[: suffix.start()].rstrip(_TITLE_EDGES)
    return WireTitle(body.strip(), desk, continuation)
