"""Publish: run MkDocs on ``docs/`` and swap the result into the site folder.

The site is built into a temporary folder next to the target and swapped in
only when MkDocs succeeded, so a failed build leaves the previous site intact.

``dirty`` builds (MkDocs re-renders only pages whose Markdown is newer than
their HTML) update the site in place, touching only what changes, and give the
same ``site/`` as a clean build:

- every file MkDocs is about to write, and every output no current docs file
  produces (a deleted article's page), is first moved aside into a backup
  folder; a failed or interrupted build moves them back and deletes what it
  wrote, so the previous site is left as it was;
- a file rewritten with the bytes it had is replaced by its old copy, so a
  build that changed nothing rewrites nothing;
- Material's search index, which a dirty build fills with the re-rendered pages
  only, is merged with the previous index for the pages that were not;
- a change of ``mkdocs.yml``, the theme, the overrides, the hooks or the
  builder modules they import (recorded as a fingerprint next to the site)
  forces a clean build, since it can change every page. The fingerprint is
  removed while a build runs, so a build killed halfway is followed by a clean
  one.

Copying or removing a whole site costs one directory operation per page (with
``use_directory_urls``), which is why the dirty path never does either.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import sysconfig
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from builder.errors import BuilderError, ConfigError
from builder.feeds import write_publication_files

# Material 9.8 prints an end-of-life banner on every build unless this is set.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

SEARCH_INDEX = Path("search") / "search_index.json"
FINGERPRINT_VERSION = "1"


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


@dataclass(frozen=True)
class PublishStats:
    """What a build did, for reports and benchmarks."""

    dirty: bool  # False when a clean build ran (asked for, or forced)
    reason: str  # why a requested dirty build ran clean ("" otherwise)
    rendered: int | None  # pages MkDocs re-rendered (dirty builds; None: all of them)
    removed: int  # output files of pages that no longer exist, removed (dirty builds)


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

    def roll_back(self) -> None:
        """Delete what the build wrote and put every moved file back."""
        if not self.started:
            return
        for path in self.site.rglob("*"):
            if not path.is_dir() and path not in self.before:
                path.unlink()
        for relative in self.moved:
            (self.backup / relative).replace(self.site / relative)
        _remove_empty_parents(self.site, {p.parent for p in self.site.rglob("*") if p.is_dir()})
        shutil.rmtree(self.backup, ignore_errors=True)

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


def build_site(options: PublishOptions) -> PublishStats:
    """Build the site atomically. Raises BuilderError with MkDocs' messages on failure."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if not options.config_file.is_file():
        raise ConfigError(f"config file not found: {options.config_file}")
    site_dir = options.site_dir.resolve()
    staging = site_dir.with_name(f".{site_dir.name}.building")
    previous = site_dir.with_name(f".{site_dir.name}.previous")
    fingerprint_file = site_dir.with_name(f".{site_dir.name}.fingerprint")
    for leftover in (staging, previous):
        shutil.rmtree(leftover, ignore_errors=True)

    overrides: dict[str, Any] = {
        "docs_dir": str(options.docs_dir.resolve()),
        "site_dir": str(staging),
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
        config = load_config(config_file=str(options.config_file), **overrides)
        fingerprint = _fingerprint(options, config)
        search, unmergeable = _search_plugins(config)
        if dirty:
            old = fingerprint_file.read_text(encoding="utf-8").strip() if fingerprint_file.is_file() else ""
            if not site_dir.is_dir():
                dirty, reason = False, "no previous site"
            elif old != fingerprint:
                dirty, reason = False, "configuration, theme or hooks changed since the last build (or it failed)"
            elif unmergeable:
                dirty, reason = False, "MkDocs' own search plugin cannot be merged; use Material's"
            elif search is not None and not (site_dir / SEARCH_INDEX).is_file():
                dirty, reason = False, "the previous site has no search index to merge"
        if dirty:
            config["site_dir"] = str(site_dir)  # in place: see the module docstring
            guard = _DirtyGuard(site_dir, previous, lambda f: bool(f.inclusion.is_included()))
            _register(config, guard, search)
            fingerprint_file.unlink(missing_ok=True)  # a build killed halfway is followed by a clean one
        try:
            build(config, dirty=dirty)
        except BaseException:
            if guard is not None:
                guard.roll_back()
                fingerprint_file.write_text(fingerprint + "\n", encoding="utf-8")  # the old site, intact
            raise
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        detail = "; ".join(handler.messages[-5:]) or str(exc)
        raise BuilderError(f"MkDocs failed, the previous site is left as it was: {detail}") from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous_propagate
        build_logger.removeFilter(_not_dirty_warning)

    write_publication_files(site_dir if guard is not None else staging, options.extra_files)
    if guard is not None:
        removed = guard.finish()
        fingerprint_file.write_text(fingerprint + "\n", encoding="utf-8")
        return PublishStats(True, reason, len(guard.rendered), removed)
    fingerprint_file.unlink(missing_ok=True)  # never a stale promise about the new site
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
    fingerprint_file.write_text(fingerprint + "\n", encoding="utf-8")
    return PublishStats(False, reason, None, 0)
