"""Pass two of entity discovery: the archive teaches itself.

Every article's candidates (pass one, ``builder.tagging.discovery``) are pooled:
- names the taxonomy already holds are left to it (another spelling of one of its
  people, «فلاديمير بوتن», gets the taxonomy's tag);
- spellings that differ by a space pool together (``pool_key``); variants of one
  person become one entity: a name that is the beginning of exactly one longer name
  joins it («محمد بن سلمان» → «محمد بن سلمان بن عبدالعزيز»), and so do transliterations
  (``same_person``); the entity is shown under its most complete common spelling;
- a name seen with more than one type takes the type with the most evidence, except
  a city named as its club in a sports story, which is an entity of its own (``CLUB``);
- an entity becomes a tag when its evidence is strong enough (``_strong_enough``);
- then every article is tagged with the entities it mentions: its own candidates,
  full names learned from other articles (never a piece of a longer name of its own),
  a surname alone when one person of the archive has it, in a sports story the clubs
  learned with everyday names (الهلال), and the taxonomy's ambiguous places that its
  context makes places (جدة after «إلى»).

The editor's word in the site taxonomy (``discovered:``) is applied on top:
block, promote, rename, retype, merge. The result depends only on the set of
articles, so a ``--dirty`` build equals a clean one.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from builder.arabic import normalize, normalize_words
from builder.model import Article, EntityRef, Mentions
from builder.slugs import slugify
from builder.tagging.discovery import CLUB_HEADS, STRONG, Candidate, Discovered
from builder.tagging.lexicon import PARTICLES, Lexicon, lexicon
from builder.tagging.matching import entity_order
from builder.taxonomy import Editorial, Taxonomy

# When a discovered entity becomes a tag (and so a tag page):
# - two or more articles name it, with any evidence; or
# - one article names it with strong evidence (``discovery.STRONG``: all but a lone pair of
#   unknown words and a Latin acronym), and for a person with at least two name words.
MIN_ARTICLES_WEAK = 2
# A surname alone stands for a person only when that person's full name is in at least
# this many articles, and no other person of the archive has the surname.
MIN_ARTICLES_SURNAME = 2
TYPES = ("person", "organization", "place")


@dataclass(frozen=True)
class DiscoveredEntity:
    type: str
    name: str
    slug: str
    key: str  # normalised name
    articles: int  # how many articles mention it
    mentions: int  # how many candidate mentions were found (surnames alone not counted)
    variants: tuple[str, ...]  # spellings as written, most frequent first
    evidence: tuple[tuple[str, int], ...]  # (kind, count), most frequent first
    roles: tuple[str, ...]  # titles and roles before the name, most frequent first
    tagged: bool  # strong enough to be a tag
    why: str  # why it is (or is not) a tag

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.type, self.slug, self.name)


@dataclass(frozen=True)
class Discovery:
    """The result of pass two: the entities, and each article's discovered tags."""

    entities: tuple[DiscoveredEntity, ...]
    tags: dict[str, tuple[EntityRef, ...]] = field(default_factory=dict)  # source_path -> refs
    forms: dict[str, dict[tuple[str, str], frozenset[str]]] = field(default_factory=dict)  # path -> ref key -> forms
    # Articles where «عمان» is Amman, not Oman: (the ref to drop, the refs to add), by source path.
    swaps: dict[str, tuple[EntityRef, tuple[EntityRef, ...]]] = field(default_factory=dict)
    # Sports stories where a city the taxonomy holds is named only as its club: the city's ref to drop.
    drops: dict[str, tuple[EntityRef, ...]] = field(default_factory=dict)

    def by_key(self) -> dict[tuple[str, str], DiscoveredEntity]:
        return {(e.type, e.slug): e for e in self.entities if e.tagged}

    def descriptions(self) -> dict[tuple[str, str], str]:
        """What a tag page says of each discovered entity that is a tag."""
        return {key: describe(entity) for key, entity in self.by_key().items()}


