"""Publish: run MkDocs on ``docs/`` and swap the result into the site folder.

The site folder is never written in place. MkDocs builds into a staging
folder next to it, and the finished folder takes the site's place in one step:
``renameat2(RENAME_EXCHANGE)`` on Linux swaps the two folders atomically, so
``site/`` is at every instant the complete previous site or the complete new
one, under any signal including SIGKILL. (A symlink swapped with one rename
would do as much, but would turn ``site/`` into a link, which breaks users who
copy, sync or serve the folder by its real path.) Where the exchange is not
available the swap falls back to two renames; a kill between them leaves the
old site aside, and the next build puts it back before anything else. A
failed or interrupted build removes its staging folder; a killed one leaves it
for the next build to remove. A complete site is never deleted before another
complete site stands in its place.

``dirty`` builds (MkDocs re-renders only pages whose Markdown is newer than
their HTML) give the same ``site/`` as a clean build:

- the staging folder starts as a copy of the site made of hard links (one
  directory entry per file, no data copied);
- every file MkDocs is about to write, and every output no current docs file
  produces (a deleted article's page), is first moved aside in the staging
  copy, so MkDocs writes new files and never writes through a link into the
  live site;
- a file rewritten with the bytes it had is replaced by its old copy, so a
  build that changed nothing changes no file;
- Material's search index, which a dirty build fills with the re-rendered pages
  only, is merged with the previous index for the pages that were not;
- a change of ``mkdocs.yml``, the theme, the overrides, the hooks or the
  builder modules they import (recorded as a fingerprint next to the site)
  forces a clean build, since it can change every page. The fingerprint is
  removed while the new site is swapped in, so a build killed then is followed
  by a clean one.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import logging
import os
import shutil
import sys
import sysconfig
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from builder import linkcheck, readyhtml, shards
from builder.errors import BuilderError, ConfigError
from builder.feeds import write_publication_files
from builder.pausepoints import pause_point

# Material 9.8 prints an end-of-life banner on every build unless this is set.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

SEARCH_INDEX = Path("search") / "search_index.json"
FINGERPRINT_VERSION = "1"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@dataclass(frozen=True)
class PublishOptions:
    config_file: Path
    docs_dir: Path
    site_dir: Path
    strict: bool = True
    use_directory_urls: bool | None = None  # None: as mkdocs.yml says
    dirty: bool = False
    # Files the builder adds to the built site (feed, sitemap), replacing MkDocs' own.
    extra_files: Mapping[str, bytes] = field(default_factory=dict)
    # Pages the builder rendered itself, which MkDocs then does not (``builder.readyhtml``).
    ready: readyhtml.ReadyPages | None = None
    # Check every internal link and anchor of the new site before it is swapped in
    # (MkDocs checks no link inside ready HTML).
    check_links: bool = False
    jobs: int = 1  # processes the link check may use
    # MkDocs processes of a clean build, each building a shard into the staging
    # folder (``builder.shards``); dirty builds run in one.
    processes: int = 1
    # Build this shard alone into the site folder, for ``merge-shards`` (no link check).
    shard: shards.Shard | None = None


@dataclass(frozen=True)
class PublishStats:
    """What a build did, for reports and benchmarks."""

    dirty: bool  # False when a clean build ran (asked for, or forced)
    reason: str  # why a requested dirty build ran clean ("" otherwise)
    rendered: int | None  # pages MkDocs re-rendered (dirty builds; None: all of them)
    removed: int  # output files of pages that no longer exist, removed (dirty builds)
    processes: int = 1  # MkDocs processes that built the site


class _MkDocsLogHandler(logging.Handler):
    """Shows MkDocs warnings and errors as one plain line each, keeps a count."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = f"mkdocs: {record.levelname.lower()}: {record.getMessage()}"
        self.messages.append(message)
        print(message, file=sys.stderr)


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build, which aborts a strict one; the guard
    below is what makes dirty builds correct, so the warning is dropped."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _files_state(roots: Iterable[Path], suffixes: tuple[str, ...] = ()) -> list[str]:
    """(path, size, mtime) of every file under ``roots``: cheap, and changes when a file does."""
    lines: list[str] = []
    for root in roots:
        if root.is_file():
            paths: Iterable[Path] = [root]
        elif root.is_dir():
            paths = sorted(p for p in root.rglob("*") if p.is_file() and (not suffixes or p.suffix in suffixes))
        else:
            continue
        for path in paths:
            stat = path.stat()
            lines.append(f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return lines


def _hook_sources(config: Any) -> list[Path]:
    """The hook files and every ``builder`` module they import, directly or not:
    what renders HTML besides MkDocs and the theme. (The rest of the builder
    only changes Markdown, which MkDocs compares by itself.)"""
    hooks = config.get("hooks") or {}
    pending: list[ModuleType] = [m for m in hooks.values() if isinstance(m, ModuleType)]
    seen: dict[str, Path] = {}
    while pending:
        module = pending.pop()
        file = getattr(module, "__file__", None)
        if not file or file in seen:
            continue
        seen[file] = Path(file)
        for value in vars(module).values():
            if isinstance(value, ModuleType):
                owner: ModuleType | None = value
            else:
                owner = sys.modules.get(getattr(value, "__module__", "") or "")
            if owner is not None and owner.__name__.split(".")[0] == "builder":
                pending.append(owner)
    return sorted(seen.values())


def _own_theme_dirs(config: Any) -> list[Path]:
    """Theme folders outside the installed packages (``custom_dir``): the
    installed themes are covered by their version numbers, and stat-ing
    Material's 14,000 icons would cost more than the dirty build saves."""
    installed = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    dirs = [Path(d).resolve() for d in config.theme.dirs]
    return [d for d in dirs if not any(d.is_relative_to(root) for root in installed)]


def _fingerprint(options: PublishOptions, config: Any) -> str:
    """What every page depends on besides its own Markdown."""
    from importlib.metadata import version

    parts = [
        FINGERPRINT_VERSION,
        sys.version,
        version("mkdocs"),
        version("mkdocs-material"),
        repr((options.strict, options.use_directory_urls, str(options.docs_dir.resolve()))),
        options.config_file.read_bytes().hex(),
        *_files_state(_own_theme_dirs(config)),
        *(f"{path}\t{path.read_bytes().hex()}" for path in _hook_sources(config)),
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _search_plugins(config: Any) -> tuple[Any | None, bool]:
    """Material's search plugin (whose index a dirty build truncates and we
    merge), and whether another search plugin we cannot merge is configured."""
    material, other = None, False
    for plugin in config.plugins.values():
        module = type(plugin).__module__
        if module.startswith("material.plugins.search"):
            material = plugin
        elif module.startswith("mkdocs.contrib.search"):
            other = True
    return material, other


def _location_base(entry: dict[str, Any]) -> str:
    return str(entry.get("location", "")).split("#", 1)[0]


def _copy_differs(file: Any, destination: Path) -> bool:
    """A static file restored with an older date (a backup, an archive) is not
    "modified" by MkDocs' date test; a different size still gives it away."""
    if file.is_documentation_page() or file.abs_src_path is None:
        return False
    try:
        return Path(file.abs_src_path).stat().st_size != destination.stat().st_size
    except OSError:
        return True


class _DirtyGuard:
    """Injected as a plugin for dirty builds: see the module docstring."""

    def __init__(self, site: Path, backup: Path, inclusion: Callable[[Any], bool]) -> None:
        self.site = site
        self.backup = backup
        self.inclusion = inclusion
        self.started = False  # MkDocs writes nothing before the files event
        self.before: set[Path] = set()
        self.moved: list[Path] = []  # relative to the site
        self.rendered: set[str] = set()
        self.pages: list[Any] = []
        self.previous_index: dict[str, Any] | None = None

    def _move_aside(self, path: Path) -> None:
        relative = path.relative_to(self.site)
        target = self.backup / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)
        self.moved.append(relative)

    def on_files(self, files: Any, *, config: Any) -> Any:
        self.before = {p for p in self.site.rglob("*") if not p.is_dir()}
        self.started = True
        keep: set[Path] = set()
        for file in files:
            if not self.inclusion(file):
                continue
            destination = Path(file.abs_dest_path)
            if not file.is_modified() and not _copy_differs(file, destination):
                keep.add(destination)
                continue
            # Moved aside, the output is missing, which MkDocs also reads as
            # "modified": its own decision stays the same.
            if destination in self.before:
                self._move_aside(destination)
            if file.is_documentation_page():
                self.rendered.add(file.src_uri)
        for path in sorted(self.before - keep):
            if path.exists() and not path.name.startswith("."):
                # Regenerated below (sitemap, 404 page, search index), or produced
                # by no current docs file: a clean build has neither.
                self._move_aside(path)
        index = self.backup / SEARCH_INDEX
        if index.is_file():
            self.previous_index = json.loads(index.read_text(encoding="utf-8"))
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        self.pages = [f for f in files.documentation_pages() if self.inclusion(f)]
        return nav

    def merge_search_index(self, plugin: Any) -> None:
        """Previous entries for pages not re-rendered, in the clean build's page order."""
        previous: dict[str, list[dict[str, Any]]] = {}
        for entry in (self.previous_index or {}).get("docs", []):
            previous.setdefault(_location_base(entry), []).append(entry)
        fresh: dict[str, list[dict[str, Any]]] = {}
        for entry in plugin.search_index.entries:
            fresh.setdefault(_location_base(entry), []).append(entry)
        merged: list[dict[str, Any]] = []
        for file in self.pages:
            url = file.page.url if file.page is not None else file.url
            source = fresh if file.src_uri in self.rendered else previous
            merged.extend(source.get(url, []))
        plugin.search_index.entries = merged

    def finish(self) -> int:
        """Keep the old copy of files rewritten with the same bytes; drop the
        backup. Returns how many outputs were removed for good."""
        removed: set[Path] = set()
        for relative in self.moved:
            new, old = self.site / relative, self.backup / relative
            if not new.exists():
                removed.add(new)
            elif new.is_file() and new.stat().st_size == old.stat().st_size and new.read_bytes() == old.read_bytes():
                old.replace(new)
        _remove_empty_parents(self.site, {p.parent for p in removed})
        shutil.rmtree(self.backup, ignore_errors=True)
        return len(removed)


def _remove_empty_parents(root: Path, folders: Iterable[Path]) -> None:
    """Remove each folder that is empty, and its parents up to ``root`` while they are."""
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != root and folder.is_relative_to(root) and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _register(config: Any, guard: _DirtyGuard, search: Any | None) -> None:
    """Hook the guard into MkDocs: last on ``files`` (after every plugin added
    its own) and first on ``post_build`` (before the search plugin writes)."""
    from mkdocs.plugins import event_priority

    @event_priority(-100)
    def on_files(files: Any, *, config: Any) -> Any:
        return guard.on_files(files, config=config)

    @event_priority(-100)
    def on_nav(nav: Any, *, config: Any, files: Any) -> Any:
        return guard.on_nav(nav, config=config, files=files)

    config.plugins._register_event("files", on_files, plugin_name="builder-dirty")
    config.plugins._register_event("nav", on_nav, plugin_name="builder-dirty")
    if search is not None:

        @event_priority(100)
        def on_post_build(*, config: Any) -> None:
            guard.merge_search_index(search)

        config.plugins._register_event("post_build", on_post_build, plugin_name="builder-dirty")


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``).
    False where the system or the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        rename = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    rename.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if rename(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(second))


