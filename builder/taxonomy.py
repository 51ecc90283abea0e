"""The taxonomy: the countries, places, people, organisations and topics an
article can be tagged with, loaded from YAML and validated.

The default ships in ``builder/data/taxonomy.yml``; a site file may extend it or
replace entries (same type and name). Loading is the only I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.arabic import normalize, normalize_words
from builder.errors import ConfigError
from builder.model import EntityRef
from builder.slugs import slugify

DEFAULT_TAXONOMY = Path(__file__).resolve().parent / "data" / "taxonomy.yml"

# Display and sort order of the types; also the Arabic words a reader sees.
TYPES: tuple[str, ...] = ("person", "organization", "country", "place", "topic")
TYPE_LABELS: dict[str, str] = {
    "person": "شخصية",
    "organization": "منظمة",
    "country": "دولة",
    "place": "مكان",
    "topic": "موضوع",
}
TYPE_PLURALS: dict[str, str] = {
    "person": "الشخصيات",
    "organization": "المنظمات",
    "country": "الدول",
    "place": "الأماكن",
    "topic": "الموضوعات",
}

_KEYS: dict[str, frozenset[str]] = {
    "country": frozenset({"name", "code", "aliases", "demonyms", "description", "no_match"}),
    "place": frozenset({"name", "aliases", "implies", "description", "no_match", "written"}),
    "person": frozenset({"name", "aliases", "description", "no_match"}),
    "organization": frozenset({"name", "aliases", "description", "no_match"}),
    "topic": frozenset({"name", "aliases", "description", "no_match"}),
}


@dataclass(frozen=True)
class Entity:
    """One taxonomy entry. ``implies`` is the slug of a country (places only)."""

    type: str
    name: str
    slug: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    description: str = ""
    implies: str | None = None
    no_match: tuple[str, ...] = ()
    code: str | None = None
    # Names that match only with their shadda, as written (عمّان, not عمان = Oman).
    written: tuple[str, ...] = ()

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.type, self.slug, self.name)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the tagger looks for (demonyms aside), ``no_match`` removed."""
        banned = {normalize(n) for n in (*self.no_match, *self.written)}
        seen: dict[str, None] = {}
        for text in (self.name, *self.aliases):
            if normalize(text) not in banned:
                seen.setdefault(text, None)
        return tuple(seen)


DISCOVERED_TYPES = ("person", "organization", "place")


@dataclass(frozen=True)
class Editorial:
    """The editor's decisions about discovered entities (the ``discovered:`` section of
    a site taxonomy). Names may be written in any spelling: they are compared normalised."""

    block: frozenset[str] = frozenset()  # never an entity
    promote: frozenset[str] = frozenset()  # a tag even with little evidence
    rename: tuple[tuple[str, str], ...] = ()  # (name, display name)
    retype: tuple[tuple[str, str], ...] = ()  # (name, type)
    merge: tuple[tuple[str, str], ...] = ()  # (variant, the name it joins)


@dataclass(frozen=True)
class Taxonomy:
    entities: tuple[Entity, ...]
    ignore: tuple[str, ...] = ()
    editorial: Editorial = Editorial()
    # Memo for derived indexes (the tagger's matcher); not part of the value.
    cache: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def get(self, type_: str, slug: str) -> Entity | None:
        index = self.cache.get("by_key")
        if index is None:
            index = {(e.type, e.slug): e for e in self.entities}
            self.cache["by_key"] = index
        entity: Entity | None = index.get((type_, slug))
        return entity

    def by_name(self, text: str) -> Entity | None:
        """The entity whose name, alias or demonym is ``text`` (normalised), if any."""
        index = self.cache.get("by_name")
        if index is None:
            index = {}
            for entity in self.entities:
                for form in entity.written:
                    index.setdefault(keep_shadda(form).strip(), entity)
            for entity in self.entities:
                # no_match only keeps a name out of running text; as a tag it is meant.
                for name in (*entity.names, *entity.demonyms, *entity.no_match):
                    index.setdefault(normalize_words(name), entity)
            self.cache["by_name"] = index
        # A tag is written with or without the article: "طاقة متجددة" / "الطاقة المتجددة".
        written = " ".join(keep_shadda(text).split())
        plain = normalize_words(text)
        bare = " ".join(word.removeprefix("ال") if len(word) > 4 else word for word in plain.split())
        definite = " ".join("ال" + word for word in bare.split())
        for key in (written, plain, bare, definite):
            found: Entity | None = index.get(key)
            if found is not None:
                return found
        return None


SHADDA = "\u0651"
_SHADDA_MARK = "\ue051"  # a private-use stand-in that normalize() leaves alone


def keep_shadda(text: str) -> str:
    """``normalize`` that keeps the shadda (for names it tells apart: عمّان / عمان)."""
    return normalize(text.replace(SHADDA, _SHADDA_MARK))


def load_taxonomy(extra: Path | None = None) -> Taxonomy:
    """The shipped taxonomy, extended or overridden by ``extra`` when given."""
    raw, ignore, editorial = _read(DEFAULT_TAXONOMY)
    if extra is not None:
        raw_extra, ignore_extra, editorial = _read(extra)
        replaced = {(t, e["name"]) for t, e, _ in raw_extra}
        raw = [item for item in raw if (item[0], item[1]["name"]) not in replaced] + raw_extra
        ignore = ignore + ignore_extra
    taxonomy = _build(raw, tuple(dict.fromkeys(ignore)))
    return Taxonomy(taxonomy.entities, taxonomy.ignore, editorial)


