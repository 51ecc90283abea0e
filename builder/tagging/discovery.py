"""Pass one of entity discovery: the candidate names of one article, with their evidence.

Pure and per article, so it runs in the reading workers and is cached with the
article. Nothing here decides what becomes a tag: ``builder.tagging.archive``
does that over the whole archive (pass two).

What counts as evidence (``Candidate.evidence``):
- ``title``: a title or honorific right before the name (الرئيس، الشيخ، الدكتور);
- ``role``: a role phrase before it (وزير الخارجية الأمريكي، المتحدث باسم الوزارة);
- ``particle``: Arabic name structure (بن، آل، أبو، عبد) joining name words;
- ``given``: a given name (Wikidata) followed by more name words;
- ``head``: an organisation's or place's head noun with its complement (وزارة…، جامعة…، مطار…);
- ``gazetteer``: a GeoNames city name, where the context allows a place;
- ``acronym``: letters spelled out in Arabic script (بي بي سي، إف بي آي), or a radio's «… إف إم»;
- ``latin``: a capitalised Latin acronym (CNN, BFMTV): weak, like ``unknown``;
- ``dateline``: the city of the article's wire dateline («الرياض 25 شوال … واس»);
- ``club``: in a sports story, the name after «فريق»، «نادي»، «مدرب»، «جماهير» (weak: a
  club becomes a tag from two articles).

A token may carry the proclitics و ف ب ل ك (and لل for ال); names are stored
without them, in the project's normalised form, and as written.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, count
from operator import attrgetter, itemgetter
from typing import NamedTuple

from builder.arabic import normalize, normalize_words
from builder.tagging.lexicon import (
    COMMON_NOUN_ZIPF,
    JORDAN_CUES,
    LOCATIVES,
    NAME_ADJECTIVES,
    OMAN_CUES,
    ORG_HEADS,
    ORG_HEADS_STRONG,
    PARTICLES,
    PLACE_HEADS,
    PLACE_HEADS_ADMIN,
    ROLE_HEADS,
    STOP,
    TITLES,
    Lexicon,
    lexicon,
)
from builder.tagging.tokens import is_name_gap, word_forms, words_and_gaps
from builder.taxonomy import Taxonomy

VERB_ZIPF = 3.8
STRONG = frozenset(
    {"title", "role", "particle", "given", "foreign", "head", "gazetteer", "acronym", "dateline", "city_club"}
)
MAX_NAME_WORDS = 6
SPORTS_CUES = frozenset(
    normalize(w)
    for w in (
        "مباراة",
        "المباراة",
        "الدوري",
        "هدف",
        "هدفا",
        "الهدف",
        "لاعب",
        "اللاعب",
        "المدرب",
        "فريق",
        "الفريق",
        "بطولة",
        "البطولة",
        "كأس",
        "نادي",
        "النادي",
        "الملعب",
        "التعادل",
    )
)
# In a sports story, the words that put a club's name after them (فريق الهلال، نادي النصر، لاعبو الاتحاد),
# and the definite words after them that are no club («الفريق الأول»، «فريق المنافس»).
CLUB_HEADS = frozenset(normalize(w) for w in ("فريق", "نادي", "لاعبو", "لاعبي", "جماهير", "مدرب"))
NOT_CLUBS = frozenset(
    normalize(w)
    for w in (
        "الأول",
        "الثاني",
        "الثالث",
        "الأولى",
        "الوطني",
        "المنافس",
        "الخصم",
        "الضيف",
        "المضيف",
        "الأخير",
        "الآخر",
        "الرياضي",
        "الكروي",
        "الطبي",
        "الفني",
        "البحثي",
        "الذي",
        "التي",
        "الحالي",
        "السابق",
        "الجديد",
        "الملكي",
        "العاصمي",
        "الشباب",
        "الناشئين",
        "الأولمبي",
        "المحلي",
        "الزائر",
        "الفائز",
        "الخاسر",
        "المنتخب",
        "الكبير",
        "العريق",
        "الجماهيري",
        "النسائي",
        "الرديف",
        "العالمي",
        "الإنقاذ",
    )
)
# Heads whose complement is the outlet's whole name (قناة «الحوار التونسي», مجلة «بلاي بوي»).
MEDIA_HEADS = frozenset(normalize(w) for w in ("قناة", "صحيفة", "مجلة", "إذاعة", "جريدة", "موقع", "منصة"))
# Heads that only say what kind of body the named one inside them is.
CONTAINER_HEADS = frozenset(normalize(w) for w in ("جماعة", "موقع", "منصة"))
ORDINALS = frozenset(
    normalize(w)
    for w in ("الثاني", "الثانية", "الثالث", "الثالثة", "الرابع", "الرابعة", "الخامس", "الخامسة", "الثانوي", "الثانوية")
)
# Adjectives that say where a body stands, never part of its name.
DESCRIPTIVE_ADJECTIVES = frozenset(
    normalize(w) for w in ("الرئيسي", "الرئيسية", "الحالي", "الحالية", "السابق", "السابقة", "المقبل", "المقبلة")
)
# Heads whose one-word complement is also the body's own name (تنظيم القاعدة → القاعدة).
ALIAS_HEADS = frozenset(
    normalize(w)
    for w in (
        "تنظيم",
        "حركة",
        "جماعة",
        "حزب",
        "جبهة",
        "نادي",
        "شركة",
        "وكالة",
        "مجموعة",
        "قناة",
        "صحيفة",
        "موقع",
        "منصة",
        "مجلة",
        "إذاعة",
    )
)
# Names of Latin letters as Arabic script spells them (بي بي سي = BBC), normalised. The first
# set never reads as an everyday word; the second normalises like one (إن/أن، أو، إم/أم، أي) and
# only counts beside the first, and never when written with hamza above (``is_letter``).
LETTER_NAMES = frozenset(
    normalize(w) for w in ("بي", "سي", "دي", "إف", "إس", "إيه", "جي", "تي", "كيه", "آر", "إكس", "زد", "إتش", "واي")
)
LETTER_WORDS = frozenset(normalize(w) for w in ("إن", "أو", "آي", "إي", "يو", "إل", "إم"))
# Words that go with a city's name to name its club (ريال مدريد، مانشستر سيتي، إنتر ميلان).
CLUB_WORDS = frozenset(
    normalize(w)
    for w in (
        "ريال",
        "أتلتيكو",
        "إنتر",
        "سبورتنغ",
        "أولمبيك",
        "سيتي",
        "ستي",
        "يونايتد",
        "دينامو",
        "استقلال",
        "بايرن",
        "بوروسيا",
    )
)
_ACRONYM_STARTS = frozenset({*LETTER_NAMES, *LETTER_WORDS, *(c + name for c in "وفبل" for name in LETTER_NAMES)})
# Capitalised Latin words that are no body's name.
LATIN_STOP = frozenset(
    {"covid", "gdp", "dna", "pdf", "ai", "ceo", "tv", "fm", "am", "pm", "vip", "ok", "sms", "id", "usd"}
)
# Particles that take the next word into the name, and first halves of «… الدين» names.
KUNYA = frozenset({"عبد", "ابو", "ابي", "ابا", "ام", "بن", "بنت", "ابن", "ال"})
COMPOUND_FIRSTS = frozenset(
    {
        "نور",
        "عز",
        "صلاح",
        "علاء",
        "خير",
        "بدر",
        "شمس",
        "جمال",
        "محيي",
        "سيف",
        "تقي",
        "نصر",
        "عماد",
        "بهاء",
        "شرف",
        "زين",
        "فخر",
        "سعد",
        "ضياء",
        "كمال",
        "حسام",
        "محي",
        "ناصر",
        "قطب",
        "شهاب",
        "جلال",
        "نجم",
    }
)
MAX_ROLE_WORDS = 6
# «علي» normalises like «على»: a name when written with «ي» in a text that writes «ى» elsewhere
# (some copy types «على» as «علي» throughout, and there «علي» is no clue; ``is_name_word``).
NAMES_LIKE_STOP = frozenset({"علي"})
_MAQSURA_WORDS = frozenset({"علي", "الي", "لدي", "حتي", "متي"})  # normalised; with «ى» they are particles
_CLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل")


@dataclass(frozen=True, slots=True)
class Candidate:
    type: str  # person | organization | place
    key: str  # normalised words, no proclitics, no titles
    text: str  # as written, no proclitics, no titles
    evidence: str
    role: str = ""  # a person's title or role phrase, as written
    alias: str = ""  # a shorter name of the same entity in this article (حماس for حركة حماس), normalised


@dataclass(frozen=True, slots=True)
class Discovered:
    """What pass two needs of one article: its candidates, and the runs of name-like
    words it contains (to find names learned from other articles)."""

    candidates: tuple[Candidate, ...] = ()
    runs: tuple[str, ...] = ()  # normalised, words joined by spaces
    amman: bool = False  # «عمان» here is Amman (a Jordanian context), not Oman
    # In a sports story, its definite words: where pass two looks for clubs with everyday
    # names learned elsewhere (الهلال، النصر، الاتحاد); empty in every other story.
    sports_words: tuple[str, ...] = ()
    # Names the taxonomy never matches alone because they are also everyday words (جدة is
    # also «grandmother», مالي «financial»), found here where the context makes them places.
    located: tuple[str, ...] = ()


class _Word(NamedTuple):
    """One word of the article (a tuple: an article has hundreds, made by every build)."""

    start: int
    end: int
    norm: str
    joined: bool  # only a name gap separates it from the previous word
    bare: str  # normalised, proclitics removed (لل → ال)
    cut: int  # characters of proclitics removed from the written word
    verdict: tuple[bool, bool, bool]  # name word: inside a name, first, first with a proclitic


def _words(text: str, lex: Lexicon) -> list[_Word]:
    """The words of ``text`` as the tagger tokenizes them (``builder.tagging.tokens.tokenize``),
    each analysed once per distinct word. This runs on every word of every article, so it
    works list by list (``map``, ``zip``) rather than word by word."""
    parts = words_and_gaps(text)
    written = parts[1::2]
    if not written:
        return []
    memo, gaps = _WRITTEN, _GAPS
    if len(memo) > _MAX_MEMO:
        memo.clear()
    for word in set(written).difference(memo):
        norm = word_forms(word)[0]
        analysed = (norm, *_analysed(norm, lex)) if norm else ("", "", 0, (False, False, False))
        if norm and word[-1] == "ه" and _pronoun_ending(analysed[1], lex):
            analysed = (*analysed[:3], (False, False, False))  # «مكانه» as written: a pronoun, not «مكانة»
        memo[word] = analysed
    if len(gaps) > _MAX_MEMO:
        gaps.clear()
    between = parts[2:-1:2]  # the gap before each word but the first
    for gap in set(between).difference(gaps):
        gaps[gap] = is_name_gap(gap)
    known = list(map(memo.__getitem__, written))
    ends = list(accumulate(map(len, parts)))
    joined = [False, *map(gaps.__getitem__, between)]
    make = tuple.__new__  # _Word's own constructor is one more Python call per word
    if all(map(itemgetter(0), known)):
        return [
            make(_Word, (start, end, k[0], j, k[1], k[2], k[3]))
            for start, end, k, j in zip(ends[0:-1:2], ends[1::2], known, joined, strict=True)
        ]
    # A word that normalises to nothing (tatweel, marks) is dropped, and the gap before the
    # next word then runs from the last word kept.
    words: list[_Word] = []
    previous_end = -1
    for start, end, k, gap_before, j in zip(ends[0:-1:2], ends[1::2], known, parts[0:-1:2], joined, strict=True):
        if not k[0]:
            continue
        if previous_end != start - len(gap_before):
            j = previous_end >= 0 and is_name_gap(text[previous_end:start])
        words.append(make(_Word, (start, end, k[0], j, k[1], k[2], k[3])))
        previous_end = end
    return words


def _pronoun_ending(bare: str, lex: Lexicon) -> bool:
    """Is ``bare``, written with «ه» (not «ة»), a known word with the pronoun «ـه» (مكانه، لسانه)?"""
    stem = bare[:-1]  # «ديديه»، «بارنيه»: French names, whose stems are rare words at most
    return len(bare) >= 4 and not lex.is_person_name(bare) and (lex.is_noun(stem) or lex.zipf(stem) >= 3.5)


_WRITTEN: dict[str, tuple[str, str, int, tuple[bool, bool, bool]]] = {}  # word as written -> (norm, bare, cut, verdict)
_BARE, _NORM = attrgetter("bare"), attrgetter("norm")


def _MAY_START_A_NAME(w: _Word) -> bool:
    return w.verdict[1] or w.verdict[2] or w.bare in KUNYA or w.bare in COMPOUND_FIRSTS


_LATIN = re.compile("[A-Za-z]")
_GAPS: dict[str, bool] = {}  # gap as written -> whether it may separate the words of one name


def _name_verdict(bare: str, lex: Lexicon) -> tuple[bool, bool, bool]:
    """Whether a word (normalised, proclitics removed) may be part of a person's name:
    (inside a name, as its first word, as its first word after a proclitic)."""
    if bare in TITLES or bare in ROLE_HEADS or bare in ORG_HEADS or bare in PLACE_HEADS or len(bare) < 3:
        return False, False, False
    if bare in PARTICLES or (bare in STOP and bare not in NAMES_LIKE_STOP) or not ("\u0621" <= bare[0] <= "\u064a"):
        return False, False, False
    if lex.is_suffixed(bare):
        return False, False, False
    people = lex.given_people.get(bare, 0)
    if _verb_like(bare, lex) and people < 20 and bare not in lex.family:
        return False, False, False  # a frequent word that looks like a verb (يسجل، أكد، أعرب)
    if lex.is_person_name(bare):
        inside = not (lex.is_noun(bare) and lex.zipf(bare) >= COMMON_NOUN_ZIPF + 0.8) or people >= 300
    elif lex.is_noun(bare) or lex.is_function(bare) or lex.is_inflected(bare) or lex.is_verb(bare):
        inside = False
    else:
        inside = not bare.isdigit() and bare.isalpha()
    # Names do not start with «ال» (الحبيب is listed as a given name).
    first = inside and not (bare.startswith("ال") and bare not in lex.given)
    # «وصرح»: a known word after و/ف is the sentence, not a name.
    after_clitic = first and (lex.is_person_name(bare) or not lex.is_known(bare))
    return inside, first, after_clitic


@lru_cache(maxsize=65536)
def _place_rule(key: str, lex: Lexicon) -> tuple[bool, bool, bool]:
    """Whether the one word ``key``, a GeoNames place name, is the place: (with no
    locative before it, after a locative, in a sports story as a club). Everyday words
    need a large city and a locative context; unknown words a city or a locative."""
    population = lex.places[key][1]
    person = lex.given_people.get(key, 0) >= 20 or key in lex.family  # «روما» has two Wikidata people: a city
    if len(key) < 4 or key in STOP or person:
        return False, population >= 1_000_000, False
    if lex.is_suffixed(key) and population < 1_000_000:  # «أفريقيا» is no accusative of «أفريقي»
        return False, False, False
    zipf = lex.zipf(key)
    if lex.is_noun(key):
        return zipf < 4.0 and population >= 1_000_000, population >= 100_000 and zipf < 4.5, False
    club = population >= 100_000  # a club named after its city
    if key in lex.words:
        plain = (population >= 100_000 and (zipf < 4.2 or population >= 1_000_000)) or (
            zipf < 3.5 and population >= 20_000
        )
        return plain, population >= 20_000 or plain, club  # «في صعدة»: a town after a locative
    return population >= 20_000, True, club


def _verb_like(bare: str, lex: Lexicon) -> bool:
    return lex.zipf(bare) >= VERB_ZIPF and bare[0] in "يتنا" and (len(bare) <= 4 or lex.zipf(bare) >= 4.5)


_MEMO: dict[str, tuple[str, int, tuple[bool, bool, bool]]] = {}
_MAX_MEMO = 300_000  # distinct words are Zipfian: this covers any corpus; past it the memo starts again


def _analysed(norm: str, lex: Lexicon) -> tuple[str, int, tuple[bool, bool, bool]]:
    known = _MEMO.get(norm)
    if known is None:
        if len(_MEMO) > _MAX_MEMO:
            _MEMO.clear()
        bare, cut = _bare(norm, lex)
        known = _MEMO[norm] = (bare, cut, _name_verdict(bare, lex))
    return known


def _bare(norm: str, lex: Lexicon) -> tuple[str, int]:
    # wordfreq lists many words with their proclitics (وقال، بصفة، والصناعة): a form is kept
    # whole only when it is a name, an everyday noun or a title, else a proclitic is removed.
    if (
        norm[:1] in "وف"
        and len(norm) > 3
        and lex.zipf(norm[1:]) >= 3.5
        and lex.given_people.get(norm, 0) < 50
        and not lex.is_noun(norm)
    ):
        return norm[1:], 1  # «وأكد» is و + أكد, not a name «واكد»
    if lex.is_person_name(norm) or lex.is_noun(norm) or norm in TITLES or norm in PARTICLES or norm in ROLE_HEADS:
        return norm, 0
    if norm.startswith("لل") and len(norm) > 4:
        definite = "ال" + norm[2:]
        if norm[1:] in lex.places or (lex.is_person_name(norm[1:]) and definite not in lex.words):
            return norm[1:], 1  # «للندن» is ل + «لندن»; «للأمين» is ل + «الأمين», not ل + «لامين»
        return definite, 1
    if norm in lex.places and not (norm[0] in "وفبلك" and lex.is_function(norm[1:])):
        return norm, 0  # «فيينا» is Vienna, not ف + «يينا»; but «بأنه» is ب + «أنه», not Baneh
    for clitic in _CLITICS:
        rest = norm[len(clitic) :]
        if (
            norm.startswith(clitic)
            and len(rest) >= 3
            and (
                rest in lex.words
                or lex.is_person_name(rest)
                or rest.startswith("ال")
                # «بجندوبة» is ب + «جندوبة», but «بلير» (a word itself) no ب + the town «لير»
                or (rest in lex.places and rest not in lex.words and norm not in lex.words)
            )
        ):
            return rest, len(clitic)
    return norm, 0


def _written(text: str, words: list[_Word], start: int, end: int) -> str:
    """The words start..end-1 as written, without the first word's proclitics."""
    first = words[start]
    written = text[first.start + first.cut : words[end - 1].end]
    if first.cut and first.bare.startswith("ال") and not written.startswith("ال"):
        written = "ا" + written  # «للجنة» is ل + «اللجنة»: what is left, «لجنة», takes its «ا» back
    return " ".join(written.translate(_QUOTES).split())