def _remove_tree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


@dataclass(frozen=True)
class _Folders:
    """The site folder and the builder's working folders beside it."""

    site: Path
    staging: Path  # the next site, built (or linked and updated) here
    previous: Path  # the old site between the two renames of the fallback swap
    replaced: Path  # a dirty build's files set aside before MkDocs rewrites them
    fingerprint: Path

    @classmethod
    def of(cls, site_dir: Path) -> _Folders:
        site = site_dir.resolve()

        def beside(suffix: str) -> Path:
            return site.with_name(f".{site.name}.{suffix}")

        return cls(site, beside("building"), beside("previous"), beside("replaced"), beside("fingerprint"))


def recover(folders: _Folders) -> None:
    """Before a build: put back a site that a swap killed between its two renames
    left aside, then remove what an interrupted build left. A complete site is
    never removed before another complete site stands in its place."""
    if not folders.site.exists() and folders.previous.is_dir():
        folders.previous.rename(folders.site)
    for leftover in (folders.staging, folders.replaced):
        _remove_tree(leftover)
    if folders.site.exists():
        _remove_tree(folders.previous)


def _link_tree(source: Path, target: Path) -> int:
    """``target`` as a copy of ``source`` made of hard links (a real copy where
    links are refused): one directory entry per file, no data copied."""
    count = 0
    pending = [(str(source), target)]
    while pending:
        here, destination = pending.pop()
        destination.mkdir()
        with os.scandir(here) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, destination / entry.name))
                    continue
                try:
                    os.link(entry.path, destination / entry.name, follow_symlinks=False)
                except OSError as error:
                    if error.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
                        raise
                    shutil.copy2(entry.path, destination / entry.name, follow_symlinks=False)
                count += 1
    return count


