"""The ingest run: inputs found, read, cleaned, de-duplicated, written, reported."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from builder.ingest.decoding import decode_bytes
from builder.ingest.duplicates import find_duplicates
from builder.ingest.html import declared_charset, looks_like_html, read_html
from builder.ingest.jsonrecords import DEFAULT_MAPPING, FieldMapping, looks_like_json, read_json
from builder.ingest.output import NotAnArticle, Prepared, identity, identity_of, prepare
from builder.ingest.plaintext import read_plain
from builder.ingest.records import Item, Outcome, Rejected
from builder.ingest.trec import looks_like_trec, read_trec

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


def plan(items: list[Item], into: Path) -> list[Planned]:
    """Decide every item's fate. Reads existing files under ``into``; writes nothing."""
    ordered = sorted(items, key=lambda item: origin_key(item.origin))
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
        results[index] = _place(item_prepared, into, claimed)
    return [results[index] for index in range(len(ordered))]


def _place(item: Prepared, into: Path, claimed: set[Path]) -> Planned:
    """Pick the file for a kept article: new, unchanged, or a conflict."""
    origin = item.candidate.origin
    wanted = identity_of(item.candidate)
    for number in range(1, MAX_SLUG_SUFFIX):
        slug = item.slug if number == 1 else f"{item.slug}-{number}"
        target = into / item.folder / f"{slug}.md"
        relative = f"{item.folder}/{slug}.md"
        if target in claimed:
            continue  # another article of this run has that name
        text = item.render(slug)
        existing = _existing(target)
        if existing is None:
            claimed.add(target)
            return Planned(Outcome(origin, "written", output=target.as_posix(), warnings=item.warnings), target, text)
        if existing == text:
            claimed.add(target)
            return Planned(Outcome(origin, "unchanged", output=target.as_posix(), warnings=item.warnings))
        if identity(existing, relative) == wanted:
            claimed.add(target)
            reason = f"conflict: {target.as_posix()} exists and differs from what ingest would write; not overwritten"
            return Planned(Outcome(origin, "rejected", output=target.as_posix(), reason=reason, warnings=item.warnings))
        # A different article already has that name: try the next suffix.
    reason = f"no free file name for slug {item.slug!r}"
    return Planned(Outcome(origin, "rejected", reason=reason, warnings=item.warnings))


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


def ingest(
    paths: Iterable[Path],
    into: Path,
    mapping: FieldMapping = DEFAULT_MAPPING,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Ingest every input under ``paths`` into the source folder ``into``."""
    files = find_inputs(paths)
    items: list[Item] = []
    for number, file in enumerate(files, start=1):
        items.extend(read_input(file, mapping))
        if progress:
            progress(number, len(files))
    planned = plan(items, into)
    write(planned)
    return [p.outcome for p in planned]