def describe(entity: DiscoveredEntity) -> str:
    """Who or what it is, as the archive says it: the roles most often given, and the
    other spellings (Arabic: the reader sees it on the tag page)."""
    parts = []
    if entity.roles:
        parts.append("يرد في الأرشيف بصفة: " + "، ".join(entity.roles[:3]) + ".")
    others = [v for v in entity.variants if v != entity.name][:5]
    if others:
        parts.append("يُكتب أيضًا: " + "، ".join(others) + ".")
    parts.append("وسم اكتشفه الأرشيف من نصوص الإحاطات.")
    return " ".join(parts)


@dataclass
class _Group:
    type: str
    key: str
    keys: set[str] = field(default_factory=set)  # every normalised variant
    written: Counter[str] = field(default_factory=Counter)
    evidence: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    articles: set[int] = field(default_factory=set)
    promoted: bool = False
    name: str = ""


def taxonomy_prefixes(taxonomy: Taxonomy) -> frozenset[str]:
    """Pieces of the taxonomy's longer organisation and place names, normalised: a
    discovered name that is one is the taxonomy's entity, cut short. Every run of two
    words or more of an organisation's name («مكتب الأمم المتحدة المعني»، «الخليج العربية»
    of «مجلس التعاون لدول الخليج العربية»), and every beginning of a place's name («شرم»)."""
    cached = taxonomy.cache.get("discovery_prefixes")
    if cached is None:
        pieces: set[str] = set()
        for entity in taxonomy.entities:
            for name in entity.names if entity.type in ("organization", "place") else ():
                words = normalize(name).split()
                if entity.type == "place":
                    pieces.update(" ".join(words[:size]) for size in range(1, len(words)))
                    continue
                for start in range(len(words)):
                    for end in range(start + 2, len(words) + 1):
                        if end - start < len(words):
                            pieces.add(" ".join(words[start:end]).removeprefix("ل"))
        cached = taxonomy.cache["discovery_prefixes"] = frozenset(pieces)
    return cached


_JOINING = ("عبد ", "ابو ")
_JOINED = (" الدين", " الله")
_POOL_WORDS = frozenset({"عبد", "ابو", "الدين", "الله"})


def pool_key(key: str) -> str:
    """One key for the spellings of a name that differ by a space: «نور الدين» and
    «نورالدين», «عبد الله» and «عبدالله», «أبو ظبي» and «أبوظبي»."""
    if " " not in key:
        return key
    for particle in _JOINING:
        key = key.replace(particle, particle[:-1]) if particle in key else key
    for part in _JOINED:
        key = key.replace(part, part[1:]) if part in key else key
    return key


_LONG_VOWELS = str.maketrans("", "", "اوي")


def skeleton(key: str) -> tuple[str, ...]:
    """A person's name without the long vowels inside its words: transliterations of one
    foreign name differ mostly there (بوتين، بوتن; غوتيريش، غوتيرش)."""
    return tuple(w[:1] + w[1:].translate(_LONG_VOWELS) for w in pool_key(key).split())


def same_person(a: str, b: str, lex: Lexicon) -> bool:
    """Two names of two words or more that are one person's, spelled two ways: the same
    skeleton, at least one word spelled alike, and the words that differ are foreign (no
    name list has them): «سعيد» and «سعد» are two Arabic names, «نويرت» and «نويرات» one."""
    words_a, words_b = pool_key(a).split(), pool_key(b).split()
    if len(words_a) != len(words_b) or len(words_a) < 2 or skeleton(a) != skeleton(b):
        return False
    pairs = list(zip(words_a, words_b, strict=True))
    differ = [(x, y) for x, y in pairs if x != y]
    return len(differ) < len(pairs) and not any(lex.is_person_name(x) or lex.is_person_name(y) for x, y in differ)


