"""The ingest run: inputs found, read, cleaned, de-duplicated, written, reported."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from builder.errors import BuilderError
from builder.ingest.budget import OverBudget, time_limit
from builder.ingest.conventions import apply_conventions
from builder.ingest.decoding import decode_bytes
from builder.ingest.duplicates import find_duplicates
from builder.ingest.html import declared_charset, looks_like_html, read_html
from builder.ingest.jsonrecords import DEFAULT_MAPPING, FieldMapping, looks_like_json, read_json
from builder.ingest.output import NotAnArticle, Prepared, identity, identity_of, prepare
from builder.ingest.plaintext import read_plain
from builder.ingest.records import Item, Outcome, Rejected
from builder.ingest.trec import looks_like_trec, read_trec
from builder.limits import size_problem
from builder.pausepoints import pause_point
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
# Time bounds per item (reading one input file; cleaning and checking one article),
# far above real items (a page reads in well under a second), so only a hostile
# input meets them, and is skipped with the reason instead of stalling the run.
ITEM_SECONDS = 60.0
SECONDS_PER_MB = 5.0

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


def reads_its_output(paths: Iterable[Path], into: Path) -> str | None:
    """Why ingesting ``paths`` into ``into`` would read the folder it writes, or None.

    Reading its own output would ingest the articles again under new addresses."""
    folder = into.resolve()
    for path in paths:
        source = path.resolve()
        if source == folder or folder in source.parents:
            return f"{path} is inside the --into folder {into}: ingest never reads the folder it writes into"
        if source in folder.parents:
            return f"{path} holds the --into folder {into}: ingest never reads the folder it writes into"
    return None


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
    # A file of many records (a JSON export) earns more time than one page.
    seconds = ITEM_SECONDS + SECONDS_PER_MB * len(data) / (1024 * 1024)
    try:
        with time_limit(seconds):
            return read_bytes(data, origin, stem, suffix, mapping)
    except OverBudget:
        return [Rejected(origin, f"skipped: reading it took longer than the bound of {seconds:.3g} s")]


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
    prepared: Prepared | None = None  # to pick another name if ``target`` is taken at write time


@dataclass(frozen=True)
class Plan:
    """Every item's fate, and the boilerplate learned from the batch."""

    planned: list[Planned]
    learned: list[dict[str, object]]
    placement: _Placement | None = None


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
            with time_limit(ITEM_SECONDS):
                prepared.append((index, prepare(item)))
        except NotAnArticle as exc:
            results[index] = Planned(Outcome(item.origin, "rejected", reason=str(exc), warnings=item.warnings))
        except OverBudget:
            reason = f"skipped: cleaning and checking it took longer than the bound of {ITEM_SECONDS:.3g} s"
            results[index] = Planned(Outcome(item.origin, "rejected", reason=reason, warnings=item.warnings))
    duplicates = find_duplicates([p.clean_text for _, p in prepared])
    placement = _Placement(into, set(), _Addresses(_addresses_on_disk(into), set()))  # read once per run
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
        results[index] = _place(item_prepared, placement, _read_existing)
    planned = [results[index] for index in range(len(ordered))] + joined
    return Plan(sorted(planned, key=lambda p: origin_key(p.outcome.origin)), applied.learned, placement)


# Given a free file name and the text for it: None when the name is (or, when
# writing, now is) this article's, else the text of the file already there.
Probe = Callable[[Path, str], str | None]


