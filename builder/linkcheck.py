"""Check every link of a built site without a server or a network.

Every ``href``/``src``/``srcset`` of every HTML file, and every ``url()`` of every
CSS file, must resolve to a file inside the site folder; a ``#fragment`` must name
an element ``id`` (or an ``<a name>``) of the target page. External ``http(s)``
links are listed, never fetched. With ``offline=True`` (the ``file://`` bundle) a
link to a folder is broken too, since a browser then shows a folder listing, not
its ``index.html``, and a root-absolute path (``/x``) is broken since it leaves
the bundle. On a server such a path (MkDocs writes them in ``404.html``) is
resolved against ``base_path``, the path part of ``site_url``.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import posixpath
import re
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

_URL_ATTRIBUTES = ("href", "src", "poster", "data")
# Schemes that point at nothing a static site has to contain.
_IGNORED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "blob", "about", "sms"})
_EXTERNAL_SCHEMES = frozenset({"http", "https"})
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True)
class BrokenLink:
    """A link in ``page`` (posix, relative to the site folder) that does not resolve."""

    page: str
    target: str  # the URL as written
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.page if self.line is None else f"{self.page}:{self.line}"
        return f"{where}: {self.target}: {self.reason}"


@dataclass(frozen=True)
class ExternalLink:
    page: str
    url: str
    line: int | None = None


@dataclass(frozen=True)
class LinkReport:
    broken: tuple[BrokenLink, ...]
    external: tuple[ExternalLink, ...]
    pages: int  # HTML files checked


def check_site(site_dir: Path, *, offline: bool = False, base_path: str = "/", jobs: int = 1) -> list[BrokenLink]:
    """The broken internal links of the site in ``site_dir``; empty when all resolve."""
    return list(scan_site(site_dir, offline=offline, base_path=base_path, jobs=jobs).broken)


PARALLEL_THRESHOLD = 2000  # pages below which worker processes cost more than they save
_CHUNK = 256


def scan_site(site_dir: Path, *, offline: bool = False, base_path: str = "/", jobs: int = 1) -> LinkReport:
    """Broken internal links and the external links of every page and stylesheet.

    Fast enough for every build (it is part of ``build``): the site's files are
    listed once and links resolved against that list, without a system call
    each, and once per distinct URL of a page; lxml picks the URLs and ids out
    of each page in C; each target's ids are read once (per process: with
    ``jobs`` > 1 a large site is shared out among forked processes)."""
    global _scan  # read by _scan_pages, here or in forked workers
    root = site_dir.resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"{site_dir}: not a folder; build the site first")
    tree = _SiteTree.of(root)
    in_order = sorted(tree.files, key=lambda p: p.split("/"))  # as sorted paths are
    pages = [p for p in in_order if p.endswith(".html")]
    checked = [*pages, *(p for p in in_order if p.endswith(".css"))]
    _scan = _Scan(root, tree, None if offline else base_path)
    try:
        if jobs > 1 and len(checked) >= PARALLEL_THRESHOLD:
            chunks = [checked[i : i + _CHUNK] for i in range(0, len(checked), _CHUNK)]
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                found = list(pool.map(_scan_pages, chunks))
        else:
            found = [_scan_pages(checked)]
    finally:
        _scan = None
    broken = tuple(link for chunk, _ in found for link in chunk)
    external = tuple(link for _, chunk in found for link in chunk)
    return LinkReport(broken, external, len(pages))


@dataclass(frozen=True)
class _Scan:
    root: Path
    tree: _SiteTree
    base_path: str | None  # None: from file://


_scan: _Scan | None = None


def _scan_pages(pages: list[str]) -> tuple[list[BrokenLink], list[ExternalLink]]:
    if _scan is None:
        raise RuntimeError("_scan_pages runs inside scan_site")
    root, tree, base_path = _scan.root, _scan.tree, _scan.base_path
    anchors = _AnchorCache(root)
    verdicts: dict[tuple[str, str], str | None] = {}  # (target, fragment): what every page finds there
    broken: list[BrokenLink] = []
    external: list[ExternalLink] = []
    for page in pages:
        data = (root / page).read_bytes()
        if page.endswith(".html"):
            document = _parse(data)
            anchors.seen(page, document)
            links: Iterator[tuple[str, int]] = _html_links(document)
        else:
            links = _css_links(data.decode("utf-8", "replace"))
        folder = posixpath.dirname(page)
        lines: list[int | None] | None = None
        for url, where in links:
            problem = _check(tree, page, folder, url, anchors, base_path, verdicts)
            if problem is None:
                continue
            # Lines only for what is reported: finding them is most of a link's cost.
            if page.endswith(".html"):
                lines = lines if lines is not None else _lines(document)
                line = lines[where]
            else:
                line = where
            if problem == "external":
                external.append(ExternalLink(page, url, line))
            else:
                broken.append(BrokenLink(page, url, problem, line))
    return broken, external


@dataclass(frozen=True)
class _SiteTree:
    """Every file and folder of the site, as posix paths relative to it ("" is the site)."""

    files: frozenset[str]
    folders: frozenset[str]

    @classmethod
    def of(cls, root: Path) -> _SiteTree:
        files: set[str] = set()
        folders: set[str] = {""}
        for here, subdirs, names in os.walk(root):
            prefix = os.path.relpath(here, root).replace(os.sep, "/")
            prefix = "" if prefix == "." else prefix + "/"
            folders.update(prefix + d for d in subdirs)
            files.update(prefix + n for n in names)
        return cls(frozenset(files), frozenset(folders))


# Every URL-carrying attribute, and every id, found by lxml in C: far faster than
# visiting each element from Python. Plain strings: a "smart" one (which knows
# its element, hence its line) costs an element object each; the line is looked
# up again only for what is reported.
_LINKS = etree.XPath("//@href | //@src | //@poster | //object/@data | //@srcset")
_URLS = etree.XPath("//@href | //@src | //@poster | //object/@data", smart_strings=False)
_SRCSETS = etree.XPath("//@srcset", smart_strings=False)
_IDS = etree.XPath("//@id | //a/@name", smart_strings=False)


def _parse(data: bytes) -> Any:
    return lxml_html.document_fromstring(data) if data.strip() else None


def _html_links(document: Any) -> Iterator[tuple[str, int]]:
    """Each URL of a page, in document order, with its rank (see ``_lines``)."""
    if document is None:
        return
    if _SRCSETS(document):
        urls: list[str] = [url for url, _ in _links_and_lines(document)]
    else:
        urls = [value.strip() for value in _URLS(document)]
    yield from ((url, rank) for rank, url in enumerate(urls))


def _links_and_lines(document: Any) -> Iterator[tuple[str, int | None]]:
    for value in _LINKS(document):
        line = value.getparent().sourceline
        if value.attrname == "srcset":
            for candidate in value.split(","):
                if candidate.strip():
                    yield candidate.split()[0], line
        else:
            yield str(value).strip(), line


def _lines(document: Any) -> list[int | None]:
    """The line of each URL of a page, by rank: found only for a page with something to report."""
    return [line for _, line in _links_and_lines(document)]


def _css_links(text: str) -> Iterator[tuple[str, int]]:
    """Each ``url()`` of a stylesheet, with its line."""
    # Comments are blanked, keeping their newlines so reported line numbers stay true.
    text = _CSS_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    for match in _CSS_URL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        yield match.group(2).strip(), line


def _check(
    tree: _SiteTree,
    page: str,
    folder: str,
    url: str,
    anchors: _AnchorCache,
    base_path: str | None,
    verdicts: dict[tuple[str, str], str | None],
) -> str | None:
    """``None`` when ``url`` resolves, ``"external"`` for http(s), else why it is broken.

    ``page`` is relative to the site, ``folder`` its folder; ``base_path`` is
    where the site is served, ``None`` means from ``file://`` (the bundle)."""
    if not url:
        return None  # an empty href points at the page itself
    scheme, netloc, path, fragment = _split(url)
    if scheme in _EXTERNAL_SCHEMES or (not scheme and netloc):
        return "external"
    if scheme in _IGNORED_SCHEMES:
        return None
    if scheme:
        return f"scheme {scheme!r} cannot be opened from the site"
    if "\0" in path:
        return "not a usable file name"
    if path.startswith("/"):
        if base_path is None:
            return "absolute path: leaves the bundle when opened from file://"
        base = base_path if base_path.endswith("/") else base_path + "/"
        if not (path + "/").startswith(base):
            return f"absolute path outside the site's base path {base}"
        folder, path = "", "./" + path[len(base) :]
    target = _resolve(folder, path) if path else page
    if target is None:
        return "points outside the site folder"
    key = (target, fragment)
    if key not in verdicts:
        verdicts[key] = _verdict(tree, target, fragment, anchors, offline=base_path is None)
    return verdicts[key]