def taxonomy_people(taxonomy: Taxonomy) -> dict[tuple[str, ...], list[tuple[str, EntityRef]]]:
    """The taxonomy's people by the skeleton of each of their names of two words or more."""
    cached = taxonomy.cache.get("discovery_people")
    if cached is None:
        cached = defaultdict(list)
        for entity in taxonomy.entities:
            if entity.type == "person":
                for name in entity.names:
                    key = normalize_words(name)
                    if len(key.split()) >= 2:
                        cached[skeleton(key)].append((key, entity.ref))
        taxonomy.cache["discovery_people"] = cached
    return cached


def _taxonomy_person(key: str, taxonomy: Taxonomy, lex: Lexicon) -> EntityRef | None:
    """The taxonomy's person that ``key`` spells another way (فلاديمير بوتن for بوتين)."""
    people = taxonomy_people(taxonomy).get(skeleton(key), ())
    refs = {ref for name, ref in people if same_person(key, name, lex)}
    return refs.pop() if len(refs) == 1 else None


CLUB = "\x00club"  # the key suffix of a city's club (the club of «روما» beside the city)


def _city_club(candidate: Candidate) -> bool:
    """A city named in a sports story as its club (pass one's gazetteer, typed organisation)."""
    return candidate.type == "organization" and candidate.evidence == "gazetteer"


def _join(target: _Group, source: _Group) -> None:
    target.keys |= source.keys
    target.written += source.written
    target.evidence += source.evidence
    target.roles += source.roles
    target.articles |= source.articles


def _strong_enough(group: _Group) -> tuple[bool, str]:
    if group.promoted:
        return True, "promoted by the editor"
    strong = sum(n for kind, n in group.evidence.items() if kind in STRONG)
    if len(group.articles) >= MIN_ARTICLES_WEAK:
        return True, f"named in {len(group.articles)} articles"
    if strong and (group.type != "person" or len(group.key.split()) >= 2):
        kind = next(k for k, _ in group.evidence.most_common() if k in STRONG)
        return True, f"strong evidence ({kind})"
    return False, "one article, weak evidence"


def _display(group: _Group) -> str:
    """The most complete common spelling: the longest variant written at least half
    as often as the most frequent one (ties: more frequent, then sorted)."""
    top = max(group.written.values())
    common = [w for w, n in group.written.items() if n * 2 >= top]
    return sorted(common, key=lambda w: (-len(w.split()), -group.written[w], w))[0]