def _place(item: Prepared, placement: _Placement, probe: Probe) -> Planned:
    """Pick the file for a kept article: new, unchanged, or a conflict.

    The slug written is the address the build will give the file: stable under
    the builder's own slugify (so never cut again), and free site-wide once
    casefolded, among the files already under ``into`` and this run's own.
    Planning probes by reading; writing probes by exclusive creation, so a name
    another process took since planning is seen, and never overwritten.
    """
    origin = item.candidate.origin
    wanted = identity_of(item.candidate)
    into, claimed, addresses = placement.into, placement.claimed, placement.addresses
    for number in range(1, MAX_SLUG_SUFFIX):
        slug = _numbered_slug(item.slug, number)
        target = into / item.folder / f"{slug}.md"
        relative = f"{item.folder}/{slug}.md"
        if target in claimed or slug.casefold() in addresses.run:
            continue  # another article of this run has that name, or that address
        if addresses.taken(slug, relative) and not target.exists():
            continue  # a file elsewhere under `into` (another month…) has that address
        text = item.render(slug)
        too_large = size_problem(len(text.encode("utf-8")))
        if too_large:
            reason = f"too large for the build: the source {too_large}"
            return Planned(Outcome(origin, "rejected", reason=reason, warnings=item.warnings))
        existing = probe(target, text)
        if existing is None:
            addresses.claim(slug, target, claimed)
            outcome = Outcome(origin, "written", output=target.as_posix(), warnings=item.warnings)
            return Planned(outcome, target, text, item)
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
class _Placement:
    """The names and addresses taken under ``into``, shared by planning and writing."""

    into: Path
    claimed: set[Path]  # files this run writes or found unchanged
    addresses: _Addresses


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


def _read_existing(target: Path, _text: str) -> str | None:
    """The probe of planning: read what is there, create nothing."""
    return _existing(target)


def _existing(target: Path) -> str | None:
    try:
        return target.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        return ""  # unreadable: never overwrite it


def write(decided: Plan) -> list[Outcome]:
    """Write the new files and return every item's final outcome.

    Each file appears whole or not at all, and only where no file was: the name
    is checked again at write time by exclusive creation (a hard link to a
    complete temporary file), so a file another run wrote since planning is
    never replaced. Then the article is unchanged (that run wrote the same
    text), a conflict (the same article, differing) or takes the next free name.
    """
    outcomes: list[Outcome] = []
    for item in decided.planned:
        if item.target is None or item.text is None:
            outcomes.append(item.outcome)
            continue
        existing = _create_exclusive(item.target, item.text)
        if existing is None:
            outcomes.append(item.outcome)
        elif existing == item.text:
            outcomes.append(replace(item.outcome, status="unchanged"))
        elif item.prepared is None or decided.placement is None or _same_article(existing, item.target, item.prepared):
            reason = f"conflict: {item.target.as_posix()} was written while ingesting and differs; not overwritten"
            outcomes.append(replace(item.outcome, status="rejected", reason=reason))
        else:
            decided.placement.claimed.add(item.target)  # another article's now: try the next name
            outcomes.append(_place(item.prepared, decided.placement, _create_exclusive).outcome)
    return outcomes


def _same_article(existing: str, target: Path, prepared: Prepared) -> bool:
    relative = f"{prepared.folder}/{target.name}"
    return identity(existing, relative) == identity_of(prepared.candidate)


def _create_exclusive(target: Path, text: str) -> str | None:
    """Create ``target`` holding ``text`` unless a file is there: None when created,
    else the text of the file found (never replaced)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=".ingest-", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        try:
            os.link(temporary, target)  # atomic, and fails if the name exists
        except FileExistsError:
            found = _existing(target)
            return "" if found is None else found  # vanished since: still not ours to take
        except OSError:
            # No hard links here (some network or FUSE folders): O_EXCL still never replaces.
            try:
                with target.open("x", encoding="utf-8", newline="\n") as stream:
                    stream.write(text)
            except FileExistsError:
                found = _existing(target)
                return "" if found is None else found
        return None
    finally:
        temporary.unlink(missing_ok=True)


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
    paths = list(paths)
    overlap = reads_its_output(paths, into)
    if overlap:
        raise BuilderError(overlap)
    files = find_inputs(paths)
    items: list[Item] = []
    for number, file in enumerate(files, start=1):
        items.extend(read_input(file, mapping))
        if progress:
            progress(number, len(files))
    decided = plan(items, into, outlets)
    pause_point("ingest-planned")  # a fault test may run another writer here
    return Ingested(write(decided), decided.learned)


def ingest(
    paths: Iterable[Path],
    into: Path,
    mapping: FieldMapping = DEFAULT_MAPPING,
    progress: Progress | None = None,
) -> list[Outcome]:
    """:func:`run_ingest`, the outcomes only."""
    return run_ingest(paths, into, mapping, progress).outcomes