def _resolve(folder: str, path: str) -> str | None:
    """The site path ``path`` leads to from ``folder`` ("" for the site
    itself), or None when it leads outside. As ``posixpath.normpath`` would, but
    the usual link (some ``../``, then plain names) without it."""
    climbs = 0
    while path.startswith("../", climbs * 3):
        climbs += 1
    rest = path[climbs * 3 :]
    if rest.startswith((".", "/")) or "//" in rest or "/." in rest:
        joined = posixpath.normpath(posixpath.join(folder, path))
        if joined == ".." or joined.startswith(("../", "/")):
            return None
        return "" if joined == "." else joined
    rest = rest.removesuffix("/")
    parts = folder.split("/") if folder else []
    if climbs > len(parts):
        return None
    base = "/".join(parts[: len(parts) - climbs])
    return f"{base}/{rest}" if base and rest else base or rest


def _verdict(tree: _SiteTree, target: str, fragment: str, anchors: _AnchorCache, *, offline: bool) -> str | None:
    """What a link to ``target#fragment`` finds: None when it resolves, else why not."""
    if target in tree.folders:
        if offline:
            return "links to a folder: from file:// the browser shows a listing, not index.html"
        target = f"{target}/index.html" if target else "index.html"
    if target not in tree.files:
        return "no such file in the site"
    if fragment and target.endswith(".html") and fragment not in anchors.ids(target):
        return f"no element with id {fragment!r} in {target}"
    return None