def discover_entities(
    found: Sequence[tuple[str, Discovered]],
    taxonomy: Taxonomy,
    editorial: Editorial | None = None,
    lex: Lexicon | None = None,
) -> Discovery:
    """Pass two over ``found``: (source path, pass-one result) of every article, in
    any order (the result does not depend on it)."""
    lex = lex or lexicon()
    editorial = editorial or Editorial()
    found = sorted(found, key=lambda item: item[0])
    blocked = {normalize_words(n) for n in editorial.block}
    merges = {normalize_words(a): normalize_words(b) for a, b in editorial.merge}
    retypes = {normalize_words(n): t for n, t in editorial.retype}

    # 1. Pool the candidates by normalised name; each name gets one type (most evidence).
    # Spellings that differ by a space (نور الدين، نورالدين) pool under the first one met.
    pool = functools.cache(pool_key)  # memoised for this pass: names repeat
    canonical: dict[str, str] = {}
    by_name: dict[str, Counter[str]] = defaultdict(Counter)
    for _, discovered in found:
        for c in discovered.candidates:
            key = merges.get(c.key, c.key)
            key = canonical.setdefault(pool(key), key)
            if not _city_club(c):
                by_name[key][c.type] += 3 if c.evidence in STRONG else 1
    type_of = {
        key: retypes.get(key) or max(TYPES, key=lambda t: (votes[t], -TYPES.index(t))) for key, votes in by_name.items()
    }

    @functools.cache  # memoised for this pass
    def known(key: str) -> bool:
        """Blocked, or a name the taxonomy holds (or the start of one, or one of its
        people with more names after it: «فيصل بن فرحان بن عبد الله»)."""
        if key in blocked or taxonomy.by_name(key) is not None:
            return True
        words = key.split()
        for size in range(2, len(words)):
            found = taxonomy.by_name(" ".join(words[:size]))
            if found is not None and found.type in ("person", "organization"):
                return True
        return key in taxonomy_prefixes(taxonomy)

    groups: dict[str, _Group] = {}
    spelled_otherwise: dict[str, EntityRef] = {}  # a name -> the taxonomy's person it spells another way
    other_spelling: dict[str, EntityRef | None] = {}  # memo of _taxonomy_person by key
    for number, (_, discovered) in enumerate(found):
        for c in discovered.candidates:
            key = canonical[pool(merges.get(c.key, c.key))]
            if _city_club(c):
                held = taxonomy.by_name(key)
                if key in blocked or (held is not None and held.type == "organization"):
                    continue  # the taxonomy's city is not its club; only a listed club is the taxonomy's
            elif known(key) or known(c.key):
                continue
            if type_of.get(key) == "person" and " " in key:
                if key not in other_spelling:
                    other_spelling[key] = _taxonomy_person(key, taxonomy, lex)
                ref = other_spelling[key]
                if ref is not None:
                    spelled_otherwise[c.key] = ref
                    continue
            gkey = key + CLUB if _city_club(c) else key  # «روما» in a sports story is AS Roma, beside the city
            group = groups.get(gkey)
            if group is None:
                group = groups[gkey] = _Group("organization" if gkey != key else type_of.get(key, "organization"), key)
            group.keys.add(c.key)
            group.written[c.text] += 1
            group.evidence[c.evidence] += 1
            if c.role:
                group.roles[c.role] += 1
            group.articles.add(number)
            if c.alias and not known(c.alias) and not lex.is_noun(c.alias):
                group.keys.add(c.alias)

    # 2. A person's name that begins exactly one longer name of the archive joins it.
    people = sorted((k for k, g in groups.items() if g.type == "person"), key=lambda k: (-len(k.split()), k))
    extensions: dict[str, list[str]] = defaultdict(list)  # a name -> the longer names it begins
    for key in people:
        words = key.split()
        for size in range(2, len(words)):
            extensions[" ".join(words[:size])].append(key)
    joins: dict[str, str] = {}
    for key in people:  # longest first: a longer name has joined its own root already
        roots = {joins.get(k, k) for k in extensions.get(key, ())}
        if len(roots) == 1:
            joins[key] = roots.pop()
    # Names of one person spelled two ways (بوتن، بوتين) join the one written more often.
    by_skeleton: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key in people:
        if key in groups and key not in joins:
            by_skeleton[skeleton(key)].append(key)
    for keys in by_skeleton.values():
        keys.sort(key=lambda k: (-sum(groups[k].written.values()), k))
        for i, short in enumerate(keys):
            target = next((long for long in keys[:i] if long not in joins and same_person(short, long, lex)), None)
            if target is not None:
                joins[short] = target
    for short, long in sorted(joins.items()):
        _join(groups[long], groups.pop(short))

    # A club learned in sports stories (الهلال) and its name with a head noun (نادي الهلال) are one.
    clubs = {key for key, g in groups.items() if g.type == "organization" and g.evidence["club"]}
    for key in sorted(groups):
        head, _, rest = key.partition(" ")
        if rest in clubs and head in CLUB_HEADS and groups[key].type == "organization":
            _join(groups[rest], groups.pop(key))

    promoted = {normalize_words(n) for n in editorial.promote}
    renames = {normalize_words(a): b.strip() for a, b in editorial.rename}
    for group in groups.values():
        group.promoted = bool(group.keys & promoted)
        group.name = _display(group)
        for key in group.keys:
            if key in renames:
                group.name = renames[key]

    # 3. Where each name leads: full names (every variant), and surnames alone.
    lookup: dict[str, _Group] = {}
    for key in sorted(groups):
        if key.endswith(CLUB):
            continue  # a city's club is found only in sports stories
        for variant in sorted(groups[key].keys):
            lookup.setdefault(variant, groups[key])
            lookup.setdefault(pool(variant), groups[key])
    surnames: dict[str, list[_Group]] = defaultdict(list)
    for key in sorted(groups):
        group = groups[key]
        words = group.key.split()
        last = words[-1]
        if group.type == "person" and len(words) >= 2 and words[-2] not in PARTICLES and last not in lex.given:
            everyday = (lex.is_noun(last) and (last not in lex.family or lex.zipf(last) >= 4.0)) or (
                lex.zipf(last) >= 4.5 and not lex.is_person_name(last)  # «مطلع» (الشهر) after a name
            )
            if len(last) >= 3 and not everyday and lex.places.get(last, ("", 0))[1] < 100_000:
                surnames[last].append(group)

    # 4. Tag every article.
    entities: dict[int, DiscoveredEntity] = {}
    slugs: dict[tuple[str, str], int] = {}
    for group in sorted(groups.values(), key=lambda g: (TYPES.index(g.type), g.key)):
        tagged, why = _strong_enough(group)
        slug = slugify(group.name)
        if not slug or taxonomy.get(group.type, slug) is not None or (group.type, slug) in slugs:
            tagged, why = False, "its name's address is already taken"
        elif tagged:
            slugs[(group.type, slug)] = id(group)
        entities[id(group)] = DiscoveredEntity(
            type=group.type,
            name=group.name,
            slug=slug,
            key=group.key,
            articles=len(group.articles),
            mentions=sum(group.written.values()),
            variants=tuple(w for w, _ in sorted(group.written.items(), key=lambda x: (-x[1], x[0]))),
            evidence=tuple(sorted(group.evidence.items(), key=lambda x: (-x[1], x[0]))),
            roles=tuple(r for r, _ in sorted(group.roles.items(), key=lambda x: (-x[1], x[0]))[:5]),
            tagged=tagged,
            why=why,
        )

    tags: dict[str, tuple[EntityRef, ...]] = {}
    forms: dict[str, dict[tuple[str, str], frozenset[str]]] = {}
    drops: dict[str, tuple[EntityRef, ...]] = {}
    by_id = {id(group): group for group in groups.values()}
    ambiguous = {  # «جدة» read as the place in context: the taxonomy's entity, and the country it implies
        normalize(name): tuple(e.ref for e in (entity, taxonomy.get("country", entity.implies or "")) if e is not None)
        for entity in taxonomy.entities
        if entity.type in ("country", "place")
        for name in entity.no_match
    }
    for path, discovered in found:
        mine: dict[int, set[str]] = defaultdict(set)
        spelled: set[EntityRef] = set()
        for c in discovered.candidates:
            key = merges.get(c.key, c.key)
            if _city_club(c):
                hit = groups.get(canonical.get(pool(key), key) + CLUB)
            else:
                hit = lookup.get(key) or lookup.get(pool(key))
            if c.key in spelled_otherwise:
                spelled.add(spelled_otherwise[c.key])
            if hit is not None:
                mine[id(hit)].add(c.key)
                if c.alias:
                    mine[id(hit)].add(c.alias)
        # The words of this article's own names of two words or more: none of them is a name alone
        # here («فلاديمير» of «فلاديمير بوتن» is no city).
        inside = {word for c in discovered.candidates if " " in c.key for word in c.key.split()}
        sports = bool(discovered.sports_words)
        for run in discovered.runs:
            words = run.split()
            poolable = not _POOL_WORDS.isdisjoint(words)  # only these can pool another way
            for size in range(min(4, len(words)), 0, -1):
                for start in range(len(words) - size + 1):
                    if size == 1 and words[start] in inside:
                        continue
                    piece = " ".join(words[start : start + size])
                    hit = (sports and groups.get(piece + CLUB)) or (
                        lookup.get(piece) or (lookup.get(pool(piece)) if poolable and size > 1 else None)
                    )
                    if hit is not None and (size > 1 or entities[id(hit)].articles >= MIN_ARTICLES_WEAK):
                        mine[id(hit)].add(piece)
                    elif size == 1 and piece in surnames and len(surnames[piece]) == 1:
                        owner = surnames[piece][0]
                        if id(owner) in mine or len(owner.articles) >= MIN_ARTICLES_SURNAME:
                            mine[id(owner)].add(piece)
        if discovered.sports_words:  # in a sports story «ليفربول» is the club, not also the city
            club_keys = {by_id[g].key for g in mine if by_id[g].type == "organization"}
            for g in [g for g in mine if by_id[g].type == "place" and by_id[g].key in club_keys]:
                del mine[g]
        for word in discovered.sports_words:
            club = lookup.get(word) if word in clubs else None
            if club is not None:
                mine[id(club)].add(word)
        for name in discovered.located:
            spelled.update(ambiguous.get(name, ()))
        cities = {
            held.ref
            for c in (discovered.candidates if sports else ())
            if _city_club(c)
            and (held := taxonomy.by_name(c.key)) is not None
            and held.type == "place"
            and not any(o.key == c.key and o.type == "place" for o in discovered.candidates)
        }
        if cities:
            drops[path] = tuple(sorted(cities, key=entity_order))
        refs = [entities[g].ref for g in mine if entities[g].tagged]
        if spelled:
            refs += sorted(spelled, key=entity_order)
        if refs:
            tags[path] = tuple(sorted(refs, key=entity_order))
            forms[path] = {
                (entities[g].type, entities[g].slug): frozenset(v) for g, v in mine.items() if entities[g].tagged
            }
    ordered = tuple(sorted(entities.values(), key=lambda e: (TYPES.index(e.type), -e.articles, e.name)))
    return Discovery(ordered, tags, forms, _amman_swaps(found, taxonomy), drops)