def _editorial(path: Path, section: object) -> Editorial:
    """The ``discovered:`` section; every mistake in it reported at once."""
    if section is None:
        return Editorial()
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: 'discovered' must be a mapping (block, promote, rename, retype, merge)")
    errors = [
        f"unknown key {key!r}" for key in sorted(set(section) - {"block", "promote", "rename", "retype", "merge"})
    ]
    lists: dict[str, frozenset[str]] = {}
    for key in ("block", "promote"):
        value = section.get(key, [])
        if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
            errors.append(f"{key!r} must be a list of names")
            value = []
        lists[key] = frozenset(x.strip() for x in value)
    pairs: dict[str, tuple[tuple[str, str], ...]] = {}
    for key in ("rename", "retype", "merge"):
        value = section.get(key, {})
        if not isinstance(value, dict) or not all(
            isinstance(a, str) and isinstance(b, str) and a.strip() and b.strip() for a, b in value.items()
        ):
            errors.append(f"{key!r} must map names to names (name: new name)")
            value = {}
        pairs[key] = tuple(sorted((a.strip(), b.strip()) for a, b in value.items()))
    for name, type_ in pairs["retype"]:
        if type_ not in DISCOVERED_TYPES:
            errors.append(f"retype {name!r}: {type_!r} is not one of {', '.join(DISCOVERED_TYPES)}")
    if errors:
        raise ConfigError(f"{path}: discovered: " + "; ".join(errors))
    return Editorial(lists["block"], lists["promote"], pairs["rename"], pairs["retype"], pairs["merge"])


# libyaml's safe loader when PyYAML has it: the taxonomy is read by every build.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Raw = list[tuple[str, dict[str, Any], str]]  # (type, entry, "file: type entry N")


def _read(path: Path) -> tuple[_Raw, list[str], Editorial]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the taxonomy: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the taxonomy is not UTF-8") from None
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader (libyaml's when present)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{where}: the taxonomy is not valid YAML: {problem}") from None
    if data is None:
        return [], [], Editorial()
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the taxonomy must be a mapping of type -> list of entries")
    raw: _Raw = []
    ignore: list[str] = []
    editorial = Editorial()
    for key, entries in data.items():
        if key == "discovered":
            editorial = _editorial(path, entries)
            continue
        if key == "ignore":
            if not isinstance(entries, list) or not all(isinstance(x, str) for x in entries):
                raise ConfigError(f"{path}: 'ignore' must be a list of phrases")
            ignore.extend(x.strip() for x in entries if x.strip())
            continue
        if key not in _KEYS:
            allowed = ", ".join([*TYPES, "ignore", "discovered"])
            raise ConfigError(f"{path}: unknown section {key!r} (expected one of {allowed})")
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise ConfigError(f"{path}: section {key!r} must be a list of entries")
        for number, entry in enumerate(entries, 1):
            where = f"{path}: {key} entry {number}"
            raw.append((key, _check_entry(key, entry, where), where))
    return raw, ignore, editorial


def _check_entry(type_: str, entry: object, where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: an entry must be a mapping with at least a 'name'")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: 'name' must be a non-empty text")
    where = f"{where} ({name})"
    unknown = sorted(set(entry) - _KEYS[type_])
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} for a {type_}")
    for key in ("aliases", "demonyms", "no_match", "written"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
            raise ConfigError(f"{where}: {key!r} must be a list of non-empty texts")
    for key in ("description", "implies", "code"):
        if key in entry and not isinstance(entry[key], str):
            raise ConfigError(f"{where}: {key!r} must be a text")
    return {**entry, "name": name.strip()}


def _build(raw: _Raw, ignore: tuple[str, ...]) -> Taxonomy:
    countries = {normalize(e["name"]): e["name"] for t, e, _ in raw if t == "country"}
    entities: list[Entity] = []
    slugs: dict[tuple[str, str], str] = {}
    names: dict[str, tuple[str, str]] = {}
    for type_, entry, where in raw:
        where = f"{where} ({entry['name']})"
        slug = slugify(entry["name"])
        if not slug:
            raise ConfigError(f"{where}: the name gives an empty slug")
        if (type_, slug) in slugs:
            raise ConfigError(f"{where}: same slug {slug!r} as {slugs[(type_, slug)]}")
        slugs[(type_, slug)] = where
        implies = None
        if "implies" in entry:
            country = countries.get(normalize(entry["implies"]))
            if country is None:
                raise ConfigError(f"{where}: 'implies' names no country: {entry['implies']!r}")
            implies = slugify(country)
        entity = Entity(
            type=type_,
            name=entry["name"],
            slug=slug,
            aliases=tuple(a.strip() for a in entry.get("aliases", [])),
            demonyms=tuple(d.strip() for d in entry.get("demonyms", [])),
            description=entry.get("description", "").strip(),
            implies=implies,
            no_match=tuple(n.strip() for n in entry.get("no_match", [])),
            code=entry.get("code"),
            written=tuple(w.strip() for w in entry.get("written", [])),
        )
        # One written form must lead to one entity, or tagging would depend on file order.
        keys = [normalize(t).strip() for t in (*entity.names, *entity.demonyms)]
        keys += [keep_shadda(t).strip() for t in entity.written]
        for text, key in zip((*entity.names, *entity.demonyms, *entity.written), keys, strict=True):
            owner = names.get(key)
            if owner is not None and owner != (type_, slug):
                raise ConfigError(f"{where}: the name {text!r} is already used by {owner[0]} {owner[1]!r}")
            names[key] = (type_, slug)
        entities.append(entity)
    return Taxonomy(entities=tuple(entities), ignore=ignore)
