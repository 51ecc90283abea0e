"""Ready HTML: the builder renders its article, tag and archive pages itself.

Python-Markdown inside MkDocs, on one core, was most of a build. So after the
Markdown is written into ``docs/``, the builder renders those pages to HTML in
worker processes, with MkDocs' own page renderer (``Page.render``: the
configuration's Markdown extensions and slugify, MkDocs' link rewriting) and
the hooks' nh3 sanitiser, exactly what MkDocs would do with them. During the
MkDocs run, the hooks (``builder.mkdocs_hooks``) take a page's HTML from here
through two documented events: ``on_page_markdown`` returns an empty stub when
the page's Markdown is the one rendered here, and ``on_page_content`` hands the
ready HTML, table of contents and title back. A page whose Markdown differs
(edited by hand, a standalone ``mkdocs build`` or ``mkdocs serve``) is rendered
by MkDocs as before, so the result is the same either way (a test builds sites
both ways and compares every byte).

What is rendered is cached between builds by content hash (the page's path and
Markdown), under a key of everything else the HTML depends on (configuration,
versions, the builder's code), in ``pages.cache`` next to the article cache: an
authenticated file like it (HMAC-SHA256 under the same per-user secret), since
ready HTML skips the sanitiser on its way into the site. A page whose rendering
logged a warning (a link to a missing page) is never made ready: MkDocs renders
it itself, and strict mode fails as it always did.

Only the MkDocs and Material versions this was tested with are trusted: on any
other the builder warns and lets MkDocs render every page.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import importlib.metadata
import json
import logging
import multiprocessing
import os
import zlib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from builder.cache import code_fingerprint, folder_key, load_secret
from builder.model import GeneratedFile
from builder.tempfiles import ByteSpool, Where

TESTED_MKDOCS = ("1.6.1",)
TESTED_MATERIAL_SERIES = ("9.8.",)
RENDERED_FOLDERS = ("articles/", "archive/", "tags/")
PACK_FILE = "pages.cache"
FORMAT = 1
_MAGIC = b"builder-pages\0" + FORMAT.to_bytes(2, "big")
_LENGTH = 4
_KEY = hashlib.sha256().digest_size
_TAG = hashlib.sha256().digest_size
# What a page's HTML depends on besides its Markdown and the builder's code.
_LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "nh3")
PARALLEL_THRESHOLD = 64  # pages to render below which worker processes cost more than they save
_CHUNK = 32


def untested_versions() -> str | None:
    """Why ready HTML cannot be trusted with the installed MkDocs and Material, or None."""
    try:
        mkdocs, material = importlib.metadata.version("mkdocs"), importlib.metadata.version("mkdocs-material")
    except importlib.metadata.PackageNotFoundError as missing:
        return f"{missing.name} is not installed"
    if mkdocs in TESTED_MKDOCS and material.startswith(TESTED_MATERIAL_SERIES):
        return None
    return (
        f"MkDocs {mkdocs} with Material {material} is untested (tested: MkDocs {', '.join(TESTED_MKDOCS)}, "
        f"Material {', '.join(s + 'x' for s in TESTED_MATERIAL_SERIES)}): MkDocs renders every page itself (slower)"
    )


def renders(path: str) -> bool:
    """Is the generated page at ``path`` (under ``docs/``) rendered here?"""
    return path.endswith(".md") and path.startswith(RENDERED_FOLDERS)


def markdown_body(content: str) -> str | None:
    """The Markdown MkDocs will read from ``content`` once it is a file: newlines
    read as Python reads text files, the YAML front matter taken off as
    ``mkdocs.utils.meta.get_data`` does. None without front matter (MkDocs
    would then try other metadata forms: such a page is left to it)."""
    from mkdocs.utils.meta import YAML_RE

    text = content.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    found = YAML_RE.match(text)
    return text[found.end() :].lstrip("\n") if found else None


def page_key(path: str, markdown: str) -> bytes:
    """What a rendered page is cached and found by: its path and its Markdown."""
    return hashlib.sha256(path.encode("utf-8") + b"\0" + markdown.encode("utf-8", "surrogatepass")).digest()


class PageKeys:
    """Watches generated files go by (to the writer) and keeps the key of each
    page rendered here: the Markdown itself is read back from ``docs/`` only
    for the pages the cache does not hold."""

    def __init__(self) -> None:
        self.wanted: list[tuple[str, bytes]] = []

    def observe(self, files: Iterable[GeneratedFile]) -> Iterator[GeneratedFile]:
        for file in files:
            if renders(file.path):
                body = markdown_body(file.content)
                if body is not None:
                    self.wanted.append((file.path, page_key(file.path, body)))
            yield file


@dataclass(frozen=True)
class Ready:
    """A page as MkDocs' renderer and the sanitiser left it."""

    html: str
    toc: list[Any]  # [title, id, level, children] per heading
    title: str | None  # the first <h1>'s text, as MkDocs extracts it
    anchors: tuple[str, ...]  # the ids the page holds (MkDocs' anchor validation)

    def pack(self) -> bytes:
        data = [self.html, self.toc, self.title, list(self.anchors)]
        return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 1)

    @classmethod
    def unpack(cls, payload: bytes) -> Ready:
        html, toc, title, anchors = json.loads(zlib.decompress(payload))
        return cls(html, toc, title, tuple(anchors))

    def table_of_contents(self) -> Any:
        """The table of contents as ``Page.render`` leaves it (``get_toc``)."""
        from mkdocs.structure.toc import AnchorLink, TableOfContents

        def link(entry: list[Any]) -> AnchorLink:
            title, anchor, level, children = entry
            item = AnchorLink(title, anchor, level)
            item.children = [link(child) for child in children]
            return item

        items = [link(entry) for entry in self.toc]
        if items:
            items[0].active = True  # type: ignore[attr-defined]  # as get_toc marks it
        return TableOfContents(items)


