"""Shards: MkDocs on every core (``build --jobs N``) or on N machines (``build --shard K/N``).

A clean build runs MkDocs as N forked processes into one fresh staging folder.
Each process marks the pages of the other shards ``InclusionLevel.EXCLUDED``
in ``on_files``. MkDocs 1.6.1 then neither reads, renders nor writes them
(``build`` walks ``documentation_pages(inclusion=is_included)`` and
``copy_static_files(inclusion=is_included)``), yet still rewrites links to
them (``_RelativePathTreeprocessor`` computes the URL and logs the exclusion
at ``info``), and a page named in ``nav`` stays a nav item whatever its
inclusion (``_data_to_navigation``). Shard 1, the owner, alone writes the nav
pages, the static files (assets, theme files), the theme's templates (404,
and a sitemap of every page), the extra templates and the search index; the other shards read
their excluded nav pages without writing them, so the navigation every page
prints is the same as in one process.

The processes run MkDocs in its dirty mode so that none empties the shared
folder; the folder starts empty, so every page counts as modified and is
written.

Pages are shared out by a pure function of their paths and sizes
(``partition``), so separate machines agree on it. Each shard leaves a
manifest in ``.shards/`` of its folder: which shard of how many, the identity
of the partition (shards of another docs tree are refused), and, with
Material's search plugin, its part of the search index (the owner adds the
page order and the index's settings). ``finish`` checks the manifests, writes
``search/search_index.json`` as one MkDocs process would have, and removes
``.shards/``.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import hashlib
import heapq
import json
import multiprocessing
import os
import shutil
import signal
import sys
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from builder.errors import BuilderError, ConfigError

PIECES = ".shards"
FORMAT = 1
# What a page costs besides its Markdown (its template, the navigation, the
# CSP hashing), in bytes of Markdown that cost as much: for balancing only.
PAGE_COST = 4096
_DETAIL_CHARS = 2000  # of a failed shard's messages, passed to the parent
_STOP_SECONDS = 10  # for a shard to end after SIGTERM before it is killed
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Shard:
    number: int  # 1 … count; shard 1 is the owner
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``K/N`` as written on the command line."""
        number, slash, count = text.partition("/")
        try:
            shard = cls(int(number), int(count))
        except ValueError:
            shard = None
        if not slash or shard is None or not 1 <= shard.number <= shard.count:
            raise ValueError(f"expected K/N with 1 ≤ K ≤ N (e.g. 1/2), not {text!r}")
        return shard

    @property
    def owner(self) -> bool:
        return self.number == 1

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"


def partition(pages: Sequence[tuple[str, int]], count: int, owned: Collection[str] = ()) -> dict[str, int]:
    """The shard (1 … ``count``) of each page, given as (path, size in bytes).

    The ``owned`` pages (those of the nav) go to shard 1; the others, heaviest
    first (ties by path), each to the shard with the least weight so far (ties
    to the lowest number), a page weighing its size plus ``PAGE_COST``.
    Depends on nothing but its arguments: every machine finds the same shards."""
    shard_of: dict[str, int] = {}
    owner_load = 0
    rest: list[tuple[int, str]] = []
    for path, size in pages:
        if path in owned:
            shard_of[path] = 1
            owner_load += size + PAGE_COST
        else:
            rest.append((size + PAGE_COST, path))
    loads = [(owner_load if number == 1 else 0, number) for number in range(1, count + 1)]
    heapq.heapify(loads)
    for weight, path in sorted(rest, key=lambda item: (-item[0], item[1])):
        load, number = heapq.heappop(loads)
        shard_of[path] = number
        heapq.heappush(loads, (load + weight, number))
    return shard_of


def identity(pages: Sequence[tuple[str, int]], count: int, owned: Collection[str]) -> str:
    """Names a partition's input: shards built from other docs are not merged."""
    digest = hashlib.sha256(f"{FORMAT}\0{count}\0".encode())
    for path in sorted(owned):
        digest.update(b"owned\0" + path.encode("utf-8", "surrogateescape") + b"\0")
    for path, size in sorted(pages):
        digest.update(path.encode("utf-8", "surrogateescape") + f"\0{size}\0".encode())
    return digest.hexdigest()


def unshardable(config: Any) -> str | None:
    """Why MkDocs cannot be split with this configuration, or None."""
    if config.get("nav") is None:
        return "mkdocs.yml has no nav: MkDocs would build each shard's navigation from its own pages"
    for name, plugin in config.plugins.items():
        module = type(plugin).__module__
        if module == "builtins" or module.startswith("material.plugins.search"):
            continue  # hooks (modules), and the one search plugin whose index is merged
        return f"the plugin {name!r} may need every page in one process"
    return None


