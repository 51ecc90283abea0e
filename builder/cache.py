"""What reading a source file produced, kept between builds.

Reading, cleaning, modelling, tagging and analysing an article for search is
most of the builder's work, and all of it depends only on the file's bytes, the
builder's code and data, the taxonomy and a few flags. So a rebuild reuses the
previous result of every file whose size and modification time are unchanged,
as long as the *fingerprint* of everything else is the same; any change to the
code, the taxonomy, the flags or the source folder starts from an empty cache.

Where: ``build/cache/`` next to the site's configuration file (a folder of the
project that only the builder writes), or ``--cache-dir``; never a folder found
from another option such as ``--report``.

Why a cache file cannot run code: it is a series of pickles (they keep the
articles' own classes and their shared tags, and are the fastest way back to
them), and unpickling runs whatever the bytes say. So every chunk is
authenticated before it is unpickled: an HMAC-SHA256 under a key derived from
a per-user secret and the cache folder's own path. The secret is 32 random
bytes in a file only its owner can read, outside the cache folder and outside
the project (``$XDG_CONFIG_HOME/arabic-archive-builder/cache-secret``, or the
file named by ``BUILDER_CACHE_SECRET_FILE``). A file planted in the cache
folder, copied from another project or from another user, or changed by one
byte fails the check and is never unpickled: it costs a full read, like a
first build. A format that cannot execute (JSON, msgpack) was the alternative;
it would mean converting every article class both ways, a second model of the
data to keep in step, for a slower load, while anyone who can read the secret
can already run code as this user. Without a usable secret (no writable home,
a secret others can read) the build runs without a cache rather than fail.

A missing, stale, damaged or unauthenticated cache is never an error: the
build reads every file, as a first build does, and writes a fresh cache.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.metadata
import os
import pickle
import secrets
import stat as file_mode
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

CACHE_FILE = "articles.cache"
_LEGACY_FILE = "articles.pickle"  # the unauthenticated format before 4: removed, never read
FORMAT = 4  # 4: authenticated chunks; 3: each entry carries pass one of entity discovery
SECRET_ENV = "BUILDER_CACHE_SECRET_FILE"  # noqa: S105 - names a file, holds no secret
SECRET_SIZE = 32
_MAGIC = b"builder-cache\0" + FORMAT.to_bytes(2, "big")
_NONCE_SIZE = 16
_LENGTH_SIZE = 8
_TAG_SIZE = hashlib.sha256().digest_size
_PACKAGE = Path(__file__).resolve().parent
_CODE_SUFFIXES = {".py", ".yml", ".yaml", ".json", ".txt"}
# Libraries whose behaviour shapes an article (parsing, dates, Unicode data).
_LIBRARIES = ("pyyaml", "hijridate", "babel")

Stat = tuple[int | str, ...]  # size in bytes, modification time in ns, and what else a result depends on
Hook = Callable[[str, Any], Any]  # (relative path, value) → value


def _same(relative: str, value: Any) -> Any:
    return value


def default_folder(config_file: Path) -> Path:
    """The project's cache folder: ``build/cache`` next to its configuration file."""
    return config_file.parent / "build" / "cache"


def secret_file() -> Path:
    """Where this user's secret lives: outside every project and cache folder."""
    chosen = os.environ.get(SECRET_ENV)
    if chosen:
        return Path(chosen)
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "arabic-archive-builder" / "cache-secret"


def _read_secret(path: Path) -> bytes | None:
    """The secret, if only its owner (this user) can read or change it."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        private = file_mode.S_ISREG(info.st_mode) and not info.st_mode & 0o077
        if not private or info.st_uid != os.geteuid():
            return None
        secret = handle.read(SECRET_SIZE + 1)
    return secret if len(secret) == SECRET_SIZE else None


def load_secret(path: Path | None = None) -> bytes | None:
    """This user's secret, created (mode 0600) on first use; None when it can be
    neither read nor made safely, and then the build goes without a cache."""
    path = path or secret_file()
    secret = _read_secret(path)
    if secret is not None or path.exists():
        return secret
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(SECRET_SIZE))
        try:
            os.link(temporary, path)  # never replaces: a concurrent first run's secret wins
        except FileExistsError:
            pass
        finally:
            temporary.unlink(missing_ok=True)
    except OSError:
        return None
    return _read_secret(path)


def secret_notice(path: Path | None = None) -> str | None:
    """What to tell the user when there is no usable secret, so no cache: None when
    there is one (``load_secret`` creates it on first use)."""
    path = path or secret_file()
    if load_secret(path) is not None:
        return None
    return (
        f"notice: the build cache is off: its secret {path} cannot be made or is readable by others; "
        f"make it yours alone (chmod 600), remove it to get a new one, or set {SECRET_ENV} to another file"
    )


def folder_key(secret: bytes, folder: Path) -> bytes:
    """The key of one cache folder: a file authenticated for one project's folder
    is refused in any other."""
    where = str(folder.resolve()).encode("utf-8", "surrogateescape")
    return hmac.new(secret, b"builder cache folder\0" + where, hashlib.sha256).digest()


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
    _mac_key: bytes = b""

    @classmethod
    def open(
        cls,
        folder: Path | None,
        key: str,
        *,
        loading: Hook | None = None,
        saving: Hook | None = None,
        secret: bytes | None = None,
    ) -> LoadCache:
        """``loading`` maps each stored value as it is read, ``saving`` each value
        as it is written: so a part of it can live elsewhere in between (the
        pipeline keeps search records on disk, not in memory). ``secret``
        defaults to this user's (``load_secret``); without one there is no cache."""
        if folder is not None and secret is None:
            secret = load_secret()
        if folder is None or secret is None:
            return cls(None, key, {}, {})
        path = folder / CACHE_FILE
        mac_key = folder_key(secret, folder)
        old: dict[str, tuple[Stat, Any]] = {}
        if path.is_file():
            try:
                with path.open("rb") as handle:
                    old = _read_entries(handle, key, loading or _same, mac_key)
            except Exception:  # a damaged or unauthenticated cache only costs a full read
                old = {}
        return cls(path, key, old, {}, _saving=saving or _same, _mac_key=mac_key)

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
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                _write_entries(handle, self.key, self._new, self._saving, self._mac_key)
            temporary.replace(self.path)
            (self.path.parent / _LEGACY_FILE).unlink(missing_ok=True)
        except (OSError, ValueError):  # ValueError: a name that is not UTF-8, say
            temporary.unlink(missing_ok=True)
            return


