"""Find the taxonomy's entities in an article, and link their first mentions.

Matching is Arabic-aware and deterministic: text is compared token by token in
the project's normalised form (``builder.arabic.normalize``), a token may carry
the proclitics و ف ب ل ك and ال / لل, demonyms may carry the nisba endings
(ي ية يون يين يان يات), multi-word names match as a unit, and the longest match
wins. Display text is never changed: links wrap the words as written.

Speed (the tagger runs on every article of every build): a text is split into
words and gaps by one regex call; what a word can start (a name, a demonym, a
name written with its shadda) depends only on the word, so it is worked out once
per distinct word and remembered; only the words that can start something are
looked at again, and gaps are checked only where a multi-word name needs them.
The positions of the first mentions that may become links are recorded at tag
time (``Article.mentions``), so rendering does not tokenize again.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress
from typing import NamedTuple

from builder.arabic import normalize, sort_key
from builder.model import Article, EntityRef, Mentions, Problem, Severity
from builder.slugs import slugify
from builder.tagging.links import protected_spans
from builder.tagging.tokens import NAME_GAP, tokenize, words_and_gaps
from builder.taxonomy import TYPES, Entity, Taxonomy, keep_shadda
from builder.wire import dateline_place

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
class Match:
    start: int  # character offsets in the text, whole tokens (proclitics included)
    end: int
    entity: Entity


class _Tag(NamedTuple):
    key: tuple[str, str]  # (type, slug)
    ref: EntityRef
    order: tuple[int, tuple[str, str], str]  # entity_order(ref)


class _First(NamedTuple):
    """The names that start with one (normalised) token."""

    stem: str
    single: int | None  # target of the one-word name, if any
    longer: dict[str, tuple[int, ...]]  # second token -> lengths of the longer names, longest first


class _Start(NamedTuple):
    """What a word can start, worked out once per distinct word."""

    written: int | None  # target of a one-word name matched with its shadda
    names: tuple[_First, ...]  # the names its stems start, stems in order
    demonym: tuple[str, int, bool] | None  # (stem, target, may be a family name) of the first demonym stem
    fixed: int | None  # the target when the word is always a one-word match, whatever surrounds it


# Memo sizes: words are Zipfian, so a few hundred thousand cover any corpus; past
# that the memo starts again (results never depend on it).
_MAX_WORDS = 300_000
_MAX_GAPS = 20_000


class _Matcher:
    """The taxonomy's names as lookup tables, plus memos of per-word analysis."""

    __slots__ = (
        "demonyms",
        "entities",
        "firsts",
        "gaps",
        "key",
        "lengths",
        "names",
        "nisba_singular",
        "norms",
        "starts",
        "tags",
        "topics",
        "written",
    )

    def __init__(
        self,
        *,
        key: tuple[tuple[Entity, ...], tuple[str, ...]],
        names: dict[tuple[str, ...], int],
        lengths: dict[str, tuple[int, ...]],
        demonyms: dict[str, int],
        written: dict[str, int],
        nisba_singular: frozenset[str],
        tags: tuple[tuple[_Tag, ...], ...],
    ) -> None:
        self.key = key  # (entities, ignore) of the taxonomy it was built from
        self.entities: tuple[Entity, ...] = key[0]
        self.names = names  # normalised token sequence -> entity index or _IGNORE
        self.lengths = lengths  # first token -> name lengths, longest first
        longer: dict[str, dict[str, set[int]]] = {}
        for words in names:
            if len(words) > 1:
                longer.setdefault(words[0], {}).setdefault(words[1], set()).add(len(words))
        self.firsts = {  # first token -> the names it starts
            first: _First(
                first,
                names.get((first,)),
                {second: tuple(sorted(sizes, reverse=True)) for second, sizes in longer.get(first, {}).items()},
            )
            for first in lengths
        }
        self.demonyms = demonyms  # normalised inflected demonym (no ال) -> entity index
        self.written = written  # one-word names matched with their shadda
        self.nisba_singular = nisba_singular  # ال + masculine singular demonyms (قطري → القطري)
        self.tags = tags  # entity index -> the tags a mention gives (the entity, the country it implies)
        self.norms: dict[str, str] = {}  # word as written -> normalised (every word seen)
        self.starts: dict[str, _Start] = {}  # word as written -> what it can start (those that can)
        self.gaps: dict[str, bool] = {}  # text between two words -> may separate the words of a name
        self.topics: dict[str, tuple[Entity | None, str, str]] = {}  # front-matter tag -> (entity, name, slug)

    def __reduce__(self) -> tuple[Callable[[tuple[tuple[Entity, ...], tuple[str, ...]]], _Matcher], tuple[object]]:
        # A taxonomy sent to a worker process carries its matcher as a reference:
        # the worker uses (or builds once) its own, memos included.
        return _shared_matcher, (self.key,)

    def forget(self) -> None:
        self.norms.clear()
        self.starts.clear()

    def learn(self, words: Iterable[str]) -> None:
        """Analyse words not seen before."""
        written, firsts, demonyms = self.written, self.firsts, self.demonyms
        for word in words:
            norm = normalize(word)
            self.norms[word] = norm
            if not norm:
                # Only marks, tatweel or joiners: ``tokenize`` drops it, and the word
                # after it is then not joined (no name gap is that long). Here it stays,
                # as a word that starts nothing and that no name contains: the same.
                continue
            stems = _stems(norm)
            written_target = (
                next((written[s] for s in _stems(keep_shadda(word)) if s in written), None) if written else None
            )
            names = tuple(firsts[s] for s in stems if s in firsts)
            demonym: tuple[str, int, bool] | None = None
            for stem in stems:
                target = demonyms.get(stem)
                if target is None and stem.startswith("ال"):
                    target = demonyms.get(stem[2:])
                if target is not None:
                    demonym = (stem, target, stem.startswith("ال") and stem in self.nisba_singular)
                    break
            if written_target is None and not names and demonym is None:
                continue
            fixed = written_target
            if fixed is None and names and not any(first.longer for first in names):
                fixed = names[0].single  # the first stem wins, nothing longer can follow
            elif fixed is None and not names and demonym is not None and not demonym[2]:
                fixed = demonym[1]
            self.starts[word] = _Start(written_target, names, demonym, fixed)

    def joins(self, gap: str) -> bool:
        """May ``gap`` separate two words of one name?"""
        joined = self.gaps.get(gap)
        if joined is None:
            if len(self.gaps) > _MAX_GAPS:
                self.gaps.clear()
            joined = self.gaps[gap] = NAME_GAP.fullmatch(gap) is not None
        return joined


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
    tags: list[tuple[_Tag, ...]] = []
    for entity in taxonomy.entities:
        country = taxonomy.get("country", entity.implies) if entity.implies is not None else None
        tags.append(tuple(_Tag((e.type, e.slug), e.ref, entity_order(e.ref)) for e in (entity, country) if e))
    return _Matcher(
        key=(taxonomy.entities, taxonomy.ignore),
        names=names,
        lengths={k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()},
        demonyms=demonyms,
        written=written,
        nisba_singular=frozenset(singular),
        tags=tuple(tags),
    )