def _nav_paths(nav: Any) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav.lstrip("/")
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)


def _size(file: Any) -> int:
    if file.abs_src_path is None:
        return len(file.content_bytes)
    return Path(file.abs_src_path).stat().st_size


@dataclass(frozen=True)
class _Split:
    """The published pages of one MkDocs run, shared out."""

    pages: list[Any]  # every page that would be published, in MkDocs' order
    shard_of: dict[str, int]  # by src_uri
    owned: frozenset[str]  # the nav's pages
    identity: str


def _split(files: Any, config: Any, count: int) -> _Split:
    from mkdocs.structure.files import set_exclusions

    set_exclusions(files, config)  # (MkDocs calls it again after on_files: it only sets undefined ones)
    pages = files.documentation_pages()
    owned = frozenset(
        file.src_uri for path in _nav_paths(config.nav) if (file := files.get_file_from_path(path)) is not None
    )
    sizes = [(file.src_uri, _size(file)) for file in pages]
    return _Split(pages, partition(sizes, count, owned), owned, identity(sizes, count, owned))


def pages_of(config_file: Path, docs_dir: Path, shard: Shard) -> set[str]:
    """The docs paths of the pages ``shard`` builds (for rendering only those to HTML)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    config = load_config(config_file=str(config_file), docs_dir=str(docs_dir.resolve()))
    split = _split(get_files(config), config, shard.count)
    return {path for path, number in split.shard_of.items() if number == shard.number}


def _page_url(file: Any) -> str:
    """``Page.url`` (where Material's search entries point) without the page."""
    return "" if file.url in (".", "./") else str(file.url)


class _ShardEvents:
    """The events that make one MkDocs run build one shard (see the module docstring)."""

    def __init__(self, shard: Shard) -> None:
        self.shard = shard
        self.split: _Split | None = None
        self.nav_elsewhere: list[Any] = []  # nav pages of the owner, read here for the navigation

    def on_files(self, files: Any, *, config: Any) -> Any:
        from mkdocs.structure.files import InclusionLevel

        self.split = _split(files, config, self.shard.count)
        for file in self.split.pages:
            if self.split.shard_of[file.src_uri] != self.shard.number:
                file.inclusion = InclusionLevel.EXCLUDED
                if file.src_uri in self.split.owned:
                    self.nav_elsewhere.append(file)
        if not self.shard.owner:
            for file in files:
                if not file.is_documentation_page() and file.inclusion.is_included():
                    file.inclusion = InclusionLevel.EXCLUDED
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        """The owner's nav pages as a single run sees them when it prints the
        navigation: their metadata read, their title as rendered when the nav
        gives none (``title`` is set on the page only when it does)."""
        for file in self.nav_elsewhere:
            page = file.page
            if page is None or page.markdown is not None:
                continue
            page.read_source(config)
            if "title" not in vars(page):
                page.render(config, files)
                page.content = ""  # (keeps the title and anchors it found)
        return nav

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        """The owner's sitemap lists every page, as in one run: the pages of the
        other shards get their (unread) ``Page``, all the template uses."""
        from mkdocs.structure.pages import Page

        if self.shard.owner and self.split is not None:
            for file in self.split.pages:
                if file.page is None:
                    Page(None, file, config)
        return env

    def on_template_context(self, context: Any, *, template_name: str, config: Any) -> Any:
        if self.shard.owner and self.split is not None and template_name == "sitemap.xml":
            context["pages"] = self.split.pages
        return context

    def on_post_build(self, *, config: Any) -> None:
        """This shard's manifest; Material's search plugin, which would write
        this shard's part only, leaves the index to ``finish``."""
        assert self.split is not None
        piece: dict[str, Any] = {
            "format": FORMAT,
            "shard": self.shard.number,
            "count": self.shard.count,
            "identity": self.split.identity,
        }
        if self.shard.owner:
            piece["order"] = [_page_url(file) for file in self.split.pages]
            piece["site_url"] = config.site_url or ""
        search = _material_search(config)
        if search is not None:
            index = search.search_index
            piece["search"] = index.entries
            if self.shard.owner:
                entries, index.entries = index.entries, []
                piece["search_settings"] = json.loads(index.generate_search_index(None))["config"]
                index.entries = entries
            search.config.enabled = False
        folder = Path(config.site_dir) / PIECES
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{self.shard.number}-of-{self.shard.count}.json").write_text(
            json.dumps(piece, ensure_ascii=False, default=str), encoding="utf-8"
        )