@functools.lru_cache(maxsize=65536)
def _split(url: str) -> tuple[str, str, str, str]:
    """Scheme (lower case), host, path and fragment (both decoded) of ``url``:
    the theme's links and the tag links recur on thousands of pages."""
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc, unquote(parts.path), unquote(parts.fragment)


class _AnchorCache:
    """Element ids of each target page, read once."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._ids: dict[str, frozenset[str]] = {}
        self._current: tuple[str, Any] = ("", None)

    def seen(self, page: str, document: Any) -> None:
        """The page being checked: its own ids (``#section`` links) come from it."""
        self._current = (page, document)

    def ids(self, page: str) -> frozenset[str]:
        if page not in self._ids:
            current, document = self._current
            if current != page:
                document = _parse((self._root / page).read_bytes())
            self._ids[page] = _page_ids(document)
        return self._ids[page]


def _page_ids(document: Any) -> frozenset[str]:
    return frozenset(_IDS(document)) if document is not None else frozenset()


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``python -m builder linkcheck [--site-dir DIR] [--offline] [--base-path P] [--external]``."""
    parser = subparsers.add_parser("linkcheck", help="check every internal link and anchor of a built site")
    parser.add_argument("--site-dir", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument("--offline", action="store_true", help="also reject links to folders (file:// bundle)")
    parser.add_argument("--base-path", default="/", help="where the site is served, for /absolute links (default: /)")
    parser.add_argument("--external", action="store_true", help="list external links (never fetched)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        report = scan_site(args.site_dir, offline=args.offline, base_path=args.base_path)
    except OSError as error:
        print(f"linkcheck: {error}", file=sys.stderr)
        return 2
    for link in report.broken:
        print(link, file=sys.stderr)
    if args.external:
        for ext in sorted({e.url for e in report.external}):
            print(f"external (not fetched): {ext}")
    print(
        f"linkcheck: {report.pages} pages, {len(report.broken)} broken links, "
        f"{len({e.url for e in report.external})} external links (not fetched)"
    )
    return 1 if report.broken else 0