# The file is a header, then the entries in chunks of CHUNK entries, each chunk
# one pickle: one pickle of everything would keep a memo of every object written
# (at 100k articles, hundreds of MB held at the build's peak); a chunk's memo is
# small. Layout: magic, a random nonce, then frames of [length, tag, pickle].
# A frame's tag covers the nonce and its place in the file, so frames cannot be
# moved between files or reordered; the header says how many entries follow, so
# a cut file is caught too.
CHUNK = 256


class Unauthentic(ValueError):
    """A cache frame whose tag does not match: never unpickled."""


def _tag(mac_key: bytes, nonce: bytes, index: int, payload: bytes) -> bytes:
    mac = hmac.new(mac_key, nonce + index.to_bytes(_LENGTH_SIZE, "big"), hashlib.sha256)
    mac.update(payload)
    return mac.digest()


def _write_entries(
    handle: BinaryIO, key: str, entries: dict[str, tuple[Stat, Any]], saving: Hook, mac_key: bytes
) -> None:
    nonce = secrets.token_bytes(_NONCE_SIZE)
    handle.write(_MAGIC + nonce)

    def frame(index: int, payload: bytes) -> None:
        handle.write(len(payload).to_bytes(_LENGTH_SIZE, "big") + _tag(mac_key, nonce, index, payload))
        handle.write(payload)

    frame(0, pickle.dumps({"key": key, "format": FORMAT, "entries": len(entries)}, pickle.HIGHEST_PROTOCOL))
    items = list(entries.items())
    for index, start in enumerate(range(0, len(items), CHUNK), start=1):
        chunk = [
            (relative, (stat, saving(relative, value))) for relative, (stat, value) in items[start : start + CHUNK]
        ]
        frame(index, pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))


def _authentic_frames(handle: BinaryIO, mac_key: bytes) -> Iterator[bytes]:
    """Each frame's payload, checked before it is handed on; raises on the first
    frame that is cut short or does not match its tag."""
    if handle.read(len(_MAGIC)) != _MAGIC:
        raise Unauthentic("not a cache file of this format")
    nonce = handle.read(_NONCE_SIZE)
    left = os.fstat(handle.fileno()).st_size - len(_MAGIC) - _NONCE_SIZE
    index = 0
    while True:
        head = handle.read(_LENGTH_SIZE + _TAG_SIZE)
        length = int.from_bytes(head[:_LENGTH_SIZE], "big")
        left -= len(head)
        if len(head) < _LENGTH_SIZE + _TAG_SIZE or length > left:  # never allocate what the file does not hold
            raise Unauthentic("cut short")
        payload = handle.read(length)
        left -= length
        if len(payload) != length or not hmac.compare_digest(head[_LENGTH_SIZE:], _tag(mac_key, nonce, index, payload)):
            raise Unauthentic(f"frame {index} does not match its tag")
        yield payload
        index += 1


def _read_entries(handle: BinaryIO, key: str, loading: Hook, mac_key: bytes) -> dict[str, tuple[Stat, Any]]:
    """The entries stored under ``key``; none when the file was written under another."""
    frames = _authentic_frames(handle, mac_key)
    header = pickle.loads(next(frames))  # noqa: S301 - authenticated above: written by this user's builder
    if not isinstance(header, dict) or header.get("key") != key or header.get("format") != FORMAT:
        return {}
    entries: dict[str, tuple[Stat, Any]] = {}
    while len(entries) < header["entries"]:
        for relative, (stat, value) in pickle.loads(next(frames)):  # noqa: S301 - authenticated
            entries[relative] = (stat, loading(relative, value))
    return entries
