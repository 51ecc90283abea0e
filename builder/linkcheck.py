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
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

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


@dataclass(frozen=True)
class _Link:
    url: str
    line: int | None


def check_site(site_dir: Path, *, offline: bool = False, base_path: str = "/") -> list[BrokenLink]:
    """The broken internal links of the site in ``site_dir``; empty when all resolve."""
    return list(scan_site(site_dir, offline=offline, base_path=base_path).broken)


def scan_site(site_dir: Path, *, offline: bool = False, base_path: str = "/") -> LinkReport:
    """Broken internal links and the external links of every page and stylesheet."""
    root = site_dir.resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"{site_dir}: not a folder; build the site first")
    anchors = _AnchorCache()
    broken: list[BrokenLink] = []
    external: list[ExternalLink] = []
    pages = sorted(root.rglob("*.html"))
    sheets = sorted(root.rglob("*.css"))
    for path in [*pages, *sheets]:
        links = _html_links(path) if path.suffix == ".html" else _css_links(path)
        page = path.relative_to(root).as_posix()
        for link in links:
            problem = _check(root, path, link.url, anchors, None if offline else base_path)
            if problem == "external":
                external.append(ExternalLink(page, link.url, link.line))
            elif problem:
                broken.append(BrokenLink(page, link.url, problem, link.line))
    return LinkReport(tuple(broken), tuple(external), len(pages))


def _html_links(path: Path) -> Iterator[_Link]:
    text = path.read_bytes()
    if not text.strip():
        return
    document = lxml_html.document_fromstring(text)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        for name in _URL_ATTRIBUTES:
            value = element.get(name)
            if value is not None and not (name == "data" and element.tag != "object"):
                yield _Link(value.strip(), element.sourceline)
        srcset = element.get("srcset")
        if srcset:
            for candidate in srcset.split(","):
                if candidate.strip():
                    yield _Link(candidate.split()[0], element.sourceline)


def _css_links(path: Path) -> Iterator[_Link]:
    # Comments are blanked, keeping their newlines so reported line numbers stay true.
    text = _CSS_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), path.read_text(encoding="utf-8", errors="replace"))
    for match in _CSS_URL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        yield _Link(match.group(2).strip(), line)


def _check(root: Path, page: Path, url: str, anchors: _AnchorCache, base_path: str | None) -> str | None:
    """``None`` when ``url`` resolves, ``"external"`` for http(s), else why it is broken.

    ``base_path`` is where the site is served; ``None`` means from ``file://`` (the bundle)."""
    offline = base_path is None
    if not url:
        return None  # an empty href points at the page itself
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in _EXTERNAL_SCHEMES or (not scheme and parts.netloc):
        return "external"
    if scheme in _IGNORED_SCHEMES:
        return None
    if scheme:
        return f"scheme {scheme!r} cannot be opened from the site"
    path = unquote(parts.path)
    if path.startswith("/"):
        if base_path is None:
            return "absolute path: leaves the bundle when opened from file://"
        base = base_path if base_path.endswith("/") else base_path + "/"
        if not (path + "/").startswith(base):
            return f"absolute path outside the site's base path {base}"
        page, path = root / "index.html", "./" + path[len(base) :]
    try:
        target = (page.parent / path).resolve() if path else page
    except (OSError, ValueError):  # a NUL byte, a name too long for the file system
        return "not a usable file name"
    if not target.is_relative_to(root):
        return "points outside the site folder"
    if target.is_dir():
        if offline:
            return "links to a folder: from file:// the browser shows a listing, not index.html"
        target = target / "index.html"
    if not target.is_file():
        return "no such file in the site"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html" and fragment not in anchors.ids(target):
        return f"no element with id {fragment!r} in {target.relative_to(root).as_posix()}"
    return None


class _AnchorCache:
    """Element ids of each target page, parsed once."""

    def __init__(self) -> None:
        self._ids: dict[Path, frozenset[str]] = {}

    def ids(self, path: Path) -> frozenset[str]:
        if path not in self._ids:
            self._ids[path] = _page_ids(path)
        return self._ids[path]


def _page_ids(path: Path) -> frozenset[str]:
    text = path.read_bytes()
    if not text.strip():
        return frozenset()
    document = lxml_html.document_fromstring(text)
    ids = {str(v) for v in document.xpath("//@id")}
    ids.update(str(v) for v in document.xpath("//a/@name"))
    return frozenset(ids)


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