def _material_search(config: Any) -> Any | None:
    for plugin in config.plugins.values():
        if type(plugin).__module__.startswith("material.plugins.search"):
            return plugin
    return None


def _register(config: Any, events: _ShardEvents) -> None:
    """Last on ``files`` (after every plugin added its own), first on
    ``post_build`` (before the search plugin writes)."""
    from mkdocs.plugins import event_priority

    @event_priority(-100)
    def on_files(files: Any, *, config: Any) -> Any:
        return events.on_files(files, config=config)

    @event_priority(-100)
    def on_nav(nav: Any, *, config: Any, files: Any) -> Any:
        return events.on_nav(nav, config=config, files=files)

    @event_priority(-100)
    def on_env(env: Any, *, config: Any, files: Any) -> Any:
        return events.on_env(env, config=config, files=files)

    @event_priority(100)
    def on_template_context(context: Any, *, template_name: str, config: Any) -> Any:
        return events.on_template_context(context, template_name=template_name, config=config)

    @event_priority(100)
    def on_post_build(*, config: Any) -> None:
        events.on_post_build(config=config)

    config.plugins._register_event("files", on_files, plugin_name="builder-shard")
    config.plugins._register_event("nav", on_nav, plugin_name="builder-shard")
    config.plugins._register_event("env", on_env, plugin_name="builder-shard")
    config.plugins._register_event("template_context", on_template_context, plugin_name="builder-shard")
    config.plugins._register_event("post_build", on_post_build, plugin_name="builder-shard")


def build_shard(config: Any, shard: Shard) -> None:
    """Build one shard into ``config.site_dir`` (an empty or shared folder)."""
    from mkdocs.commands.build import build

    reason = unshardable(config)
    if reason is not None:
        raise ConfigError(f"cannot build shard {shard}: {reason}")
    if not shard.owner:
        config.theme.static_templates = set()
        config.extra_templates = []
    _register(config, _ShardEvents(shard))
    Path(config.site_dir).mkdir(parents=True, exist_ok=True)
    build(config, dirty=True)


