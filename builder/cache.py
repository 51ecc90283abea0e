"""What reading a source file produced, kept between builds.

Reading, cleaning, modelling, tagging and analysing an article for search is
most of the builder's work, and all of it depends only on the file's bytes, the
builder's code and data, the taxonomy and a few flags. So a rebuild reuses the
previous result of every file whose size and modification time are unchanged,
as long as the *fingerprint* of everything else is the same; any change to the
code, the taxonomy, the flags or the source folder starts from an empty cache.

The cache is one pickle in a folder the builder owns (``build/cache/`` next to
the report by default); it is only ever read back by the builder that wrote it.
A missing, stale or unreadable cache is never an error: the build reads every
file, as a first build does, and writes a fresh cache.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

CACHE_FILE = "articles.pickle"
FORMAT = 3  # 3: each entry carries pass one of entity discovery
_PACKAGE = Path(__file__).resolve().parent
_CODE_SUFFIXES = {".py", ".yml", ".yaml", ".json", ".txt"}
# Libraries whose behaviour shapes an article (parsing, dates, Unicode data).
_LIBRARIES = ("pyyaml", "hijridate", "babel")

Stat = tuple[int | str, ...]  # size in bytes, modification time in ns, and what else a result depends on
Hook = Callable[[str, Any], Any]  # (relative path, value) → value


def _same(relative: str, value: Any) -> Any:
    return value


def code_fingerprint() -> str:
    """Hash of the builder's own code and data files, Python and library versions."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version}".encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    return digest.hexdigest()


def fingerprint(source_dir: Path, *parts: object, files: Iterable[Path] = ()) -> str:
    """The key every cached entry is valid under: code, source folder, ``parts``
    (flags, given by their ``repr``) and the bytes of ``files`` (taxonomy…)."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(str(source_dir.resolve()).encode() + b"\0")
    for part in parts:
        digest.update(repr(part).encode() + b"\0")
    for path in files:
        digest.update(str(path).encode() + b"\0")
        digest.update((path.read_bytes() if path.is_file() else b"-") + b"\0")
    return digest.hexdigest()


def stat_of(path: Path) -> Stat | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)


@dataclass
class LoadCache:
    """Results of loading files, by the file's relative path. ``get`` answers
    only for an unchanged file; ``save`` keeps only the entries of this build,
    so deleted files leave the cache with them."""

    path: Path | None
    key: str
    _old: dict[str, tuple[Stat, Any]]
    _new: dict[str, tuple[Stat, Any]]
    hits: int = 0
    changed: bool = False
    _saving: Hook = _same

    @classmethod
    def open(
        cls, folder: Path | None, key: str, *, loading: Hook | None = None, saving: Hook | None = None
    ) -> LoadCache:
        """``loading`` maps each stored value as it is read, ``saving`` each value
        as it is written: so a part of it can live elsewhere in between (the
        pipeline keeps search records on disk, not in memory)."""
        path = folder / CACHE_FILE if folder is not None else None
        old: dict[str, tuple[Stat, Any]] = {}
        if path is not None and path.is_file():
            try:
                with path.open("rb") as handle:
                    old = _read_entries(handle, key, loading or _same)
            except Exception:  # a damaged cache only costs a full read
                old = {}
        return cls(path, key, old, {}, _saving=saving or _same)

    def get(self, relative: str, stat: Stat | None) -> Any | None:
        entry = self._old.get(relative)
        if entry is None or stat is None or entry[0] != stat:
            return None
        self._new[relative] = entry
        self.hits += 1
        return entry[1]

    def put(self, relative: str, stat: Stat | None, value: Any) -> None:
        if stat is not None:
            self._new[relative] = (stat, value)
            self.changed = True

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is skipped silently
        (it is an optimisation, and the build itself has succeeded)."""
        unchanged = not self.changed and self._new.keys() == self._old.keys()
        if self.path is None or (unchanged and self.path.is_file()):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                _write_entries(handle, self.key, self._new, self._saving)
            temporary.replace(self.path)
        except OSError:
            return


# The file is a header pickle, then the entries in pickles of CHUNK entries.
# One pickle of everything would keep a memo of every object written (at 100k
# articles, hundreds of MB held at the build's peak); a chunk's memo is small.
CHUNK = 256


def _write_entries(handle: BinaryIO, key: str, entries: dict[str, tuple[Stat, Any]], saving: Hook) -> None:
    pickle.dump({"key": key, "format": FORMAT, "entries": len(entries)}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    items = list(entries.items())
    for start in range(0, len(items), CHUNK):
        chunk = [
            (relative, (stat, saving(relative, value))) for relative, (stat, value) in items[start : start + CHUNK]
        ]
        pickle.dump(chunk, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _read_entries(handle: BinaryIO, key: str, loading: Hook) -> dict[str, tuple[Stat, Any]]:
    """The entries stored under ``key``; none when the file was written under another."""
    header = pickle.load(handle)  # noqa: S301 - our own file, in a folder only the builder writes
    if not isinstance(header, dict) or header.get("key") != key or header.get("format") != FORMAT:
        return {}
    entries: dict[str, tuple[Stat, Any]] = {}
    while len(entries) < header["entries"]:
        for relative, (stat, value) in pickle.load(handle):  # noqa: S301
            entries[relative] = (stat, loading(relative, value))
    return entries
