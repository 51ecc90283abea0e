"""The ingest run: inputs found, read, cleaned, de-duplicated, written, reported."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from builder.errors import BuilderError
from builder.ingest.conventions import apply_conventions
from builder.ingest.decoding import decode_bytes
from builder.ingest.duplicates import find_duplicates
from builder.ingest.html import declared_charset, looks_like_html, read_html
from builder.ingest.jsonrecords import DEFAULT_MAPPING, FieldMapping, looks_like_json, read_json
from builder.ingest.output import NotAnArticle, Prepared, identity, identity_of, prepare
from builder.ingest.plaintext import read_plain
from builder.ingest.records import Item, Outcome, Rejected
from builder.ingest.trec import looks_like_trec, read_trec
from builder.readers import SUPPORTED_SUFFIXES, parse_front_matter, read_file
from builder.slugs import MAX_SLUG_LENGTH, slugify
from builder.wire import Outlets

MAX_INPUT_BYTES = 50 * 1024 * 1024  # a JSON export may be large; more is not an article feed
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".php", ".aspx")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
MARKDOWN_SUFFIXES = (".md", ".markdown")
# Documentation that sits next to corpora: accounted for, never made an article.
NOT_ARTICLES = frozenset({"readme", "provenance", "license", "licence", "changelog", "notice", "copying"})
MAX_SLUG_SUFFIX = 1000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class InputFile:
    path: Path
    origin: str  # as shown in the report


def find_inputs(paths: Iterable[Path]) -> list[InputFile]:
    """Files named, and every non-hidden file under the folders named, sorted."""
    found: dict[str, InputFile] = {}
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                parts = file.relative_to(path).parts
                if file.is_file() and not any(part.startswith(".") for part in parts):
                    found[file.as_posix()] = InputFile(file, file.as_posix())
        else:
            found[path.as_posix()] = InputFile(path, path.as_posix())
    return [found[key] for key in sorted(found)]


def read_input(file: InputFile, mapping: FieldMapping = DEFAULT_MAPPING) -> list[Item]:
    """Every item in one input file; anything wrong becomes a :class:`Rejected`."""
    origin, stem, suffix = file.origin, file.path.stem, file.path.suffix.lower()
    if stem.lower() in NOT_ARTICLES:
        return [Rejected(origin, "documentation file, not an article")]
    try:
        if file.path.stat().st_size > MAX_INPUT_BYTES:
            return [Rejected(origin, f"file is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")]
        data = file.path.read_bytes()
    except OSError as exc:
        return [Rejected(origin, f"cannot read the file: {exc.strerror or exc}")]
    return read_bytes(data, origin, stem, suffix, mapping)


def read_bytes(data: bytes, origin: str, stem: str, suffix: str, mapping: FieldMapping = DEFAULT_MAPPING) -> list[Item]:
    """Decode and read one input; never raises for bad content."""
    if not data.strip():
        return [Rejected(origin, "file is empty")]
    decoded = decode_bytes(data, declared_charset(data) if suffix in HTML_SUFFIXES else None)
    if decoded is None:
        return [Rejected(origin, "cannot detect the text encoding (binary file?)")]
    text, _encoding = decoded
    if "\x00" in text:
        return [Rejected(origin, "file is binary (it contains NUL characters), not text")]
    try:
        return _read_text(text, origin, stem, suffix, mapping)
    except (RecursionError, ValueError) as exc:
        # Pathological input (nesting too deep for the parser…) rejects one file, never the run.
        return [Rejected(origin, f"cannot be read: {type(exc).__name__}: {exc}")]


def _read_text(text: str, origin: str, stem: str, suffix: str, mapping: FieldMapping) -> list[Item]:
    if suffix in JSON_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and looks_like_json(text)):
        return read_json(text, origin, stem, mapping)
    if suffix in HTML_SUFFIXES or looks_like_html(text):
        return read_html(text, origin, stem)
    if looks_like_trec(text):
        return read_trec(text, origin, stem)
    return read_plain(text, origin, stem, markdown=suffix in MARKDOWN_SUFFIXES)


_RECORD = re.compile(r"^(.*)#(\d+)$")


def origin_key(origin: str) -> tuple[str, int]:
    """Sort key: input path, then record number as a number."""
    match = _RECORD.match(origin)
    return (match.group(1), int(match.group(2))) if match else (origin, 0)


@dataclass(frozen=True)
class Planned:
    """An outcome, and for new files the text to write there."""

    outcome: Outcome
    target: Path | None = None
    text: str | None = None


@dataclass(frozen=True)
class Plan:
    """Every item's fate, and the boilerplate learned from the batch."""

    planned: list[Planned]
    learned: list[dict[str, object]]