def _amman_swaps(
    found: Sequence[tuple[str, Discovered]], taxonomy: Taxonomy
) -> dict[str, tuple[EntityRef, tuple[EntityRef, ...]]]:
    """«عمان» without its shadda is read as Oman; in a Jordanian context (الأردن, no
    سلطنة or مسقط) it is the city of Amman."""
    oman, amman = taxonomy.by_name("عمان"), taxonomy.by_name("عمّان")
    if oman is None or amman is None or oman.type != "country" or amman.type != "place":
        return {}
    jordan = taxonomy.get("country", amman.implies) if amman.implies else None
    adds = tuple(e.ref for e in (amman, jordan) if e is not None)
    return {path: (oman.ref, adds) for path, discovered in found if discovered.amman}


def apply_discovery(articles: Sequence[Article], discovery: Discovery) -> tuple[Article, ...]:
    """The articles with their discovered tags added after the taxonomy's."""
    result = []
    for article in articles:
        extra = discovery.tags.get(article.source_path, ())
        current = article.entities
        swap = discovery.swaps.get(article.source_path)
        mentions = article.mentions
        if swap is not None and swap[0] in current:
            current = tuple(e for e in current if e != swap[0])
            extra = (*extra, *swap[1])
            kept = [m for m in mentions if (m.type, m.slug) != (swap[0].type, swap[0].slug)]
            refs = {(r.type, r.slug): r for r in mentions.refs}
            mentions = Mentions.of((refs[(m.type, m.slug)], m.start, m.end) for m in kept)
        dropped = discovery.drops.get(article.source_path, ())
        if dropped:
            gone = {(r.type, r.slug) for r in dropped}
            current = tuple(e for e in current if (e.type, e.slug) not in gone)
            refs = {(r.type, r.slug): r for r in mentions.refs}
            mentions = Mentions.of(
                (refs[(m.type, m.slug)], m.start, m.end) for m in mentions if (m.type, m.slug) not in gone
            )
        have = {(e.type, e.slug) for e in current}
        extra = tuple(dict.fromkeys(ref for ref in extra if (ref.type, ref.slug) not in have))
        if extra or current is not article.entities:
            entities = tuple(sorted((*current, *extra), key=entity_order))
            article = dataclasses.replace(article, entities=entities, mentions=mentions)
        result.append(article)
    return tuple(result)