def _toc_entries(toc: Iterable[Any]) -> list[Any]:
    return [[item.title, item.id, item.level, _toc_entries(item.children)] for item in toc]


class ReadyPages:
    """This build's ready pages: their packed HTML in an unnamed temporary file,
    found by path and checked against the Markdown MkDocs read."""

    def __init__(self) -> None:
        self._spool = ByteSpool("ready-pages-")
        self._where: dict[str, tuple[bytes, Where]] = {}

    def __len__(self) -> int:
        return len(self._where)

    def add(self, path: str, key: bytes, payload: bytes) -> None:
        self._where[path] = (key, self._spool.append(payload))

    def find(self, path: str, markdown: str) -> Where | None:
        entry = self._where.get(path)
        if entry is None or entry[0] != page_key(path, markdown):
            return None
        return entry[1]

    def read(self, where: Where) -> Ready:
        return Ready.unpack(self._spool.read(where))

    def payloads(self) -> Iterator[tuple[bytes, bytes]]:
        for key, where in self._where.values():
            yield key, self._spool.read(where)

    def close(self) -> None:
        self._spool.close()


# The ready pages of the MkDocs run in progress, for the hooks (a module the
# hooks import, since MkDocs loads the hooks file as a module of its own).
_active: ReadyPages | None = None


@contextlib.contextmanager
def activated(pages: ReadyPages | None) -> Iterator[None]:
    global _active  # one MkDocs run at a time in a process
    previous, _active = _active, pages
    try:
        yield
    finally:
        _active = previous


def find(path: str, markdown: str) -> Where | None:
    """Where the ready HTML of this page is, when MkDocs read the Markdown it was made from."""
    return _active.find(path, markdown) if _active is not None else None


def read(where: Where) -> Ready:
    if _active is None:
        raise RuntimeError("no ready pages outside a build")
    return _active.read(where)


# --- rendering, in worker processes --------------------------------------------------------

# The configuration and files of the site, set before the workers fork (they inherit it).
_context: tuple[Any, Any, Path] | None = None