# Matchers by taxonomy value, so that every copy of one taxonomy (a worker process
# receives a new copy with each batch of files) shares one matcher and its memos.
_MATCHERS: dict[tuple[tuple[Entity, ...], tuple[str, ...]], _Matcher] = {}
_MAX_MATCHERS = 4


def _shared_matcher(key: tuple[tuple[Entity, ...], tuple[str, ...]]) -> _Matcher:
    matcher = _MATCHERS.get(key)
    if matcher is None:
        matcher = _build(Taxonomy(key[0], key[1]))
        while len(_MATCHERS) >= _MAX_MATCHERS:
            del _MATCHERS[next(iter(_MATCHERS))]
        _MATCHERS[key] = matcher
    return matcher


def _matcher(taxonomy: Taxonomy) -> _Matcher:
    matcher = taxonomy.cache.get("matcher")
    if not isinstance(matcher, _Matcher):
        matcher = _shared_matcher((taxonomy.entities, taxonomy.ignore))
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


def _is_adjective_after(previous: str) -> bool:
    """``الوزير السويدي``, ``نظيره القطري``: a definite nisba after a definite noun,
    or after one with a pronoun suffix, is an adjective (Swedish), not a name."""
    return _is_definite(previous) or previous.endswith(_PRONOUN_ENDINGS)