def plan(items: list[Item], into: Path, outlets: Outlets | None = None) -> Plan:
    """Decide every item's fate. Reads existing files under ``into``; writes nothing."""
    applied = apply_conventions(sorted(items, key=lambda item: origin_key(item.origin)), outlets)
    joined = [Planned(outcome) for outcome in applied.joined]
    ordered = sorted(applied.items, key=lambda item: origin_key(item.origin))
    results: dict[int, Planned] = {}
    prepared: list[tuple[int, Prepared]] = []
    for index, item in enumerate(ordered):
        if isinstance(item, Rejected):
            results[index] = Planned(Outcome(item.origin, "rejected", reason=item.reason))
            continue
        try:
            prepared.append((index, prepare(item)))
        except NotAnArticle as exc:
            results[index] = Planned(Outcome(item.origin, "rejected", reason=str(exc), warnings=item.warnings))
    duplicates = find_duplicates([p.clean_text for _, p in prepared])
    claimed: set[Path] = set()
    addresses = _Addresses(_addresses_on_disk(into), set())  # the folder is read once per run
    for position, (index, item_prepared) in enumerate(prepared):
        origin = item_prepared.candidate.origin
        match = duplicates.get(position)
        if match is not None:
            original = prepared[match.original][1].candidate.origin
            kind = "" if match.similarity == 1.0 else f", {match.similarity:.0%} similar"
            results[index] = Planned(
                Outcome(origin, "duplicate", reason=f"duplicate of {original}{kind}", warnings=item_prepared.warnings)
            )
            continue
        results[index] = _place(item_prepared, into, claimed, addresses)
    planned = [results[index] for index in range(len(ordered))] + joined
    return Plan(sorted(planned, key=lambda p: origin_key(p.outcome.origin)), applied.learned)


def _place(item: Prepared, into: Path, claimed: set[Path], addresses: _Addresses) -> Planned:
    """Pick the file for a kept article: new, unchanged, or a conflict.

    The slug written is the address the build will give the file: stable under
    the builder's own slugify (so never cut again), and free site-wide once
    casefolded, among the files already under ``into`` and this run's own.
    """
    origin = item.candidate.origin
    wanted = identity_of(item.candidate)
    for number in range(1, MAX_SLUG_SUFFIX):
        slug = _numbered_slug(item.slug, number)
        target = into / item.folder / f"{slug}.md"
        relative = f"{item.folder}/{slug}.md"
        if target in claimed or slug.casefold() in addresses.run:
            continue  # another article of this run has that name, or that address
        text = item.render(slug)
        existing = _existing(target)
        if existing is None:
            if addresses.taken(slug, relative):
                continue  # a file elsewhere under `into` (another month…) has that address
            addresses.claim(slug, target, claimed)
            return Planned(Outcome(origin, "written", output=target.as_posix(), warnings=item.warnings), target, text)
        if existing == text:
            addresses.claim(slug, target, claimed)
            return Planned(Outcome(origin, "unchanged", output=target.as_posix(), warnings=item.warnings))
        if identity(existing, relative) == wanted:
            addresses.claim(slug, target, claimed)
            reason = f"conflict: {target.as_posix()} exists and differs from what ingest would write; not overwritten"
            return Planned(Outcome(origin, "rejected", output=target.as_posix(), reason=reason, warnings=item.warnings))
        # A different article already has that name: try the next suffix.
    reason = f"no free file name for slug {item.slug!r}"
    return Planned(Outcome(origin, "rejected", reason=reason, warnings=item.warnings))