def _load_context(config_file: Path, docs_dir: Path, use_directory_urls: bool | None) -> tuple[Any, Any, Path]:
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    overrides: dict[str, Any] = {"docs_dir": str(docs_dir.resolve())}
    if use_directory_urls is not None:
        overrides["use_directory_urls"] = use_directory_urls
    config = load_config(config_file=str(config_file), **overrides)
    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    return config, files, docs_dir.resolve()


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextlib.contextmanager
def _counting_warnings() -> Iterator[_Warnings]:
    """MkDocs' warnings while a page renders, counted and kept quiet: such a
    page is left to MkDocs, which says them itself."""
    logger = logging.getLogger("mkdocs")
    handler = _Warnings()
    logger.addHandler(handler)
    previous, logger.propagate = logger.propagate, False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous


def render_page(path: str, key: bytes) -> tuple[str, bytes, bytes | None]:
    """One page rendered as MkDocs would (``Page.render``, then the hooks'
    sanitiser): (path, key, packed ``Ready``), or None for the packed page when
    the file no longer holds that Markdown or rendering warned."""
    from mkdocs.structure.pages import Page

    from builder.mkdocs_hooks import sanitize

    if _context is None:
        raise RuntimeError("render_page runs inside render_ready_pages")
    config, files, docs_dir = _context
    file = files.get_file_from_path(path)
    if file is None:
        return path, key, None
    markdown = markdown_body((docs_dir / path).read_text(encoding="utf-8-sig", errors="strict"))
    if markdown is None or page_key(path, markdown) != key:
        return path, key, None
    page = Page(None, file, config)
    try:
        page.markdown = markdown
        with _counting_warnings() as warnings:
            page.render(config, files)
        if warnings.count:
            return path, key, None
        ready = Ready(
            sanitize(page.content or ""),
            _toc_entries(page.toc),
            page._title_from_render,  # what Page.title falls back on (private in the pinned MkDocs)
            tuple(sorted(page.present_anchor_ids or ())),
        )
    finally:
        file.page = None  # the File is shared by every page of this worker: keep no page alive
    return path, key, ready.pack()


def _render_all(todo: Sequence[tuple[str, bytes]], jobs: int) -> Iterator[tuple[str, bytes, bytes | None]]:
    if jobs > 1 and len(todo) >= PARALLEL_THRESHOLD:
        # Forked: the workers inherit the configuration and the files collection.
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(render_page, *zip(*todo, strict=True), chunksize=_CHUNK)
    else:
        for path, key in todo:
            yield render_page(path, key)


@dataclass(frozen=True)
class RenderStats:
    pages: int  # ready pages
    rendered: int  # of which rendered in this build (the rest came from the cache)
    left_to_mkdocs: int  # pages whose rendering warned (MkDocs renders them and says why)


