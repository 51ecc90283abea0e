"""Find the taxonomy's entities in an article, and link their first mentions.

Matching is Arabic-aware and deterministic: text is compared token by token in
the project's normalised form (``builder.arabic.normalize``), a token may carry
the proclitics و ف ب ل ك and ال / لل, demonyms may carry the nisba endings
(ي ية يون يين يان يات), multi-word names match as a unit, and the longest match
wins. Display text is never changed: links wrap the words as written.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from builder.arabic import normalize, sort_key
from builder.model import Article, EntityRef, Problem, Severity
from builder.slugs import slugify
from builder.taxonomy import TYPES, Entity, Taxonomy, keep_shadda

# A token: letters and digits plus the marks, tatweel and joiners that sit inside Arabic
# words; "_" separates (hashtags such as #قطاع_غزة).
_TOKEN = re.compile(r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d])+")
# What may separate the words of one name: spaces, at most one line break, a hyphen,
# quotation marks (لتحالف "دعم الشرعية").
_GAP = re.compile(r"[ \t\u00a0\"«»“”]*(?:[-\u2010\u2011][ \t\u00a0]*)?\n?[ \t\u00a0\"«»“”]*")
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")
_NISBA_ENDINGS = ("ي", "يه", "يون", "يين", "يان", "يات")
# Titles that precede a name but are not part of it.
_HONORIFICS = frozenset(
    normalize(h)
    for h in (
        "الشيخ",
        "الشيخة",
        "السيد",
        "السيدة",
        "الدكتور",
        "الدكتورة",
        "د",
        "معالي",
        "سعادة",
        "سمو",
        "الأمير",
        "الأميرة",
        "فخامة",
        "المهندس",
    )
)
_MIN_STEM = 2  # letters that must remain after removing a proclitic

_IGNORE = -1  # target of an ``ignore`` phrase


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    norm: str
    joined: bool
    marked: str  # norm with the shadda kept  # separated from the previous token only by a name gap


@dataclass(frozen=True)
class Match:
    start: int  # character offsets in the text, whole tokens (proclitics included)
    end: int
    entity: Entity


@dataclass(frozen=True)
class _Matcher:
    names: dict[tuple[str, ...], int]  # normalised token sequence -> entity index or _IGNORE
    lengths: dict[str, tuple[int, ...]]  # first token -> name lengths, longest first
    demonyms: dict[str, int]  # normalised inflected demonym (no ال) -> entity index
    written: dict[str, int]  # one-word names matched with their shadda
    nisba_singular: frozenset[str]  # ال + masculine singular demonyms (قطري → القطري)
    entities: tuple[Entity, ...]


@lru_cache(maxsize=65536)
def _forms(word: str) -> tuple[str, str]:
    """(normalised, normalised with shadda) of one word; words repeat, so cache them."""
    return normalize(word), keep_shadda(word)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    previous_end: int | None = None
    for found in _TOKEN.finditer(text):
        norm, marked = _forms(found.group())
        if not norm:
            continue
        joined = previous_end is not None and _GAP.fullmatch(text, previous_end, found.start()) is not None
        tokens.append(Token(found.start(), found.end(), norm, joined, marked))
        previous_end = found.end()
    return tokens


def _name_tokens(text: str, is_person: bool) -> tuple[str, ...]:
    words = [t.norm for t in tokenize(text)]
    while is_person and len(words) > 1 and words[0] in _HONORIFICS:
        words = words[1:]
    return tuple(words)


def _spellings(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """``عبد الرحمن`` and ``عبدالرحمن``, ``أبو ظبي`` and ``أبوظبي``: both are written."""
    variants = {words}
    for i, word in enumerate(words[:-1]):
        if word in ("عبد", "ابو", "بن", "ابن"):
            variants.add((*words[:i], word + words[i + 1], *words[i + 2 :]))
        for prefix in ("عبد", "ابو"):
            rest = word.removeprefix(prefix)
            if word.startswith(prefix) and len(rest) >= 3:
                variants.add((*words[:i], prefix, rest, *words[i + 1 :]))
    return variants


def _build(taxonomy: Taxonomy) -> _Matcher:
    names: dict[tuple[str, ...], int] = {}
    demonyms: dict[str, int] = {}
    singular: set[str] = set()
    for index, entity in enumerate(taxonomy.entities):
        for name in entity.names:
            words = _name_tokens(name, entity.type == "person")
            for variant in _spellings(words) if words else ():
                names.setdefault(variant, index)
        for demonym in entity.demonyms:
            base = normalize(demonym)  # listed without the article (ألماني starts with ال)
            if base.endswith("ي"):
                for ending in _NISBA_ENDINGS:
                    demonyms.setdefault(base[:-1] + ending, index)
                singular.add("ال" + base)
            else:  # a broken plural (روس، أتراك) is listed as written
                demonyms.setdefault(base, index)
    written = {keep_shadda(w): i for i, e in enumerate(taxonomy.entities) for w in e.written}
    for phrase in taxonomy.ignore:
        words = _name_tokens(phrase, False)
        if words:
            names[words] = _IGNORE
    lengths: dict[str, set[int]] = {}
    for words in names:
        lengths.setdefault(words[0], set()).add(len(words))
    return _Matcher(
        names=names,
        lengths={k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()},
        demonyms=demonyms,
        written=written,
        nisba_singular=frozenset(singular),
        entities=taxonomy.entities,
    )


def _matcher(taxonomy: Taxonomy) -> _Matcher:
    matcher = taxonomy.cache.get("matcher")
    if not isinstance(matcher, _Matcher):
        matcher = _build(taxonomy)
        taxonomy.cache["matcher"] = matcher
    return matcher


@lru_cache(maxsize=65536)
def _stems(word: str) -> tuple[str, ...]:
    """The word, then the word without each allowed proclitic sequence."""
    stems = [word]
    for conjunction in _CONJUNCTIONS:
        for preposition in _PREPOSITIONS:
            prefix = conjunction + preposition
            if prefix and word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
                stems.append(word[len(prefix) :])
        # لل = ل + ال with the alef dropped (للأمم المتحدة).
        prefix = conjunction + "لل"
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
            stems.append("ال" + word[len(prefix) :])
    return tuple(stems)


_PRONOUN_ENDINGS = ("ه", "ها", "هم", "هما", "هن", "كم", "نا")


def _is_definite(word: str) -> bool:
    return any(stem.startswith("ال") for stem in _stems(word)) and word != "الله"


def _is_family_name(stem: str, tokens: list[Token], i: int, matcher: _Matcher) -> bool:
    """``سيف السويدي`` is a man, ``الوزير السويدي`` is Swedish: a definite masculine
    nisba is an adjective only after a definite noun or one with a pronoun suffix
    (``نظيره القطري``); after a given name, or with no noun before it, it is a name."""
    if not stem.startswith("ال") or stem not in matcher.nisba_singular:
        return False
    if i == 0 or not tokens[i].joined:
        return True
    previous = tokens[i - 1].norm
    return not (_is_definite(previous) or previous.endswith(_PRONOUN_ENDINGS))


def find_matches(text: str, taxonomy: Taxonomy) -> list[Match]:
    """Every entity mention in ``text``, left to right, the longest match at each point."""
    matcher = _matcher(taxonomy)
    tokens = tokenize(text)
    matches: list[Match] = []
    i = 0
    while i < len(tokens):
        best: tuple[int, int] | None = None  # (length in tokens, target)
        for stem in _stems(tokens[i].marked) if matcher.written else ():
            if stem in matcher.written:
                best = (1, matcher.written[stem])
                break
        for stem in _stems(tokens[i].norm) if best is None else ():
            for length in matcher.lengths.get(stem, ()):
                if best is not None and length <= best[0]:
                    break
                if i + length > len(tokens) or not all(t.joined for t in tokens[i + 1 : i + length]):
                    continue
                key = (stem, *(t.norm for t in tokens[i + 1 : i + length]))
                target = matcher.names.get(key)
                if target is not None:
                    best = (length, target)
                    break
        if best is None:
            for stem in _stems(tokens[i].norm):
                target = matcher.demonyms.get(stem)
                if target is None and stem.startswith("ال"):
                    target = matcher.demonyms.get(stem[2:])
                if target is not None:
                    if not _is_family_name(stem, tokens, i, matcher):
                        best = (1, target)
                    break
        if best is None:
            i += 1
            continue
        length, target = best
        if target != _IGNORE:
            entity = matcher.entities[target]
            matches.append(Match(tokens[i].start, tokens[i + length - 1].end, entity))
        i += length
    return matches


def entity_order(ref: EntityRef) -> tuple[int, tuple[str, str], str]:
    """Type (person first), then Arabic alphabetical order, then slug."""
    rank = TYPES.index(ref.type) if ref.type in TYPES else len(TYPES)
    return (rank, sort_key(ref.name), ref.slug)


def tag_article(article: Article, taxonomy: Taxonomy, *, strict: bool = False) -> tuple[Article, tuple[Problem, ...]]:
    """The article with ``entities`` filled in, and the problems its tags raised."""
    found: dict[tuple[str, str], EntityRef] = {}

    def add(entity: Entity) -> None:
        found.setdefault((entity.type, entity.slug), entity.ref)
        if entity.implies is not None:
            country = taxonomy.get("country", entity.implies)
            if country is not None:
                found.setdefault((country.type, country.slug), country.ref)

    for text in (article.title, article.summary, article.body):
        for match in find_matches(text, taxonomy):
            add(match.entity)

    problems: list[Problem] = []
    severity = Severity.ERROR if strict else Severity.WARNING
    for tag in article.tags:
        entity = taxonomy.by_name(tag)
        if entity is not None:
            add(entity)
            continue
        name = " ".join(tag.split())
        slug = slugify(name)
        if not slug:
            problems.append(Problem(article.source_path, f"tag {tag!r} gives an empty slug; ignored", severity))
            continue
        known = taxonomy.get("topic", slug)
        if known is not None:
            add(known)
            continue
        problems.append(
            Problem(
                article.source_path,
                f"tag {name!r} is not in the taxonomy" + ("" if strict else "; it is kept as a topic"),
                severity,
            )
        )
        found.setdefault(("topic", slug), EntityRef("topic", slug, name))
    entities = tuple(sorted(found.values(), key=entity_order))
    return dataclasses.replace(article, entities=entities), tuple(problems)


# Markdown regions where a new link must not go: headings, code, existing links,
# raw HTML, URLs.
_PROTECTED = re.compile(
    r"^[ ]{0,3}(`{3,}|~{3,}).*?(?:^[ ]{0,3}\1[^\n]*$|\Z)"  # fenced code
    r"|^[ ]{0,3}#{1,6}(?:[ \t][^\n]*)?$"  # ATX heading
    r"|^[^\n]+\n[ ]{0,3}(?:=+|-+)[ \t]*$"  # setext heading
    r"|^[ ]{0,3}\[[^\]\n]+\]:[^\n]*$"  # link reference definition
    r"|`[^`\n]*`"  # inline code
    r"|<a\b.*?</a\s*>"  # HTML link
    r"|<!--.*?-->"  # HTML comment
    r"|<[^>\n]*>"  # any other tag or autolink
    r"|!?\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])?"  # Markdown link, image, bracketed text
    r"|(?:https?|ftp)://\S+|www\.\S+",  # bare URL
    re.MULTILINE | re.DOTALL | re.IGNORECASE,
)


# attr_list syntax: the link gets class="tag-mention" (styling, and a selector for tests).
MENTION_CLASS = ".tag-mention"


def _protected_spans(markdown: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PROTECTED.finditer(markdown)]


def _link_target(href: str) -> str:
    return f"<{href}>" if re.search(r"[\s()<>]", href) else href


def link_first_mentions(
    body_markdown: str,
    article: Article,
    taxonomy: Taxonomy,
    href_for: Callable[[EntityRef], str],
) -> str:
    """``body_markdown`` with the first mention of each of the article's entities
    turned into a link ``[text as written](href){ .tag-mention }`` (needs the
    ``attr_list`` extension); never in a heading, never inside a link or code."""
    wanted = {(ref.type, ref.slug): ref for ref in article.entities}
    protected = _protected_spans(body_markdown)
    edits: list[tuple[int, int, str]] = []
    seen: set[tuple[str, str]] = set()
    for match in find_matches(body_markdown, taxonomy):
        key = (match.entity.type, match.entity.slug)
        if key in seen or key not in wanted:
            continue
        if any(start < match.end and match.start < end for start, end in protected):
            continue
        seen.add(key)
        text = body_markdown[match.start : match.end]
        target = _link_target(href_for(wanted[key]))
        edits.append((match.start, match.end, f"[{text}]({target}){{ {MENTION_CLASS} }}"))
    out = body_markdown
    for start, end, replacement in reversed(edits):
        out = out[:start] + replacement + out[end:]
    return out
