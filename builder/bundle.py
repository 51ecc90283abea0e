"""The offline bundle: the site built for ``file://`` and packed into one zip.

The zip is reproducible: entries sorted by name, every timestamp set to the
newest article's date, fixed Unix permissions, the UTF-8 file-name flag set on
every entry, and no absolute path of the build machine. Names are checked for
what Windows and macOS refuse or confuse (reserved characters and names, names
that differ only in case or in Unicode normalisation).

The offline site is built in a work folder of the project,
``build/bundle-work/<pid>-<random>/``, not in the system's temporary folder: it
is removed when the bundle ends, on an error, Ctrl-C or SIGTERM included, and a
folder left by a process that was killed outright (SIGKILL, power loss) is
removed by the next bundle, which knows it is stale because no process holds
the lock of its ``.owner`` file any more (the kernel drops a dead process's locks).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import os
import re
import secrets
import shutil
import stat
import sys
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from builder.errors import BuilderError, ConfigError, environment_message
from builder.linkcheck import BrokenLink, check_site
from builder.model import Article
from builder.pausepoints import pause_point

DEFAULT_NAME = "arabic-briefing-archive"
WORK_FOLDER = Path("build") / "bundle-work"  # next to the configuration file
_OWNER = ".owner"
# Tests kill a bundle at a chosen point: the process says it is there, then waits.
# Material's own search (lunr, its language packs and its web worker): the theme
# copies them into every site, but the archive's search replaces it (see
# overrides/partials/search.html) and no page of the bundle loads them.
UNUSED_THEME_FOLDERS = ("assets/javascripts/lunr", "assets/javascripts/workers")
DEFAULT_DIST = Path("dist")
_UTF8_FLAG = 0x800
_FILE_MODE = stat.S_IFREG | 0o644
_DIR_MODE = stat.S_IFDIR | 0o755
_ZIP_EPOCH = dt.date(1980, 1, 1)  # the earliest date a zip entry can carry
# Windows' classic path limit is 260 characters; leave 60 for the folder the zip is unpacked in.
MAX_ENTRY_LENGTH = 200
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"\\|?*\x00-\x1f]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


class _Utf8ZipInfo(zipfile.ZipInfo):
    """Sets the UTF-8 flag on every entry: the standard library sets it only on
    non-ASCII names and clears ``flag_bits`` when it opens an entry for writing."""

    __slots__ = ()

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # the standard library's name
        return self.filename.encode("utf-8"), self.flag_bits | _UTF8_FLAG


class BundleError(BuilderError):
    """The bundle cannot be made; the message names the file or link at fault."""


@dataclass(frozen=True)
class BundleResult:
    path: Path  # the zip
    size: int  # bytes
    files: int  # files in the zip
    date: dt.date | None  # the newest article's date, which names and stamps the zip
    rejected: int = 0  # source files left out because they were rejected


def bundle_filename(name: str, newest: dt.date | None) -> str:
    """``<name>-offline-<YYYY-MM-DD>.zip``; ``undated`` when no article has a date."""
    return f"{name}-offline-{newest.isoformat() if newest else 'undated'}.zip"


def newest_date(dates: Sequence[dt.date | None]) -> dt.date | None:
    return max((d for d in dates if d is not None), default=None)


def bundle_entries(tree: Path, *, prefix: str = "") -> list[str]:
    """Every file and folder under ``tree`` as posix paths, sorted; raises on unsafe names.

    ``prefix`` (the zip's root folder and ``/``) counts towards the length limit."""
    names: list[str] = []
    for directory, subdirs, files in os.walk(tree, followlinks=False):
        here = Path(directory)
        for name in [*subdirs, *files]:
            path = here / name
            relative = path.relative_to(tree).as_posix()
            if path.is_symlink():
                raise BundleError(f"{relative}: symbolic links cannot go into the bundle")
            names.append(relative + "/" if path.is_dir() else relative)
    names.sort()
    problems = name_problems(names, prefix=prefix)
    if problems:
        raise BundleError("file names that would not open everywhere:\n" + "\n".join(problems))
    return names


def name_problems(names: Sequence[str], *, prefix: str = "") -> list[str]:
    """Why each name would break on Windows, macOS or Linux; empty when all are safe."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for entry in names:
        if len(prefix + entry) > MAX_ENTRY_LENGTH:
            problems.append(f"{entry}: longer than {MAX_ENTRY_LENGTH} characters in the zip; Windows may refuse it")
        for part in entry.rstrip("/").split("/"):
            if _WINDOWS_FORBIDDEN.search(part):
                problems.append(f"{entry}: {part!r} has a character Windows forbids")
            elif _WINDOWS_RESERVED.match(part):
                problems.append(f"{entry}: {part!r} is a name Windows reserves")
            elif part.endswith((" ", ".")):
                problems.append(f"{entry}: {part!r} ends in a space or a dot, which Windows drops")
        if unicodedata.normalize("NFC", entry) != entry:
            problems.append(f"{entry}: not in Unicode NFC; links to it may fail on macOS and Windows")
        folded = unicodedata.normalize("NFC", entry).casefold()
        if folded in seen:
            problems.append(f"{entry}: same name as {seen[folded]} on a case-insensitive disk")
        seen.setdefault(folded, entry)
    return problems


def write_zip(tree: Path, out: Path, *, root_folder: str, stamp: dt.date | None) -> int:
    """Pack ``tree`` into ``out`` under ``root_folder/``, reproducibly; returns the file count."""
    entries = bundle_entries(tree, prefix=root_folder + "/")
    day = max(stamp or _ZIP_EPOCH, _ZIP_EPOCH)
    date_time = (day.year, day.month, day.day, 0, 0, 0)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    files = 0
    with (
        _removed_on_failure(partial),
        zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
    ):
        for entry in [root_folder + "/", *(f"{root_folder}/{e}" for e in entries)]:
            info = _Utf8ZipInfo(entry, date_time=date_time)
            info.create_system = 3  # Unix, so the permission bits below are honoured
            if entry.endswith("/"):
                info.external_attr = (_DIR_MODE << 16) | 0x10  # 0x10: MS-DOS directory bit
                archive.writestr(info, b"")
            else:
                info.external_attr = _FILE_MODE << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, (tree / entry[len(root_folder) + 1 :]).read_bytes(), compresslevel=9)
                files += 1
        pause_point("bundle-zip")
    partial.replace(out)
    return files


@contextlib.contextmanager
def _removed_on_failure(path: Path) -> Iterator[None]:
    try:
        yield
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def check_bundle_tree(tree: Path) -> list[BrokenLink]:
    """Links in the ``file://`` variant: every one must resolve to a file in the tree."""
    return check_site(tree, offline=True)


def pack_site(site_tree: Path, out: Path, *, stamp: dt.date | None) -> BundleResult:
    """Check the links of a built offline site, then zip it; raises BundleError if any link is broken."""
    broken = check_bundle_tree(site_tree)
    if broken:
        shown = "\n".join(str(b) for b in broken[:20])
        more = f"\n… and {len(broken) - 20} more" if len(broken) > 20 else ""
        raise BundleError(f"{len(broken)} links in the offline site do not resolve inside it:\n{shown}{more}")
    files = write_zip(site_tree, out, root_folder=out.name.removesuffix(".zip"), stamp=stamp)
    return BundleResult(path=out, size=out.stat().st_size, files=files, date=stamp)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024 or unit == "MB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class OfflineSite:
    tree: Path  # the built site, for file://
    articles: tuple[Article, ...]
    rejected: int  # source files that did not become pages


def build_offline_site(source: Path, work: Path, *, config_file: Path, docs_dir: Path | None = None) -> OfflineSite:
    """The site for ``file://`` (``use_directory_urls: false``) built under ``work``.

    The docs folder (hand-made assets included) is copied first so the real ``docs/``
    and ``site/`` are never touched. The 404 page is left out: only a web server shows it,
    and MkDocs gives it root-absolute links that would lead out of the bundle. Source
    maps are left out too.
    """
    # Imported late: the pipeline imports this module's neighbours, and the CLI imports this module.
    from builder.pipeline import prepare
    from builder.publish import PublishOptions, build_site
    from builder.writer import write_files

    prepared = prepare(source, config_file)
    docs = work / "docs"
    real_docs = docs_dir if docs_dir is not None else config_file.parent / "docs"
    if real_docs.is_dir():
        shutil.copytree(real_docs, docs, symlinks=True)
    written = write_files(docs, prepared.pages(directory_urls=False))
    tree = work / "site"
    # The feed and sitemap get links relative to the bundle (they replace MkDocs' sitemap).
    extra = prepared.publication_files(written.paths, directory_urls=False)
    build_site(PublishOptions(config_file, docs, tree, strict=True, use_directory_urls=False, extra_files=extra))
    (tree / "404.html").unlink(missing_ok=True)
    for source_map in tree.rglob("*.map"):
        source_map.unlink()  # only a browser's developer tools read them; they are most of the zip
    for unused in UNUSED_THEME_FOLDERS:
        shutil.rmtree(tree / unused, ignore_errors=True)
    pause_point("bundle-site")
    return OfflineSite(tree, prepared.articles, len(prepared.collected.rejections))


def build_bundle(
    source: Path,
    out: Path | None,
    *,
    config_file: Path,
    docs_dir: Path | None = None,
    name: str = DEFAULT_NAME,
    dist: Path = DEFAULT_DIST,
) -> BundleResult:
    """Build the ``file://`` variant of the site from ``source`` and pack it.

    ``out`` defaults to ``dist/<name>-offline-<YYYY-MM-DD>.zip`` dated by the newest article.
    """
    with work_folder(config_file.parent / WORK_FOLDER) as work:
        site = build_offline_site(source, work, config_file=config_file, docs_dir=docs_dir)
        stamp = newest_date([a.date for a in site.articles])
        target = out or dist / bundle_filename(name, stamp)
        result = pack_site(site.tree, target, stamp=stamp)
    return replace(result, rejected=site.rejected)


def _locked(owner: Path) -> bool:
    """Whether a live process holds ``owner``'s lock (a dead one holds none)."""
    try:
        descriptor = os.open(owner, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)  # also releases the lock if it was taken
    return False


def _pid_alive(name: str) -> bool:
    try:
        os.kill(int(name.split("-")[0]), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale_work(parent: Path) -> None:
    """Work folders of bundles that no longer run: none holds the lock of its
    ``.owner`` file, and no process has the number in its name (one that is
    making its folder may not hold the lock yet)."""
    if not parent.is_dir():
        return
    for folder in parent.iterdir():
        live = _locked(folder / _OWNER) or _pid_alive(folder.name)
        if folder.is_dir() and not folder.is_symlink() and not live:
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def work_folder(parent: Path) -> Iterator[Path]:
    """A fresh folder under ``parent``, removed however the bundle ends but by
    SIGKILL (then the next bundle removes it); the command line turns SIGTERM
    into an exception that unwinds through here (``builder.cli``)."""
    remove_stale_work(parent)
    parent.mkdir(parents=True, exist_ok=True)
    work = parent / f"{os.getpid()}-{secrets.token_hex(4)}"
    work.mkdir()
    try:
        owner = os.open(work / _OWNER, os.O_WRONLY | os.O_CREAT, 0o600)
        fcntl.flock(owner, fcntl.LOCK_EX)  # held as long as this process lives
        try:
            yield work
        finally:
            os.close(owner)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(OSError):
            parent.rmdir()  # only when empty: leave no trace of a finished bundle


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``python -m builder bundle [--source DIR] [--out FILE] [--config FILE]``."""
    parser = subparsers.add_parser("bundle", help="build the offline site and pack it into one zip")
    parser.add_argument("--source", type=Path, default=Path("source"), help="articles folder (default: source)")
    parser.add_argument("--out", type=Path, default=None, help="the zip to write (default: dist/…-offline-DATE.zip)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs config (default: mkdocs.yml)")
    parser.add_argument("--docs-dir", type=Path, default=None, help="docs folder to copy assets from (default: docs)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        result = build_bundle(args.source, args.out, config_file=args.config, docs_dir=args.docs_dir)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BuilderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # the environment: a read-only folder, a full disk
        print(f"error: {environment_message(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    print(f"bundle: {result.path} ({human_size(result.size)}, {result.files} files)")
    if result.rejected:
        print(f"bundle: {result.rejected} source files were rejected and left out (run: python -m builder check)")
        return 1
    return 0