_LOCATIVES_AND_HEADS = LOCATIVES | PLACE_HEADS
_HEAD_FORMS = frozenset({*ORG_HEADS, *PLACE_HEADS, *("ال" + h for h in (*ORG_HEADS, *PLACE_HEADS))})
_NOT_PLACES = frozenset({*ORG_HEADS, *PLACE_HEADS, *TITLES, *ROLE_HEADS, *_HEAD_FORMS})
_QUOTES = str.maketrans({q: " " for q in "\"«»“”'"})


class _Article:
    """One article's words and the spans already claimed by a name."""

    def __init__(self, text: str, lex: Lexicon, exclude: frozenset[str]) -> None:
        self.exclude = exclude
        self.text = text
        self.lex = lex
        self.words = _words(text, lex)
        self.claimed = [False] * len(self.words)
        self.found: list[Candidate] = []
        # In a sports story a city with no «في/من/إلى» before it is usually its club (ليفربول، برشلونة).
        # Every word's ``bare`` form, for the look-ups below to run in C (``map``, ``compress``).
        self.bares: list[str] = list(map(_BARE, self.words))
        self.sports = sum(map(SPORTS_CUES.__contains__, self.bares)) >= 3
        self.writes_ya_maqsura = "ى" in text

    def where(self, words: Container[str], *, by_norm: bool = False) -> list[int]:
        """The indexes of the words (``bare``, or ``norm``) that ``words`` holds."""
        forms = map(_NORM, self.words) if by_norm else self.bares
        return list(compress(count(), map(words.__contains__, forms)))

    def joined(self, index: int) -> bool:
        return 0 <= index < len(self.words) and self.words[index].joined

    def claim(self, start: int, end: int) -> None:
        for k in range(start, end):
            self.claimed[k] = True

    def free(self, start: int, end: int) -> bool:
        return not any(self.claimed[start:end])

    # -- word classes --------------------------------------------------------------------

    def is_name_word(self, k: int, *, first: bool = False) -> bool:
        """May word k be part of a person's name? The word's own verdict is worked out
        once per distinct word (``_verdicts``); only its neighbours are looked at here."""
        w = self.words[k]
        bare = w.bare
        if not first and w.cut:  # only the first word of a name carries proclitics
            return False
        if bare in _MAQSURA_WORDS and self.preposition(w):
            return False  # normalised, «على» and «إلى» read as the names «علي» and «إلي»
        if bare in NAMES_LIKE_STOP and k + 1 < len(self.words):
            after = self.words[k + 1].bare
            if after.startswith("ال") and self.lex.is_noun(after) and after not in self.lex.family:
                return False  # «علي الرغم»، «علي الأقل»: «على» typed with «ي»
        if bare in COMPOUND_FIRSTS and k + 1 < len(self.words) and self.words[k + 1].bare == "الدين":
            return True  # نور الدين، عز الدين
        if bare in self.exclude:
            after = self.words[k + 1].bare if k + 1 < len(self.words) and self.joined(k + 1) else ""
            if not (bare in self.lex.given and after in KUNYA):
                return False  # «تركي» is Turkish, but «تركي آل الشيخ» a name
        verdict = w.verdict
        if first:
            return verdict[2] if w.cut else verdict[1]
        if self.text[w.end - 1] == "ى" and bare not in self.lex.given and self.lex.zipf(bare) >= 4.0:
            return False  # «أولمرت التقى»: a verb's past (names with «ى» are given names: موسى، يحيى)
        return verdict[0] or self.family_name(k)

    def family_name(self, k: int) -> bool:
        """Is word k, which the word lists take for an everyday word, a family name right after
        a word that may start a name?
        - an indefinite nisba (…ي), whose «ال» form is frequent: «علي خامنئي»، «ستيف كوري»;
        - a family name of the name lists that is also an everyday word: «حسني مبارك»;
        - a rare definite word after a common given name: «فؤاد السنيورة»."""
        w = self.words[k]
        bare = w.bare
        if k == 0 or not self.words[k - 1].verdict[1] or len(bare) < 4 or w.cut:
            return False
        lex = self.lex
        if lex.is_suffixed(bare) or lex.is_verb(bare) or self.verb_like(bare) or bare in _NOT_PLACES:
            return False
        if bare.startswith("ال"):
            return (
                lex.zipf(bare) < 3.8
                # not an adjective, a participle or a plural (الرمضانية، المغلق، المهربين)
                and not bare.endswith(("ي", "يه", "ين", "ون", "ات"))
                and not bare.startswith("الم")
                and lex.starts_a_name(self.words[k - 1].bare)
            )
        if bare in lex.family and lex.is_person_name(bare) and bare not in TITLES and bare not in ROLE_HEADS:
            return lex.zipf(bare) < 5.0  # not «رئيس»، «صباح»: the lists hold them as names too
        return (
            self.text[w.end - 1] == "ي"  # not «ى» (مقهى، معافى)
            and lex.zipf(bare) < 4.5
            and not (bare[0] == "س" and lex.is_inflected(bare))  # «ستجري»: a verb's future
        )

    def preposition(self, w: _Word) -> bool:
        """Is ``w`` (one of ``_MAQSURA_WORDS``) the preposition: written with «ى», or in a text
        that never writes «ى» (there «علي» may be «على» typed with «ي»)?"""
        return self.text[w.end - 1] == "ى" or not self.writes_ya_maqsura

    def verb_like(self, bare: str) -> bool:
        return _verb_like(bare, self.lex)

    def is_definite(self, k: int) -> bool:
        bare = self.words[k].bare
        return bare.startswith("ال") and len(bare) > 3

    # -- people ----------------------------------------------------------------------------

    def name_end(self, start: int) -> int:
        """The end of a person's name starting at ``start`` (start itself if none)."""
        words = self.words
        end = start
        while end < len(words) and end - start < MAX_NAME_WORDS and (end == start or self.joined(end)):
            w = words[end]
            if w.cut and end > start:
                break
            bare = w.bare
            if end > start and bare == "الدين" and words[end - 1].bare in COMPOUND_FIRSTS:
                end += 1  # نور الدين، عز الدين
                continue
            if bare in KUNYA and end + 1 < len(words) and self.joined(end + 1) and not words[end + 1].cut:
                # عبد الرحمن، أبو الغيط، آل الشيخ، بن سلمان: the particle takes the next word, whatever it is.
                if end == start and bare in ("بن", "بنت", "ال"):
                    break
                if words[end + 1].bare in STOP or len(words[end + 1].bare) < 2:
                    break
                end += 2
                if words[end - 1].bare in KUNYA and end < len(words) and self.joined(end) and not words[end].cut:
                    end += 1  # بن عبد العزيز: the second particle takes its word too
                continue
            if end > start and bare == "الدين" and words[end - 1].bare in COMPOUND_FIRSTS:
                end += 1  # نور الدين، عز الدين
                continue
            if not self.is_name_word(end, first=end == start):
                break
            end += 1
        return end

    def common_tail(self, bares: list[str]) -> bool:
        """Is a two-word name found without a title an everyday word (that is also a rare
        given name) and a definite word that is no family name and no nisba (…ي): a noun
        phrase rather than a name?"""
        if len(bares) != 2:
            return False
        first, last = bares
        return (
            self.lex.zipf(first) >= 4.0  # an everyday word first (تحسين، فضل), not «محمد»
            and self.lex.given_people.get(first, 0) < 100
            and last.startswith("ال")
            and last not in self.lex.family
            and not last.endswith("ي")
            and not self.lex.is_person_name(last[2:])
        )

    def role_before(self, start: int) -> tuple[str, int] | None:
        """(evidence, first word) of a title or role phrase ending right before ``start``:
        a title, maybe with an adjective (الرئيس الأمريكي), or a role head with its
        complement of definite words (وزير الخارجية الأمريكي، المتحدث باسم الوزارة)."""
        if start == 0 or not self.joined(start):
            return None
        for back in range(1, MAX_ROLE_WORDS + 1):
            k = start - back
            if k < 0 or (back > 1 and not self.joined(k + 1)):
                return None
            w = self.words[k]
            if w.bare in TITLES and (back <= 2 or w.bare in ROLE_HEADS):
                return "title", k
            if w.bare in ROLE_HEADS:
                return "role", k
            if back > 1 and w.bare in TITLES:
                return "title", k
            # What may stand between a role head and the name: its definite complement.
            if w.bare in STOP or w.bare.isdigit() or not (self.is_definite(k) or w.bare == "باسم"):
                return None
            if w.cut and not w.norm.startswith(("لل", "ال")) and not (w.cut == 1 and w.norm[0] in "لو"):
                return None
        return None

    def people(self) -> None:
        lex = self.lex
        words = self.words
        resume = 0  # the first word after the last name found
        for k in compress(count(), map(_MAY_START_A_NAME, words)):
            if k < resume or self.claimed[k]:
                continue
            end = self.name_end(k)
            if end == k:
                continue
            role = self.role_before(k)
            bares = [w.bare for w in self.words[k:end]]
            evidence = ""
            if role is not None:
                evidence = role[0]
            elif any(b in PARTICLES for b in bares[1:]) or bares[0] in KUNYA:
                evidence = "particle"
            elif len(bares) >= 2 and lex.starts_a_name(bares[0]):
                evidence = "given"  # «محمد الداهش»، «دونالد ترامب»: a given name and more name words
            elif len(bares) >= 2 and not any(lex.is_known(b) for b in bares):
                evidence = "unknown"  # «ساديو ماني»: words no list knows, side by side
            elif (
                (
                    len(bares) >= 2
                    and not bares[0].startswith("ال")
                    and all(lex.is_person_name(b) or not lex.is_known(b) for b in bares)
                    and any(lex.starts_a_name(b) or b in lex.family for b in bares)
                )
                or (
                    len(bares) >= 2
                    and 0 < lex.zipf(bares[0]) < 4.0
                    and bares[0][0] not in "يتناس"
                    and not bares[0].endswith(("ت", "وا"))
                    and not any(lex.is_known(b) or len(b) < 4 for b in bares[1:])
                )
                or (
                    # «ماركوس بيرغ»، «ستيفن منوتشين»: a foreign given name wordfreq knows (no everyday
                    # noun, verb or particle) and words no list knows
                    len(bares) >= 2
                    and 4.0 <= lex.zipf(bares[0]) < 4.8
                    and not lex.is_noun(bares[0])
                    and not lex.is_verb(bares[0])
                    and bares[0][0] not in "يتن"
                    and not bares[0].endswith(("ت", "وا"))  # «دفعت»، «بقيت»: a verb's past
                    and not bares[0].startswith("ال")
                    and not any(lex.is_known(b) or len(b) < 4 for b in bares[1:])
                )
            ):
                evidence = "foreign"  # «كيفن غاميرو»، «خافيير سولانا»: names and words no list knows
            if evidence in ("foreign", "unknown", "given") and self.common_tail(bares):
                continue  # «تحسين المردود»، «فضل التحصينات»: a word, then a definite noun no name list has
            if (
                self.sports
                and evidence in ("foreign", "unknown", "given")
                and bares[0] in lex.places
                and lex.places[bares[0]][1] >= 100_000
                and not lex.is_person_name(bares[0])
            ):
                continue  # «هيوستون روكتس» in a sports story: a club, left to the gazetteer
            if not evidence or (len(bares) == 1 and evidence not in ("title", "role")):
                resume = end if evidence else resume
                continue
            if len(bares) == 1 and (lex.zipf(bares[0]) >= 4.6 or bares[0] in lex.places or bares[0].startswith("ال")):
                resume = end
                continue
            role_text = _written(self.text, self.words, role[1], k) if role is not None else ""
            text = _written(self.text, self.words, k, end)
            self.found.append(Candidate("person", normalize_words(text), text, evidence, role_text))
            self.claim(k, end)
            resume = end

    # -- organisations and places ----------------------------------------------------------------

    def _conjunct(self, k: int) -> bool:
        """Is word k «و» + an everyday definite noun that can continue a body's name?"""
        if k >= len(self.words) or not self.joined(k):
            return False
        w = self.words[k]
        bare = w.bare
        return (
            w.cut == 1
            and w.norm.startswith("وال")
            and self.is_definite(k)
            and self.lex.is_noun(bare)
            and bare[2:] not in ORG_HEADS
            and bare[2:] not in PLACE_HEADS
            and bare not in TITLES
            and bare not in ROLE_HEADS
            and bare[2:] not in ROLE_HEADS
        )

    def complement_end(self, start: int, *, definite_head: bool, conjuncts: int = 0) -> tuple[int, bool]:
        """The end of a head noun's complement (idafa chain, then adjectives, then up to
        ``conjuncts`` «و» + definite nouns), and whether it holds a proper name (a word no
        everyday list knows)."""
        lex = self.lex
        end, proper = start, False
        state = "adjective" if definite_head else "chain"
        while end < len(self.words) and end - start < MAX_NAME_WORDS and self.joined(end):
            w = self.words[end]
            bare = w.bare
            if lex.is_function(bare) and end == start and not definite_head and self._brand(end):
                proper, state = True, "adjective"  # «شركة تويتر»، «موقع فيسبوك»: a brand as frequent as a particle
                end += 1
                continue
            if lex.is_function(bare) or bare in STOP or bare.isdigit() or (bare in TITLES and state != "chain"):
                break
            if bare in ("بن", "بنت") and end > start and end + 1 < len(self.words) and self.joined(end + 1):
                end += 2  # ملعب هزاع بن زايد، جامعة محمد بن سعود
                continue
            nisba = bare.startswith("ال") and (bare.endswith("ي") or bare.endswith("يه"))
            if lex.is_suffixed(bare) or (w.cut and not w.norm.startswith("لل") and state == "chain"):
                break
            if state == "chain":
                if self.is_definite(end) or not lex.is_known(bare) or lex.is_person_name(bare):
                    proper = proper or not lex.is_noun(bare)
                    state = "adjective" if self.is_definite(end) or not lex.is_noun(bare) else "chain"
                    end += 1
                    continue
                if lex.is_noun(bare) or self.construct(end):  # an indefinite noun: the chain goes on
                    end += 1
                    continue
                if bare[0] >= "\u0621" and not lex.is_inflected(bare) and not self.verb_like(bare):
                    proper, state = True, "adjective"  # a name the word lists know (رويترز، مدريد)
                    end += 1
                    continue
                break
            # adjective state: nisba and name adjectives; «لـ» + definite starts a new chain
            if w.norm.startswith("لل") or (w.cut == 1 and w.norm.startswith("ل") and self.is_definite(end)):
                state = "chain" if not self.is_definite(end) else "adjective"
                end += 1
                continue
            if w.cut:
                break
            if self.words[end - 1].bare in TITLES and self.is_name_word(end):
                end += 1  # جامعة الملك سعود، مستشفى الأمير سلطان
                continue
            if lex.is_person_name(self.words[end - 1].bare) and not self.is_definite(end) and self.is_name_word(end):
                end += 1  # مطار حامد كرزاي
                continue
            if bare in DESCRIPTIVE_ADJECTIVES:
                break  # «حزب المعارضة الرئيسي»، «الأمين العام السابق»: what the body is now, not its name
            if nisba or bare in NAME_ADJECTIVES:
                end += 1
                continue
            break
        while conjuncts and end > start and self.is_definite(end - 1) and self._conjunct(end):
            # وزارة التجارة والاستثمار، لجنة الصحة والشؤون الاجتماعية: «و» + a definite noun
            more, more_proper = self.complement_end(end + 1, definite_head=True)
            end, proper, conjuncts = max(more, end + 1), proper or more_proper, conjuncts - 1
        # A chain that never reached a definite word or a name is no name («مجموعة كبيرة»).
        while end > start and not (self.is_definite(end - 1) or not self.lex.is_noun(self.words[end - 1].bare)):
            end -= 1
        return end, proper

    def _brand(self, k: int) -> bool:
        """May word k, a word as frequent as a particle, be a body's name right after its head
        noun? Not a particle, a verb or a word with a pronoun or verb ending."""
        w = self.words[k]
        bare = w.bare
        return (
            not w.cut
            and len(bare) >= 4
            and bare not in STOP
            and not bare.startswith("ال")
            and not bare.endswith(("ت", "وا", "ها", "هم"))
            and not self.lex.is_verb(bare)
            and not self.lex.is_suffixed(bare)
            and not self.lex.is_inflected(bare)
        )

    def channel_number(self, k: int) -> bool:
        """Is word k a short number right after a channel's name (not a year)?"""
        if k >= len(self.words) or not self.joined(k) or self.words[k].cut:
            return False
        bare = self.words[k].bare
        return bare.isdigit() and len(bare) <= 3

    def construct(self, k: int) -> bool:
        """Is word k a frequent word (that the lists do not mark as a noun) in construct
        with the definite word after it: «مكافحة الإرهاب»، «مراقبة الأصول»?"""
        return (
            self.lex.zipf(self.words[k].bare) >= 4.5
            and not self.lex.is_person_name(self.words[k].bare)
            and k + 1 < len(self.words)
            and self.joined(k + 1)
            and not self.words[k + 1].cut
            and self.is_definite(k + 1)
            and self.lex.is_noun(self.words[k + 1].bare)
        )

    def bodies(self) -> None:
        """Organisations and places introduced by their head noun."""
        for k in self.where(_HEAD_FORMS):
            w = self.words[k]
            if self.claimed[k]:
                continue
            bare = w.bare
            definite = bare.startswith("ال") and len(bare) > 4
            head = bare[2:] if definite else bare
            if head not in ORG_HEADS and head not in PLACE_HEADS:
                continue
            if w.cut and not w.norm.startswith("لل") and self.lex.is_person_name(head):
                continue
            if head in CONTAINER_HEADS and k + 1 < len(self.words) and self.words[k + 1].bare in ORG_HEADS:
                continue  # «جماعة حزب الله»، «موقع قناة العالم»: the body named inside is the name
            if (
                not definite
                and head in ORG_HEADS
                and k + 1 < len(self.words)
                and self.words[k + 1].norm.startswith("لل")
            ):
                continue  # «مدرسة للتعليم الفني»، «شركة لصناعة السيارات»: a school, a company, not a name
            end, proper = self.complement_end(k + 1, definite_head=definite, conjuncts=2 if head in ORG_HEADS else 0)
            if end == k + 1 or not self.free(k, end):
                continue
            if head in MEDIA_HEADS and proper and self.channel_number(end):
                end += 1  # «قناة فرانس 24»، «فرانس 3»: the channel's number is its name
            claimed = end
            if proper or head in MEDIA_HEADS:
                while end > k + 2 and self.words[end - 1].bare in self.exclude and self.words[end - 1].bare[:2] == "ال":
                    end -= 1  # «شركة مايكروسوفت الأميركية» is «شركة مايكروسوفت»
            if definite and not any(
                self.words[j].bare in NAME_ADJECTIVES or self.words[j].bare.endswith(("ي", "يه"))
                for j in range(k + 1, end)
            ):
                continue  # «الوزارة» and «المجلس» alone are no names
            if definite and head in PLACE_HEADS_ADMIN:
                continue  # «المنطقة العربية»، «المدينة الساحلية»: a description, not a name
            if head in PLACE_HEADS_ADMIN and (self.bares[k + 1] in TITLES or self.bares[k + 1] in ROLE_HEADS):
                continue  # «ولاية الرئيس الحالي» is a president's term (but «مطار الملك خالد» an airport)
            if head == "ريف" and (definite or not proper):
                continue  # «ريف دمشق» is a governorate, «ريف المدينة» and «الريف» the countryside
            if head == "حي" and (not proper or self.lex.is_known(self.words[k + 1].bare)):
                continue  # «حي» is also «alive», «حيّا»: a quarter needs a name right after it (حي الملز)
            if head in PLACE_HEADS and not all(
                x.bare.isalpha() and "\u0621" <= x.bare[0] <= "\u064a" for x in self.words[k:end]
            ):
                continue
            if head in ORG_HEADS:
                last = self.words[end - 1].bare
                nisba = self.is_definite(end - 1) and last.endswith(("ي", "يه")) and last not in ORDINALS
                # «الجيش اليمني»: a definite head and a country's adjective; «مكتب الإحصاءات الوطنية»:
                # a head, a definite noun and an adjective. Not «المستشفى الجهوي», «المركز الثاني».
                described = (definite and last in self.exclude) or (not definite and nisba and end - k >= 3)
                if head not in ORG_HEADS_STRONG and not proper and not described:
                    continue  # «قوات مكافحة»: a weak head needs a name, or an adjective to close it (الجيش اليمني)
                alias = ""
                if head in MEDIA_HEADS and claimed > k + 2:
                    # «قناة الحوار التونسي» is also «الحوار التونسي» (an everyday word's name keeps its
                    # adjective); «موقع BFMTV الفرنسي» is also «BFMTV»
                    alias = normalize_words(_written(self.text, self.words, k + 1, end if proper else claimed))
                elif end == k + 2 and (proper or head in ALIAS_HEADS):
                    alias = normalize_words(_written(self.text, self.words, k + 1, end))  # «حركة حماس» is also «حماس»
                text = _written(self.text, self.words, k, end)
                self.found.append(Candidate("organization", normalize_words(text), text, "head", alias=alias))
            else:
                start = k + 1 if head in PLACE_HEADS_ADMIN else k
                text = _written(self.text, self.words, start, end)
                self.found.append(Candidate("place", normalize_words(text), text, "head"))
            if head not in PLACE_HEADS_ADMIN:
                self.places_inside(k + 1, end)
            self.claim(k, claimed)

    def places_inside(self, start: int, end: int) -> None:
        """A city named inside a body's or a landmark's name is mentioned too: «مطار سياتل»،
        «جامعة القاهرة» (as a reader lists them). Only names that are no everyday word."""
        lex = self.lex
        for j in range(start, end):
            bare = self.bares[j]
            if (
                bare in lex.places
                and bare not in self.exclude
                and bare not in _NOT_PLACES
                and _place_rule(bare, lex)[1]
            ):
                if lex.is_noun(bare) or lex.places[bare][1] < 100_000:
                    continue
                text = _written(self.text, self.words, j, j + 1)
                self.found.append(Candidate("place", bare, text, "gazetteer"))

    def is_letter(self, k: int, bare: str) -> bool:
        """May word k be a Latin letter's name? «أن»، «أو»، «أم» (hamza above) are words; the
        letters N, O, M are written «إن»، «او»، «إم»."""
        if bare in LETTER_NAMES:
            return True
        return bare in LETTER_WORDS and self.text[self.words[k].end - len(bare)] != "أ"

    def acronyms(self) -> None:
        """Latin letters spelled in Arabic script (بي بي سي، إن بي إيه، زد دي إف), a radio
        station's «… إف إم», and capitalised Latin acronyms (CNN)."""
        words = self.words
        text = self.text
        resume = 0  # the first word after the last acronym found
        starts = self.where(_ACRONYM_STARTS, by_norm=True)
        if _LATIN.search(text):
            starts = sorted({*starts, *(k for k, w in enumerate(words) if "a" <= w.norm[:1] <= "z")})
        for k in starts:
            if k < resume:
                continue
            w = words[k]
            # «لبي بي سي»: the first letter may carry a proclitic
            lead = w.norm[1:] if w.norm[:1] in "وفبل" and w.norm[1:] in LETTER_NAMES else w.bare
            if (w.cut and lead == w.bare) or not self.is_letter(k, lead):
                latin = text[w.start : w.end]
                if (
                    latin.isascii()
                    and latin.isalpha()
                    and latin.isupper()
                    and 2 <= len(latin) <= 6
                    and w.norm not in LATIN_STOP
                    and not self.claimed[k]
                    and not (text[w.start - 1 : w.start] == "(" and text[w.end : w.end + 1] == ")")
                ):  # «(CNN)» is a dateline's credit or a name's abbreviation, not a mention
                    self.found.append(Candidate("organization", w.norm, latin, "latin"))
                    self.claim(k, k + 1)
                continue
            end = k + 1
            while end < len(words) and self.joined(end) and not words[end].cut and self.is_letter(end, words[end].bare):
                end += 1
            letters = [lead, *(x.bare for x in words[k + 1 : end])]
            if len(letters) >= 3 and letters[-1] in ("ان", "او") and letters[-2] != letters[-1]:
                end -= 1  # «لبي بي سي إن…»: BBC, then «إنّ» (but «سي إن إن» is CNN)
                letters.pop()
            distinct = sum(b in LETTER_NAMES for b in letters)
            start = k
            if letters == ["اف", "ام"] and k > 0 and self.joined(k) and self.words[k - 1].verdict[0]:
                start = k - 1  # «الجوهرة إف إم»: the station's name and FM
                if self.claimed[start]:
                    start = k
            spelled = start < k or (len(letters) >= 2 and distinct >= 2) or (len(letters) >= 3 and distinct >= 1)
            if spelled and self.free(start, end):
                name = _written(text, words, start, end)
                if start == k and lead != w.bare:
                    name = name[1:]
                self.found.append(Candidate("organization", normalize_words(name), name, "acronym"))
                self.claim(start, end)
            resume = end

    def gazetteer(self) -> None:
        lex = self.lex
        sports = self.sports
        starts = lex.place_starts
        for k in self.where(starts):
            w = self.words[k]
            if self.claimed[k]:
                continue
            # The longest name that may start here: words joined by name gaps, with no proclitic.
            longest, words = starts[w.bare], self.words
            span = 1
            while span < longest and k + span < len(words) and words[k + span].joined and not words[k + span].cut:
                span += 1
            for size in range(span, 0, -1):
                end = k + size
                if not self.free(k, end):
                    continue
                key = w.bare if size == 1 else " ".join(self.bares[k:end])
                if key not in lex.places:
                    continue
                if size == 1 and not self.single_place(k, key, sports):
                    continue
                if size == 1 and key in _NOT_PLACES:
                    continue  # «مدينة»، «الأكاديمية»: head nouns GeoNames also lists as towns
                locative = w.cut > 0 or (k > 0 and self.words[k - 1].bare in _LOCATIVES_AND_HEADS)
                club = sports and not locative and lex.places[key][0] != "" and not lex.is_noun(key)
                start = k
                if sports:
                    start, end, named = self.club_name(k, end)
                    club = club or named
                text = _written(self.text, self.words, start, end)
                self.found.append(
                    Candidate("organization" if club else "place", normalize_words(text), text, "gazetteer")
                )
                self.claim(start, end)
                break

    def club_name(self, start: int, end: int) -> tuple[int, int, bool]:
        """A city's name widened to its club's in a sports story: «ريال مدريد»، «مانشستر
        سيتي»، «هيوستون روكتس»; and whether it was widened."""
        words, lex = self.words, self.lex
        first = start
        if start > 0 and self.joined(start) and not words[start].cut and words[start - 1].bare in CLUB_WORDS:
            first = start - 1
        last = end
        while (
            last < len(words)
            and last - first < 4
            and self.joined(last)
            and not words[last].cut
            and (
                words[last].bare in CLUB_WORDS
                or not (lex.is_known(words[last].bare) or words[last].bare in STOP or words[last].bare[:2] == "ال")
            )
            and words[last].bare.isalpha()
            and self.free(last, last + 1)
        ):
            last += 1
        return first, last, (first, last) != (start, end)

    def single_place(self, k: int, key: str, sports: bool = False) -> bool:
        """May the one word ``key`` at k be the GeoNames place? Everyday words need a
        large city and a locative context; unknown words a city or a locative. A word
        that a name follows starts that name (ستيف كوري، فلاديمير بوتين)."""
        w = self.words[k]
        locative = (w.cut > 0 and w.norm[0] in "بل") or (k > 0 and self.words[k - 1].bare in LOCATIVES)
        if sports and k > 0 and self.joined(k) and not w.cut and self.words[k - 1].bare in CLUB_WORDS:
            return True  # «أتلتيكو مدريد»: the club's city, whatever follows
        if not locative and self.joined(k + 1) and not self.words[k + 1].cut:
            after = self.words[k + 1].bare
            name_follows = self.is_name_word(k + 1, first=True) and (
                self.lex.is_person_name(after) or not self.lex.is_known(after)
            )
            club_follows = self.sports and (after in CLUB_WORDS or not self.lex.is_known(after))
            if name_follows and not club_follows:
                return False
        plain, after_locative, club = _place_rule(key, self.lex)
        return after_locative if locative else plain or (sports and club)

    def clubs(self) -> None:
        """In a sports story, «فريق X» and «نادي X» name the club X, and X alone names it
        too: «فوز الهلال على النصر» (pass two finds X alone in the story's ``sports_words``)."""
        if not self.sports:
            return
        words = self.words
        for k in range(len(words) - 1):
            head, club = words[k], words[k + 1]
            if head.bare not in CLUB_HEADS or head.cut > 1 or not self.joined(k + 1) or club.cut:
                continue
            bare = club.bare
            if (
                not self.is_definite(k + 1)
                or bare in NOT_CLUBS
                or bare in self.exclude
                or bare in SPORTS_CUES
                or bare in NAME_ADJECTIVES
                or self.lex.is_suffixed(bare)
                or bare.endswith(("ين", "ون", "ات"))  # «لاعبي الفريقين»، «جماهير المشجعين»
                or self.lex.zipf(bare) >= 5.0  # «نادي العاصمة»: too common a word to name a club
                or (self.lex.is_verb(bare[2:]) and not self.lex.is_noun(bare))
            ):
                continue
            # «فريق الهلال الأول»: an adjective after it describes the team, and X is still the club
            text = _written(self.text, words, k + 1, k + 2)
            self.found.append(Candidate("organization", bare, text, "club"))
        # «الوداد البيضاوي»، «المغرب الفاسي»، «الكوكب المراكشي»: a definite word and its city's nisba
        for k in range(len(words) - 1):
            first, city = words[k], words[k + 1]
            if first.cut > 1 or city.cut or not self.joined(k + 1) or not self.is_definite(k):
                continue
            bare = first.bare
            if (
                self.claimed[k]
                or self.claimed[k + 1]
                or bare in NOT_CLUBS
                or bare in SPORTS_CUES
                or bare in NAME_ADJECTIVES
                or bare in _NOT_PLACES
                or bare.endswith(("ي", "يه", "ين", "ون", "ات"))
                or self.lex.is_suffixed(bare)
                or (self.lex.zipf(bare) >= 4.6 and bare not in self.exclude)  # «الجمهور السوسي»: the crowd
                or not self.city_nisba(city.bare)
            ):
                continue
            text = _written(self.text, words, k, k + 2)
            self.found.append(Candidate("organization", normalize_words(text), text, "city_club"))
            self.claim(k, k + 2)

    def city_nisba(self, bare: str) -> bool:
        """Is ``bare`` the definite nisba of a city (not a country): «الفاسي»، «الوجدية»؟"""
        if not bare.startswith("ال") or bare in self.exclude or self.lex.zipf(bare) >= 3.5:
            return False  # «الرياضي» is no nisba of a town «رياض»
        stem = bare[2:]
        for ending in ("يه", "ي"):
            if stem.endswith(ending):
                base = stem[: -len(ending)]
                for city in (base, base + "ه"):  # فاس → الفاسي; وجدة → الوجدية
                    place = self.lex.places.get(city)
                    if place is not None and place[1] >= 100_000 and city not in self.exclude:
                        return True
        return False

    def located(self, ambiguous: frozenset[str]) -> tuple[str, ...]:
        """The ambiguous place names of ``ambiguous`` that this text uses as places: right
        after a locative («إلى جدة»، «في مالي») or with «ب» (بجدة), and not the head of an
        idafa («جدة الطفل» is a child's grandmother)."""
        if not ambiguous:
            return ()
        words = self.words
        found: set[str] = set()
        for k, w in enumerate(words):
            if w.bare not in ambiguous or w.bare in found:
                continue
            after = k + 1 < len(words) and self.joined(k + 1) and self.is_definite(k + 1) and not words[k + 1].cut
            locative = (w.cut == 1 and w.norm[0] == "ب") or (
                not w.cut and k > 0 and self.joined(k) and words[k - 1].bare in LOCATIVES
            )
            if locative and not after:
                found.add(w.bare)
        return tuple(sorted(found))

    def sports_words(self) -> tuple[str, ...]:
        if not self.sports:
            return ()
        return tuple(sorted({w.bare for w in self.words if w.bare.startswith("ال") and len(w.bare) > 3}))

    def runs(self) -> tuple[str, ...]:
        """Maximal runs of joined words that may hold a name: where pass two looks
        for names learned elsewhere."""
        runs: list[str] = []
        current: list[str] = []
        exclude = self.exclude
        for w in self.words:
            bare, verdict = w.bare, w.verdict
            # A name word (the word's own verdict; a family name may start with «ال»), or a particle.
            namey = (
                (verdict[2] if w.cut else verdict[1] or (verdict[0] and bare.startswith("ال")))
                and bare not in exclude
                and not (bare in NAMES_LIKE_STOP and self.preposition(w))
            )
            namey = namey or (not w.cut and bare in PARTICLES)
            if namey and current and w.joined and not w.cut:
                current.append(bare)
                continue
            if current and any(b not in PARTICLES for b in current):
                runs.append(" ".join(current))
            current = [bare] if namey else []
        if current and any(b not in PARTICLES for b in current):
            runs.append(" ".join(current))
        return tuple(dict.fromkeys(runs))


