"""MkDocs hooks (listed in mkdocs.yml): the last line of defence for content.

Every page's HTML is passed through nh3 (Ammonia) with an allow-list of the
elements and attributes our Markdown and generated pages use. Whatever slipped
past the escaping in ``builder.safety`` (a ``<script>``, an ``onerror=``, a
``javascript:`` URL) is removed here before MkDocs puts it in the theme.
"""

from __future__ import annotations

import base64
import hashlib
import pickle
import re
import zlib
from typing import Any

import nh3
from mkdocs.structure.toc import get_toc

from builder import readyhtml
from builder.safety import is_local_url
from builder.structured_data import FRONT_MATTER_KEY, Site, head_data
from builder.tempfiles import ByteSpool

_TEXT = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "s",
    "del",
    "ins",
    "sub",
    "sup",
    "small",
    "mark",
    "abbr",
    "q",
    "cite",
    "span",
    "kbd",
    "div",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "a",
    "img",
    "figure",
    "figcaption",
    "nav",
    "time",
    "section",
    "article",
    "details",
    "summary",
}
_SVG = {"svg", "g", "rect", "line", "text", "title", "desc", "path", "circle", "polyline", "tspan"}
_GLOBAL_ATTRIBUTES = {"id", "class", "title", "dir", "lang", "role"}
_ATTRIBUTES = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "time": {"datetime"},
    "th": {"colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start"},
    "svg": {
        "viewbox",
        "viewBox",
        "width",
        "height",
        "xmlns",
        "preserveaspectratio",
        "preserveAspectRatio",
        "focusable",
    },
    "rect": {"x", "y", "width", "height", "rx", "fill"},
    "line": {"x1", "y1", "x2", "y2", "stroke", "stroke-width"},
    "text": {"x", "y", "text-anchor", "font-size", "fill", "direction", "dominant-baseline"},
    "tspan": {"x", "y", "dx", "dy"},
    "path": {"d", "fill", "stroke", "stroke-width"},
    "circle": {"cx", "cy", "r", "fill"},
    "polyline": {"points", "fill", "stroke", "stroke-width"},
    "g": {"transform", "fill"},
}


def _no_remote_images(element: str, attribute: str, value: str) -> str | None:
    """Images must come from the site itself: no request may leave it."""
    if element == "img" and attribute == "src" and not is_local_url(value):
        return None
    return value


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TEXT | _SVG,
        attributes=_ATTRIBUTES,
        generic_attribute_prefixes={"aria-", "data-"},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_no_remote_images,
    )


# MkDocs renders the HTML of every page before it writes any, and holds all of
# it (with every page's Markdown and table of contents) in memory in between:
# about 10 KB a page, 2 GB at 100k articles (some 190k pages). Between the two
# passes each page's HTML and table of contents wait in a temporary file instead
# (zlib-packed: Arabic HTML packs several times over); the page keeps only where
# they are. They are read back just before its template is rendered, and
# dropped once it is written.
_SPOOLED = "archive_spooled_at"


_spool: ByteSpool | None = None


def _page_spool() -> ByteSpool:
    global _spool  # one per build: on_pre_build opens it, on_post_build closes it
    if _spool is None:
        _spool = ByteSpool("mkdocs-pages-")
    return _spool


def _close_spool() -> None:
    global _spool
    if _spool is not None:
        _spool.close()
        _spool = None


def on_pre_build(config: Any) -> None:
    _close_spool()  # (a previous build of ``mkdocs serve`` that failed half-way)


# Pages the builder rendered itself (``builder.readyhtml``): MkDocs renders an
# empty stub in their place, and their HTML waits in the builder's own file.
_READY = "archive_ready_at"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    where = readyhtml.find(page.file.src_uri, markdown)
    if where is None:
        return markdown
    setattr(page, _READY, where)
    return ""


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    where = getattr(page, _READY, None)
    if where is not None:
        ready = readyhtml.read(where)  # already sanitised, as below
        page._title_from_render = ready.title  # what Page.render would have found
        page.present_anchor_ids = set(ready.anchors)
        page.toc = get_toc([])
        page.markdown = ""
        return ""
    packed = zlib.compress(pickle.dumps((sanitize(html), page.toc), protocol=pickle.HIGHEST_PROTOCOL), 1)
    setattr(page, _SPOOLED, _page_spool().append(packed))
    page.toc = get_toc([])
    page.markdown = ""  # not None: MkDocs reads None as "never read" (e.g. for the title)
    return ""


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    where = getattr(page, _SPOOLED, None)
    if where is not None:
        # (our own anonymous file, written by this process in this build)
        page.content, page.toc = pickle.loads(zlib.decompress(_page_spool().read(where)))  # noqa: S301
    ready_at = getattr(page, _READY, None)
    if ready_at is not None:
        ready = readyhtml.read(ready_at)
        page.content, page.toc = ready.html, ready.table_of_contents()
    # JSON-LD, Open Graph and Twitter tags: overrides/partials/structured-data.html prints them.
    site = Site(
        name=config.site_name,
        description=config.site_description or "",
        site_url=config.site_url or None,
        directory_urls=config.use_directory_urls,
    )
    context["structured_data"] = head_data(page.file.src_uri, (page.meta or {}).get(FRONT_MATTER_KEY), site)
    return context


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL)
# A <script> with another type (JSON, JSON-LD) is a data block: never run, so not hashed.
_SCRIPT_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_JAVASCRIPT_TYPES = frozenset({"", "module", "text/javascript", "application/javascript"})
_ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)
_CSP_TEMPLATE = (
    "default-src 'self'; script-src 'self' file: {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: file:; font-src 'self' file:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-src 'none'"
)


def content_security_policy(output: str) -> str:
    """A policy that lets the theme's own inline scripts run (by their hashes)
    and nothing else inline: no remote script, font or image can load, and a
    script that reached an article's content would not run."""
    outside_articles = _ARTICLE.sub("", output)
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
            for attributes, body in _INLINE_SCRIPT.findall(outside_articles)
            if _runs(attributes)
        }
    )
    return _CSP_TEMPLATE.format(hashes=" ".join(hashes))


def _runs(attributes: str) -> bool:
    """Is a <script> with these attributes run as script (rather than kept as data)?"""
    found = _SCRIPT_TYPE.search(attributes)
    return (found.group(1).lower() if found else "") in _JAVASCRIPT_TYPES


def with_security_policy(output: str) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(output)}">'
    return output.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n    ' + meta, 1)


def with_document_direction(output: str) -> str:
    """Material sets ``dir="rtl"`` on ``<body>`` only; readers' tools (and the
    browser's own UI such as scroll bars and form controls) look at ``<html>``."""
    return output.replace('<html lang="ar" class="no-js">', '<html lang="ar" dir="rtl" class="no-js">', 1)


def finish_page(output: str) -> str:
    return with_security_policy(with_document_direction(output))


def on_post_page(output: str, page: Any, config: Any) -> str:
    if getattr(page, _SPOOLED, None) is not None or getattr(page, _READY, None) is not None:
        page.content = ""  # about to be written: its HTML is needed no more
        page.toc = get_toc([])
        setattr(page, _SPOOLED, None)
        setattr(page, _READY, None)
    return finish_page(output)


def on_post_build(config: Any) -> None:
    _close_spool()


def on_build_error(error: Exception) -> None:
    _close_spool()


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    if template_name.endswith(".html"):
        return finish_page(output_content)
    return output_content