def context_fingerprint(config_file: Path, docs_dir: Path, use_directory_urls: bool | None) -> str:
    """What every cached page's HTML depends on besides its own path and Markdown."""
    digest = hashlib.sha256(f"{FORMAT}|{code_fingerprint()}|{use_directory_urls}".encode())
    digest.update(str(docs_dir.resolve()).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(config_file.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    return digest.hexdigest()


def render_ready_pages(
    config_file: Path,
    docs_dir: Path,
    wanted: Sequence[tuple[str, bytes]],
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
    use_directory_urls: bool | None = None,
) -> tuple[ReadyPages, RenderStats]:
    """The ready HTML of every page in ``wanted`` (path, key), from the cache or
    rendered in ``jobs`` processes; the cache is then rewritten with exactly these."""
    global _context  # read by render_page, in this process or in forked workers
    context = context_fingerprint(config_file, docs_dir, use_directory_urls)
    pack = _Pack.open(cache_dir, context)
    pages = ReadyPages()
    todo: list[tuple[str, bytes]] = []
    for path, key in wanted:
        payload = pack.get(key)
        if payload is None:
            todo.append((path, key))
        else:
            pages.add(path, key, payload)
    pack.close()
    rendered = left = 0
    if todo:
        _context = _load_context(config_file, docs_dir, use_directory_urls)
        try:
            for path, key, payload in _render_all(todo, jobs):
                if payload is None:
                    left += 1
                else:
                    pages.add(path, key, payload)
                    rendered += 1
        finally:
            _context = None
    if rendered or len(pages) != pack.entries:
        pack.save(pages)
    return pages, RenderStats(len(pages), rendered, left)


class _Pack:
    """The cache file: a header naming the context, then one frame per page:
    [length, HMAC tag, key, packed page]. Each frame's tag covers its key and its
    bytes, under the cache folder's key (``builder.cache.folder_key``); a frame
    that does not match is ignored, never used."""

    def __init__(self, path: Path | None, context: str, mac_key: bytes, index: dict[bytes, tuple[int, int]]) -> None:
        self.path, self.context, self.mac_key, self.index = path, context, mac_key, index
        self.entries = len(index)
        self._handle: BinaryIO | None = None

    @classmethod
    def open(cls, folder: Path | None, context: str) -> _Pack:
        secret = load_secret() if folder is not None else None
        if folder is None or secret is None:
            return cls(None, context, b"", {})
        pack = cls(folder / PACK_FILE, context, folder_key(secret, folder), {})
        try:
            pack._handle = pack.path.open("rb") if pack.path and pack.path.is_file() else None
            if pack._handle is not None:
                pack.index = pack._read_index(pack._handle)
                pack.entries = len(pack.index)
        except (OSError, ValueError):
            pack.index = {}
        return pack

    def _tag(self, *parts: bytes) -> bytes:
        mac = hmac.new(self.mac_key, b"builder ready pages\0", hashlib.sha256)
        for part in parts:
            mac.update(part)
        return mac.digest()

    def _read_index(self, handle: BinaryIO) -> dict[bytes, tuple[int, int]]:
        head = handle.read(len(_MAGIC) + _LENGTH + _TAG)
        if not head.startswith(_MAGIC):
            return {}
        length = int.from_bytes(head[len(_MAGIC) : len(_MAGIC) + _LENGTH], "big")
        context = handle.read(length)
        if not hmac.compare_digest(head[-_TAG:], self._tag(context)) or context.decode() != self.context:
            return {}
        index: dict[bytes, tuple[int, int]] = {}
        size = os.fstat(handle.fileno()).st_size
        at = handle.tell()
        while at + _LENGTH + _TAG + _KEY <= size:
            handle.seek(at)
            frame = handle.read(_LENGTH + _TAG + _KEY)
            length = int.from_bytes(frame[:_LENGTH], "big")
            start = at + _LENGTH + _TAG
            if start + _KEY + length > size:
                break  # cut short: the rest is lost, never misread
            index[frame[-_KEY:]] = (at, length)
            at = start + _KEY + length
        return index

    def get(self, key: bytes) -> bytes | None:
        """The packed page stored under ``key``, once its tag is checked."""
        found = self.index.get(key)
        if found is None or self._handle is None:
            return None
        at, length = found
        self._handle.seek(at)
        frame = self._handle.read(_LENGTH + _TAG + _KEY + length)
        tag, payload = frame[_LENGTH : _LENGTH + _TAG], frame[_LENGTH + _TAG + _KEY :]
        if len(payload) != length or not hmac.compare_digest(tag, self._tag(key, payload)):
            return None
        return payload

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def save(self, pages: ReadyPages) -> None:
        """Write atomically; a cache that cannot be written is skipped (the build does not need it)."""
        if self.path is None:
            return
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                context = self.context.encode()
                handle.write(_MAGIC + len(context).to_bytes(_LENGTH, "big") + self._tag(context) + context)
                for key, payload in pages.payloads():
                    handle.write(len(payload).to_bytes(_LENGTH, "big") + self._tag(key, payload) + key + payload)
            temporary.replace(self.path)
        except OSError:
            temporary.unlink(missing_ok=True)