def discover_in(
    title: str,
    summary: str,
    body: str,
    taxonomy: Taxonomy | None = None,
    *,
    lex: Lexicon | None = None,
    dateline_place: str = "",
) -> Discovered:
    """The candidate entities of one article, and its name runs. The taxonomy's one-word
    country and place names and the countries' adjectives start no other name (names the
    taxonomy holds are left to it in pass two). ``dateline_place``, the city of the
    article's dateline, is a place whatever the lists say."""
    lex = lex or lexicon()
    text = "\n\n".join(part for part in (title, summary, body) if part)
    article = _Article(text, lex, taxonomy_words(taxonomy) if taxonomy is not None else frozenset())
    article.acronyms()
    article.bodies()
    article.people()
    article.gazetteer()
    article.clubs()
    found = list(dict.fromkeys(article.found))
    place = normalize_words(dateline_place)
    if place and not any(c.key == place for c in found):
        found.insert(0, Candidate("place", place, dateline_place.strip(), "dateline"))
    bares = set(article.bares)
    amman = bool(bares & JORDAN_CUES) and not bares & OMAN_CUES and "عمان" in bares
    ambiguous = taxonomy_ambiguous(taxonomy) if taxonomy is not None else frozenset()
    located = article.located(ambiguous) if not ambiguous.isdisjoint(bares) else ()
    return Discovered(tuple(found), article.runs(), amman, article.sports_words(), located)