def _swap_in(folders: _Folders) -> None:
    """Make the staging folder the site. With ``RENAME_EXCHANGE`` the site folder
    is the old or the new site at every instant, under any signal; elsewhere a
    kill between the two renames leaves the old site aside, and ``recover``
    puts it back."""
    if not folders.site.exists() and not folders.site.is_symlink():
        folders.staging.rename(folders.site)
        return
    if _exchange(folders.staging, folders.site):
        pause_point("publish-swapped")
        _remove_tree(folders.staging)  # the previous site, now under the staging name
        return
    folders.site.rename(folders.previous)
    pause_point("publish-between-renames")
    folders.staging.rename(folders.site)
    _remove_tree(folders.previous)


def build_site(options: PublishOptions) -> PublishStats:
    """Build the site atomically. Raises BuilderError with MkDocs' messages on failure.

    The site folder is never written in place: a clean build renders into a
    staging folder, a dirty one into a staging copy of the site made of hard
    links, and the finished folder is swapped in at once. A failure or a signal
    at any point leaves the previous site as it was; what the build had made is
    removed then, or by the next build when the process was killed outright.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if not options.config_file.is_file():
        raise ConfigError(f"config file not found: {options.config_file}")
    folders = _Folders.of(options.site_dir)
    recover(folders)

    overrides: dict[str, Any] = {
        "docs_dir": str(options.docs_dir.resolve()),
        "site_dir": str(folders.staging),
        "strict": options.strict,
    }
    if options.use_directory_urls is not None:
        overrides["use_directory_urls"] = options.use_directory_urls
    logger = logging.getLogger("mkdocs")
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(_not_dirty_warning)
    handler = _MkDocsLogHandler()
    logger.addHandler(handler)
    previous_propagate, logger.propagate = logger.propagate, False
    dirty, reason = options.dirty, ""
    guard: _DirtyGuard | None = None
    try:
        try:
            config = load_config(config_file=str(options.config_file), **overrides)
            fingerprint = _fingerprint(options, config)
            search, unmergeable = _search_plugins(config)
            if dirty:
                old = folders.fingerprint.read_text(encoding="utf-8").strip() if folders.fingerprint.is_file() else ""
                if not folders.site.is_dir():
                    dirty, reason = False, "no previous site"
                elif old != fingerprint:
                    dirty, reason = False, "configuration, theme or hooks changed since the last build (or it failed)"
                elif unmergeable:
                    dirty, reason = False, "MkDocs' own search plugin cannot be merged; use Material's"
                elif search is not None and not (folders.site / SEARCH_INDEX).is_file():
                    dirty, reason = False, "the previous site has no search index to merge"
            if dirty:
                _link_tree(folders.site, folders.staging)
                guard = _DirtyGuard(folders.staging, folders.replaced, lambda f: bool(f.inclusion.is_included()))
                _register(config, guard, search)
            processes = _processes(options, config, dirty)
            with readyhtml.activated(options.ready):
                if processes > 1:
                    folders.staging.mkdir()
                    shards.build_in_processes(config, processes, handler.messages)
                    pause_point("mkdocs-written")  # (here, once every shard has written its pages)
                elif options.shard is not None:
                    _register_pause(config)
                    shards.build_shard(config, options.shard)
                else:
                    _register_pause(config)
                    build(config, dirty=dirty)
        except (MkDocsException, SystemExit) as exc:
            detail = "; ".join(handler.messages[-5:]) or str(exc)
            raise BuilderError(f"MkDocs failed, the previous site is left as it was: {detail}") from None
        finally:
            logger.removeHandler(handler)
            logger.propagate = previous_propagate
            build_logger.removeFilter(_not_dirty_warning)

        if processes > 1:
            shards.finish(folders.staging)
        if options.shard is None or options.shard.owner:
            write_publication_files(folders.staging, options.extra_files)
        removed = guard.finish() if guard is not None else 0
        if options.check_links and options.shard is None:  # (a shard is checked once merged)
            _check_links(folders.staging, config.site_url, options.jobs)
        pause_point("publish-staged")
        # Never a stale promise about the new site: a kill from here on is followed by a clean build.
        folders.fingerprint.unlink(missing_ok=True)
        _swap_in(folders)
    except BaseException:
        for leftover in (folders.staging, folders.replaced):
            with contextlib.suppress(OSError):
                _remove_tree(leftover)
        raise
    if options.shard is None:  # (a shard's folder is no site a dirty build could start from)
        folders.fingerprint.write_text(fingerprint + "\n", encoding="utf-8")
    if guard is not None:
        return PublishStats(True, reason, len(guard.rendered), removed)
    return PublishStats(False, reason, None, 0, processes)


def _processes(options: PublishOptions, config: Any, dirty: bool) -> int:
    """How many MkDocs processes build the site: one for a dirty build, one
    shard alone, or a configuration that cannot be split."""
    if dirty or options.shard is not None or options.processes <= 1 or shards.unshardable(config) is not None:
        return 1
    return options.processes


def publish_shards(
    shard_dirs: Sequence[Path], site_dir: Path, *, jobs: int = 1, check_links: bool = True
) -> shards.Finished:
    """Merge the folders of ``build --shard K/N`` into a staging folder, check
    its links, and swap it in as ``build_site`` does (the previous site stays
    on any failure). The next ``--dirty`` build runs clean."""
    folders = _Folders.of(site_dir)
    recover(folders)
    try:
        folders.staging.mkdir()
        shards.gather(shard_dirs, folders.staging)
        finished = shards.finish(folders.staging)
        if check_links:
            _check_links(folders.staging, finished.site_url, jobs)
        folders.fingerprint.unlink(missing_ok=True)
        _swap_in(folders)
    except BaseException:
        with contextlib.suppress(OSError):
            _remove_tree(folders.staging)
        raise
    return finished


BROKEN_SHOWN = 20  # broken links named in the error; the rest are counted


def _check_links(site: Path, site_url: str | None, jobs: int) -> None:
    """Every internal link and anchor of the staged site must resolve, as MkDocs'
    strict mode required of the links it checked: else the build fails and the
    previous site stays."""
    from urllib.parse import urlsplit

    broken = linkcheck.check_site(site, base_path=urlsplit(site_url or "/").path or "/", jobs=jobs)
    if not broken:
        return
    shown = "\n".join(f"  {link}" for link in broken[:BROKEN_SHOWN])
    more = f"\n  … and {len(broken) - BROKEN_SHOWN} more" if len(broken) > BROKEN_SHOWN else ""
    raise BuilderError(
        f"{len(broken)} broken internal link(s) in the built site, the previous site is left as it was:\n{shown}{more}"
    )


def _register_pause(config: Any) -> None:
    """A pause point once MkDocs has written every page (see ``builder.pausepoints``)."""
    config.plugins._register_event(
        "post_build", lambda *, config: pause_point("mkdocs-written"), plugin_name="builder-pause"
    )