def _scan(text: str, matcher: _Matcher) -> tuple[list[str], list[tuple[int, int, int]]]:
    """Every mention in ``text``, left to right, the longest match at each point
    (``ignore`` phrases consumed, not returned), as ``(first word, word after the
    last, entity index)``, with the text split into gaps and words: word ``k`` is
    ``parts[2k + 1]``, the gap before it ``parts[2k]`` (see ``_offsets``)."""
    parts = words_and_gaps(text)
    words = parts[1::2]
    if not words:
        return parts, []
    norms = matcher.norms
    if len(norms) > _MAX_WORDS:
        matcher.forget()
    new = set(words).difference(norms)
    if new:
        matcher.learn(new)
    starts = list(map(matcher.starts.get, words))
    names, gaps, joins, count = matcher.names, matcher.gaps, matcher.joins, len(words)
    found: list[tuple[int, int, int]] = []
    resume = 0
    for i in compress(range(count), starts):  # the words that can start something
        if i < resume:
            continue
        start = starts[i]
        assert start is not None
        length, target = 1, start.fixed
        if target is None:
            length = 0
            second = norms[words[i + 1]] if i + 1 < count else ""
            for stem, single, longer in start.names:
                for size in longer.get(second, ()) if longer else ():  # longest first
                    if size <= length:
                        break
                    if i + size > count:
                        continue
                    if size == 2:
                        hit = names.get((stem, second))
                    else:
                        hit = names.get((stem, second, *[norms[words[k]] for k in range(i + 2, i + size)]))
                    if hit is None:
                        continue
                    # The words must also be separated by name gaps only (checked after
                    # the look-up, which rarely finds anything).
                    for k in range(i + 1, i + size):
                        joined = gaps.get(parts[2 * k])
                        if not (joins(parts[2 * k]) if joined is None else joined):
                            break
                    else:
                        length, target = size, hit
                        break
                if length == 0 and single is not None:
                    length, target = 1, single
            if target is None and start.demonym is not None:
                _, hit, may_be_family = start.demonym
                # ``سيف السويدي`` is a man, ``الوزير السويدي`` is Swedish: a definite
                # masculine nisba is a family name unless it follows (joined) a noun it
                # can qualify; with no word before it, it is a name too.
                if not may_be_family or (i > 0 and joins(parts[2 * i]) and _is_adjective_after(norms[words[i - 1]])):
                    length, target = 1, hit
        if target is None:
            continue
        if target != _IGNORE:
            found.append((i, i + length, target))
        resume = i + length
    return parts, found