def _numbered_slug(slug: str, number: int) -> str:
    """``slug`` (number 1) or ``slug-<number>``, at most MAX_SLUG_LENGTH characters.

    The base is cut to make room for the suffix (at a ``-`` boundary when
    possible, as :func:`slugify` cuts), so the builder, which slugifies the
    front matter's ``slug:`` again, keeps the suffix: ``slugify(result) == result``.
    """
    if number == 1:
        return _stable_slug(slug)
    suffix = f"-{number}"
    room = MAX_SLUG_LENGTH - len(suffix)
    base = slug
    if len(base) > room:
        cut = base[:room]
        if base[room] != "-" and "-" in cut[room // 2 :]:
            cut = cut.rsplit("-", 1)[0]
        base = cut.strip("-")
    return _stable_slug(f"{base}{suffix}")


def _stable_slug(slug: str) -> str:
    """``slug`` as the builder will read it back: slugify until nothing changes."""
    for _ in range(4):
        again = slugify(slug)
        if again == slug or not again:
            break
        slug = again
    return slug


@dataclass
class _Addresses:
    """Article addresses (build slugs, casefolded, as the build compares them) taken
    under ``into``: by files there before the run (read once), and by this run."""

    on_disk: dict[str, set[str]]  # address -> files (relative to `into`) that claim it
    run: set[str]

    def taken(self, slug: str, relative: str) -> bool:
        """Whether a file other than ``relative`` already claims ``slug``'s address."""
        return bool(self.on_disk.get(slug.casefold(), set()) - {relative})

    def claim(self, slug: str, target: Path, claimed: set[Path]) -> None:
        claimed.add(target)
        self.run.add(slug.casefold())


_FRONT_MATTER_FENCE = re.compile(r"^---[ \t]*$")
_SLUG_KEY = re.compile(r"""^["']?slug["']?[ \t]*:""")


def _addresses_on_disk(into: Path) -> dict[str, set[str]]:
    """The address every source file under ``into`` claims, as the build reads it."""
    found: dict[str, set[str]] = {}
    if not into.is_dir():
        return found
    for directory, subdirs, names in os.walk(into):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        here = Path(directory)
        for name in names:
            path = here / name
            if name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            relative = path.relative_to(into).as_posix()
            address = _address_of(path, relative)
            if address:
                found.setdefault(address.casefold(), set()).add(relative)
    return found


def _address_of(path: Path, relative: str) -> str:
    """The slug the build gives a source file: its front matter's ``slug:``, else its name."""
    given: object = None
    if path.suffix.lower() in (".md", ".markdown"):
        try:
            given = _front_matter_slug(path.read_bytes().decode("utf-8-sig", errors="replace"), path, relative)
        except OSError:
            given = None
    if isinstance(given, str | int | float) and not isinstance(given, bool):
        return slugify(str(given))
    stem = slugify(PurePosixPath(relative).stem)
    return stem or "article-" + hashlib.sha1(relative.encode("utf-8")).hexdigest()[:10]


def _front_matter_slug(text: str, path: Path, relative: str) -> object:
    """The ``slug:`` value of a Markdown file's front matter, or None.

    The one ``slug:`` line is read on its own (fast, for folders of thousands of
    files); anything unusual is read by the builder's own reader."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not _FRONT_MATTER_FENCE.match(lines[0]):
        return None
    for index in range(1, len(lines)):
        line = lines[index]
        if _FRONT_MATTER_FENCE.match(line) or line.rstrip() == "...":
            return None
        if not _SLUG_KEY.match(line):
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not following[:1].isspace():  # the value is on this one line
            try:
                value, _lines = parse_front_matter(line, relative, index + 1)
            except BuilderError:
                value = {}
            if "slug" in value:
                return value["slug"]
        try:
            return read_file(path, relative).metadata.get("slug")
        except BuilderError:
            return None
    return None


def _existing(target: Path) -> str | None:
    try:
        return target.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        return ""  # unreadable: never overwrite it


def write(planned: Iterable[Planned]) -> None:
    """Write the new files; each appears whole or not at all."""
    for item in planned:
        if item.target is None or item.text is None:
            continue
        item.target.parent.mkdir(parents=True, exist_ok=True)
        temporary = item.target.with_name(f".{item.target.name}.tmp")
        temporary.write_text(item.text, encoding="utf-8", newline="\n")
        temporary.replace(item.target)


@dataclass(frozen=True)
class Ingested:
    """What an ingest run did: one outcome per item, and the learned boilerplate it dropped."""

    outcomes: list[Outcome]
    learned: list[dict[str, object]]


def run_ingest(
    paths: Iterable[Path],
    into: Path,
    mapping: FieldMapping = DEFAULT_MAPPING,
    progress: Progress | None = None,
    outlets: Outlets | None = None,
) -> Ingested:
    """Ingest every input under ``paths`` into the source folder ``into``."""
    files = find_inputs(paths)
    items: list[Item] = []
    for number, file in enumerate(files, start=1):
        items.extend(read_input(file, mapping))
        if progress:
            progress(number, len(files))
    decided = plan(items, into, outlets)
    write(decided.planned)
    return Ingested([p.outcome for p in decided.planned], decided.learned)


def ingest(
    paths: Iterable[Path],
    into: Path,
    mapping: FieldMapping = DEFAULT_MAPPING,
    progress: Progress | None = None,
) -> list[Outcome]:
    """:func:`run_ingest`, the outcomes only."""
    return run_ingest(paths, into, mapping, progress).outcomes