def taxonomy_ambiguous(taxonomy: Taxonomy) -> frozenset[str]:
    """One-word names of the taxonomy's places and countries that it never matches alone
    (``no_match``: جدة، مالي، بنين), normalised."""
    cached = taxonomy.cache.get("discovery_ambiguous")
    if cached is None:
        cached = frozenset(
            normalize(name)
            for entity in taxonomy.entities
            if entity.type in ("country", "place")
            for name in entity.no_match
            if len(normalize(name).split()) == 1
        )
        taxonomy.cache["discovery_ambiguous"] = cached
    return cached


def taxonomy_words(taxonomy: Taxonomy) -> frozenset[str]:
    """One-word names of the taxonomy's countries and places, and the countries' adjectives
    (with the article and the endings news copy gives them): never part of a person's name."""
    cached = taxonomy.cache.get("discovery_exclude")
    if cached is None:
        words: set[str] = set()
        for entity in taxonomy.entities:
            if entity.type not in ("country", "place"):
                continue
            for name in (*entity.names, *entity.no_match):
                parts = normalize(name).split()
                if len(parts) == 1:
                    words.add(parts[0])
            for demonym in entity.demonyms:
                stem = normalize(demonym)
                for ending in ("", "ه", "ون", "ين", "ان", "ات"):
                    words.update((stem + ending, "ال" + stem + ending))
        cached = taxonomy.cache["discovery_exclude"] = frozenset(words)
    return cached