def _offsets(parts: list[str], found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """``_scan``'s matches as ``(start, end, entity index)``, character offsets in the text."""
    if not found:
        return []
    ends = list(accumulate(map(len, parts)))  # word k spans ends[2k] .. ends[2k + 1]
    return [(ends[2 * first], ends[2 * after - 1], target) for first, after, target in found]


def find_matches(text: str, taxonomy: Taxonomy) -> list[Match]:
    """Every entity mention in ``text``, left to right, the longest match at each point."""
    matcher = _matcher(taxonomy)
    entities = matcher.entities
    return [Match(start, end, entities[target]) for start, end, target in _offsets(*_scan(text, matcher))]


@lru_cache(maxsize=65536)
def entity_order(ref: EntityRef) -> tuple[int, tuple[str, str], str]:
    """Type (person first), then Arabic alphabetical order, then slug (memoised: the
    same entities are sorted again and again)."""
    rank = TYPES.index(ref.type) if ref.type in TYPES else len(TYPES)
    return (rank, sort_key(ref.name), ref.slug)


def _resolve_tag(tag: str, taxonomy: Taxonomy, matcher: _Matcher) -> tuple[Entity | None, str, str]:
    """A front-matter tag: the entity it names (by name, alias or demonym, else a
    topic with its slug), and its name and slug as a free topic. Memoised."""
    resolved = matcher.topics.get(tag)
    if resolved is None:
        if len(matcher.topics) > _MAX_GAPS:
            matcher.topics.clear()
        entity = taxonomy.by_name(tag)
        name = " ".join(tag.split())
        slug = slugify(name)
        if entity is None and slug:
            entity = taxonomy.get("topic", slug)
        resolved = matcher.topics[tag] = (entity, name, slug)
    return resolved


def tag_article(article: Article, taxonomy: Taxonomy, *, strict: bool = False) -> tuple[Article, tuple[Problem, ...]]:
    """The article with ``entities`` and ``mentions`` filled in, and the problems its tags raised."""
    matcher = _matcher(taxonomy)
    found: dict[tuple[str, str], EntityRef] = {}
    order: dict[tuple[str, str], tuple[int, tuple[str, str], str]] = {}

    def add(entity: Entity) -> None:
        for e in (entity, taxonomy.get("country", entity.implies) if entity.implies is not None else None):
            if e is not None and (e.type, e.slug) not in found:
                found[(e.type, e.slug)] = e.ref
                order[(e.type, e.slug)] = entity_order(e.ref)

    body_parts, in_body = _scan(article.body, matcher)
    # The dateline's city is a place the article is filed from: tagged like a mention.
    heads = (article.title, article.summary, dateline_place(article.dateline))
    mentioned = [target for text in heads for _, _, target in _scan(text, matcher)[1]]
    mentioned += [target for _, _, target in in_body]
    for target in dict.fromkeys(mentioned):  # each entity once, in text order
        for given in matcher.tags[target]:
            if given.key not in found:
                found[given.key] = given.ref
                order[given.key] = given.order

    problems: list[Problem] = []
    severity = Severity.ERROR if strict else Severity.WARNING
    for tag in article.tags:
        entity, name, slug = _resolve_tag(tag, taxonomy, matcher)
        if entity is not None:
            add(entity)
            continue
        if not slug:
            problems.append(Problem(article.source_path, f"tag {tag!r} gives an empty slug; ignored", severity))
            continue
        problems.append(
            Problem(
                article.source_path,
                f"tag {name!r} is not in the taxonomy" + ("" if strict else "; it is kept as a topic"),
                severity,
            )
        )
        if ("topic", slug) not in found:
            found[("topic", slug)] = ref = EntityRef("topic", slug, name)
            order[("topic", slug)] = entity_order(ref)
    entities = tuple(found[key] for key in sorted(found, key=order.__getitem__))
    mentions = _first_mentions(article.body, body_parts, in_body, matcher)
    return dataclasses.replace(article, entities=entities, mentions=mentions), tuple(problems)


def _first_mentions(body: str, parts: list[str], found: list[tuple[int, int, int]], matcher: _Matcher) -> Mentions:
    """The first mention of each entity in ``body`` (``_scan``'s ``parts`` and
    ``found``) that is outside every protected region."""
    if not found:
        return Mentions()
    ends = list(accumulate(map(len, parts)))  # word k spans ends[2k] .. ends[2k + 1]
    protected = protected_spans(body)
    starts = [start for start, _ in protected]
    tags = matcher.tags
    mentions: list[tuple[EntityRef, int, int]] = []
    linked: set[tuple[str, str]] = set()
    done: set[int] = set()  # targets whose entity is linked already
    for first, after, target in found:
        if target in done:
            continue
        tag = tags[target][0]
        key = tag.key
        if key in linked:
            done.add(target)
            continue
        start, end = ends[2 * first], ends[2 * after - 1]
        # Spans are sorted and disjoint: the last one starting before ``end`` reaches furthest.
        before = bisect_left(starts, end)
        if before and protected[before - 1][1] > start:
            continue
        linked.add(key)
        done.add(target)
        mentions.append((tag.ref, start, end))
    return Mentions.of(mentions)