def build_in_processes(config: Any, count: int, messages: list[str]) -> None:
    """Build every shard at once, each in a forked process, into ``config.site_dir``.

    ``messages`` are MkDocs' messages as the log handler collects them: a
    failed shard sends its last ones back. The first shard to fail stops the
    others and fails the build (BuilderError)."""
    context = multiprocessing.get_context("fork")  # the shards inherit the config and the ready pages
    running: list[tuple[Shard, Any, Connection]] = []
    try:
        for number in range(1, count + 1):
            shard = Shard(number, count)
            receive, send = context.Pipe(duplex=False)
            process = context.Process(
                target=_run_child, args=(config, shard, send, messages), name=f"mkdocs-shard-{shard}"
            )
            process.start()
            send.close()
            running.append((shard, process, receive))
        _wait_for(running)
    finally:
        for _, process, _ in running:
            if process.is_alive():
                process.terminate()
        for _, process, receive in running:
            process.join(_STOP_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
            receive.close()


def _wait_for(running: list[tuple[Shard, Any, Connection]]) -> None:
    pending = {process.sentinel: (shard, process, receive) for shard, process, receive in running}
    while pending:
        for sentinel in wait(list(pending)):
            shard, process, receive = pending.pop(sentinel)
            process.join()
            if process.exitcode == 0:
                continue
            detail = _message(receive)
            how = f"exit {process.exitcode}" if process.exitcode > 0 else f"signal {-process.exitcode}"
            raise BuilderError(
                f"MkDocs failed in shard {shard} ({how}), the previous site is left as it was: {detail or 'no message'}"
            )


def _message(receive: Connection) -> str:
    """What a failed shard said, or "" (a shard killed outright said nothing)."""
    try:
        return str(receive.recv()) if receive.poll() else ""
    except (EOFError, OSError):
        return ""


def _run_child(config: Any, shard: Shard, send: Connection, messages: list[str]) -> None:
    """A shard's process: build, say why it failed, and end without running
    the parent's clean-ups (its temporary files, its pools)."""
    seen = len(messages)
    code = 1
    try:
        _end_with_parent()
        build_shard(config, shard)
        code = 0
    except BaseException as error:  # every failure ends this process with a message
        detail = "; ".join(messages[seen:][-5:]) or f"{type(error).__name__}: {error}"
        send.send(detail[-_DETAIL_CHARS:])
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _end_with_parent() -> None:
    """SIGTERM this process when the build that forked it dies (even by
    SIGKILL), rather than let it write on into a staging folder nobody will
    swap in (Linux; elsewhere the folder lock it inherited keeps the next build
    out until it ends)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


# --- the folders of finished shards ------------------------------------------------------


@dataclass(frozen=True)
class Finished:
    count: int
    site_url: str  # the owner's config.site_url ("" when unset)


def finish(site: Path) -> Finished:
    """Check the manifests of every shard in ``site`` (all N there, of one
    partition), write the whole search index, and remove the manifests."""
    folder = site / PIECES
    pieces = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]
    if not pieces:
        raise BuilderError(f"{site}: no shard manifest in {PIECES}/ (not a folder built with --shard)")
    counts = {piece.get("count") for piece in pieces}
    identities = {piece.get("identity") for piece in pieces}
    if {piece.get("format") for piece in pieces} != {FORMAT} or len(counts) != 1 or len(identities) != 1:
        raise BuilderError("the shards were not built from the same docs with the same N (or by another version)")
    count = int(pieces[0]["count"])
    numbers = sorted(int(piece["shard"]) for piece in pieces)
    if numbers != list(range(1, count + 1)):
        missing = sorted(set(range(1, count + 1)) - set(numbers))
        raise BuilderError(f"shards missing: {', '.join(f'{n}/{count}' for n in missing) or 'none'}; got {numbers}")
    owner = next(piece for piece in pieces if piece["shard"] == 1)
    if "search_settings" in owner:
        _write_search_index(site, owner, pieces)
    shutil.rmtree(folder)
    return Finished(count, str(owner.get("site_url", "")))


def _write_search_index(site: Path, owner: dict[str, Any], pieces: list[dict[str, Any]]) -> None:
    """Every shard's entries in one run's page order, written as Material writes them."""
    by_page: dict[str, list[Any]] = {}
    for piece in pieces:
        for entry in piece.get("search", []):
            by_page.setdefault(str(entry.get("location", "")).split("#", 1)[0], []).append(entry)
    docs = [entry for url in owner["order"] for entry in by_page.get(url, [])]
    data = json.dumps({"config": owner["search_settings"], "docs": docs}, separators=(",", ":"), default=str)
    target = site / "search" / "search_index.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data.encode("utf-8"))


def gather(folders: Sequence[Path], into: Path) -> int:
    """Hard-link (or copy) the files of every shard folder into ``into``; a
    file that two shards wrote is an error. Returns how many files."""
    owner_of: dict[str, Path] = {}
    for folder in folders:
        if not (folder / PIECES).is_dir():
            raise BuilderError(f"{folder}: not a shard folder (no {PIECES}/ in it); build it with --shard K/N")
        for path in sorted(folder.rglob("*")):
            if path.is_dir():
                continue
            relative = path.relative_to(folder).as_posix()
            if relative in owner_of:
                raise BuilderError(f"{relative} is in two shard folders: {owner_of[relative]} and {folder}")
            owner_of[relative] = folder
            target = into / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target, follow_symlinks=False)
            except OSError:
                shutil.copy2(path, target, follow_symlinks=False)
    return len(owner_of)


# --- python -m builder merge-shards ---------------------------------------------------------


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "merge-shards",
        help="merge the folders of `build --shard K/N` into the site",
        description="Merge the folders that `build --shard 1/N` … `build --shard N/N` wrote (on one machine "
        "or several) into the site folder: every shard must be there, built from the same docs; the merged "
        "site's links are checked, then it is swapped in as `build` does.",
    )
    parser.add_argument("folders", nargs="+", type=Path, metavar="SHARD_DIR", help="the folders of the N shards")
    parser.add_argument("--site-dir", type=Path, default=Path("site"), help="where the site goes (default: site)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N", help="processes for the link check")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")


def run(args: argparse.Namespace) -> int:
    from builder.pipeline import default_jobs
    from builder.publish import publish_shards  # (publish runs the shards: imported here, not at the top)

    try:
        merged = publish_shards(args.folders, args.site_dir, jobs=args.jobs or default_jobs())
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BuilderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"site merged from {merged.count} shards in {args.site_dir}")
    return 0
