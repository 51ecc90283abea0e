"""Raw HTML article pages: metadata and main text, site boilerplate left behind.

The body is the element with the most paragraph text directly inside it, after
scripts, forms, navigation, share/print widgets, comment forms, "most read" and
related blocks, ads and footers are removed. Measured on the two real pages in
``../shared/corpora/raw-html-fixtures`` (see ``tests/ingest/test_html_fixtures.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from bs4.element import CData, Comment, Doctype, NavigableString, ProcessingInstruction, Tag

from builder.arabic import normalize
from builder.dateparse import ParsedDate, find_date, parse_date
from builder.ingest.boilerplate import is_policy
from builder.ingest.records import Candidate, Item, Rejected
from builder.ingest.text import clean_author, decode_references, once, one_line

# Elements whose text is code, never prose.
CODE_TAGS = ("script", "style", "noscript", "template")
# Elements that never hold article text.
JUNK_TAGS = (
    *CODE_TAGS,
    "iframe",
    "form",
    "nav",
    "aside",
    "header",
    "footer",
    "button",
    "input",
    "select",
    "textarea",
    "label",
    "svg",
    "object",
    "embed",
    "template",
    "figure",
    "figcaption",
    "link",
    "meta",
    "head",
)
# class/id words of boilerplate blocks.
BOILERPLATE_NAMES = re.compile(
    r"comment|share|sharing|social|related|most-?read|mostread|popular|print|breadcrumb|"
    r"menu|navbar|sidebar|footer|advert|(?:^|[-_\s])ads?(?:$|[-_\s\d])|adspace|banner|widget|"
    r"newsletter|subscribe|cookie|slideshow|promo|outbrain|taboola|tags|keywords|pager|"
    r"pagination|author-box|byline",
    re.IGNORECASE,
)
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "br",
        "tr",
        "table",
        "section",
        "article",
        "dd",
        "dt",
        "dl",
        "pre",
        "hr",
    ]
)
PARAGRAPH_TAGS = frozenset(["p", "blockquote", "h2", "h3", "h4", "pre"])
TITLE_SEPARATORS = re.compile(r"\s+[-|–—:«»/]+\s+|\s*\|\s*")
MAX_SITE_WORDS = 4  # a title part naming the site is short
MAX_LINK_SHARE = 0.6  # a block that is mostly link text is navigation
# Bounds on a page's structure, so one hostile page costs a bounded time (every
# step below is linear in the elements): real article pages nest under ~60
# deep and hold under ~20,000 tags.
MAX_DEPTH = 512
MAX_TAGS = 250_000
MAX_HEADINGS = 100  # <h1> and <time> elements looked at for the title and date
_TEXT_TYPES = (NavigableString, CData)  # the strings get_text() counts, by exact type


class MarkupTooComplex(ValueError):
    """A page nested too deep or holding too many tags: skipped, with the reason."""


def parse(markup: str) -> BeautifulSoup:
    """The page's tree, or :class:`MarkupTooComplex` when reading it would be unbounded."""
    tags = markup.count("<")
    if tags > MAX_TAGS:
        raise MarkupTooComplex(f"skipped: the HTML holds {tags:,} tags; pages are limited to {MAX_TAGS:,}")
    soup = BeautifulSoup(markup, "lxml")
    depth = _depth(soup)
    if depth > MAX_DEPTH:
        raise MarkupTooComplex(f"skipped: the HTML nests elements {depth:,} deep; pages are limited to {MAX_DEPTH}")
    return soup


def _depth(root: Tag) -> int:
    deepest = 0
    stack = [(root, 0)]
    while stack:
        tag, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in tag.contents if isinstance(child, Tag))
    return deepest


def _gone(tag: Tag) -> bool:
    """Whether ``tag`` was decomposed. Not ``tag.decomposed``: on a live tag bs4
    looks for a child element named ``_decomposed``, a walk of its whole subtree."""
    return bool(tag.__dict__.get("_decomposed", False))


@dataclass(frozen=True)
class _Sizes:
    """Text lengths of every element under a root, in one pass (keyed by id)."""

    text: dict[int, int]  # len(tag.get_text())
    stripped: dict[int, int]  # len(tag.get_text(strip=True))
    paragraphs: dict[int, int]  # sum(len(p.get_text()) for p in tag.find_all("p"))


def _sizes(root: Tag) -> _Sizes:
    text: dict[int, int] = {}
    stripped: dict[int, int] = {}
    paragraphs: dict[int, int] = {}
    for tag in reversed([root, *root.find_all(True)]):  # children before their parents
        size = bare = inside = 0
        for child in tag.contents:
            if isinstance(child, Tag):
                key = id(child)
                size += text[key]
                bare += stripped[key]
                inside += paragraphs[key] + (text[key] if child.name == "p" else 0)
            elif isinstance(child, NavigableString) and type(child) in _TEXT_TYPES:
                size += len(child)
                bare += len(child.strip())
        key = id(tag)
        text[key], stripped[key], paragraphs[key] = size, bare, inside
    return _Sizes(text, stripped, paragraphs)


@dataclass(frozen=True)
class PageText:
    """What :func:`extract` finds on a page."""

    title: str
    body: str
    date: ParsedDate | None
    url: str | None
    source: str | None
    author: str | None
    summary: str | None


def looks_like_html(text: str) -> bool:
    head = text.lstrip("\ufeff \t\n")[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head or "<head" in head


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 2 KB, if any."""
    match = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", data[:2048])
    return match.group(1).decode("ascii") if match else None


def read_html(text: str, origin: str, stem: str) -> list[Item]:
    try:
        page = extract(text)
    except MarkupTooComplex as exc:
        return [Rejected(origin, str(exc))]
    if not page.title:
        return [Rejected(origin, "no title: the page has no og:title, <h1> or <title>")]
    warnings = (page.date.warning,) if page.date and page.date.warning else ()
    return [
        Candidate(
            origin=origin,
            title=page.title,
            body=page.body,
            date=page.date,
            source=page.source,
            url=page.url,
            author=page.author,
            summary=page.summary,
            fallback_slug=stem,
            warnings=warnings,
        )
    ]


def extract(text: str) -> PageText:
    soup = parse(text)
    site = _meta(soup, "og:site_name", "application-name")
    title = _title(soup, site)
    url = _url(soup)
    date = _structured_date(soup)
    author = _author(soup)
    summary = _meta(soup, "og:description", "description")
    for tag in soup.find_all(CODE_TAGS):
        if not _gone(tag):
            tag.decompose()
    for node in soup.find_all(string=lambda s: isinstance(s, Comment | Doctype | ProcessingInstruction)):
        node.extract()
    if date is None:
        # Before headers and footers go: the dateline often sits in one.
        date = _dateline(soup, title)
    for tag in soup.find_all(JUNK_TAGS):
        if not _gone(tag):
            tag.decompose()
    _drop_boilerplate_blocks(soup)
    body = _body(soup, title)
    host = urlsplit(url).hostname if url else None
    return PageText(
        title=title,
        body=body,
        date=date,
        url=url,
        source=site or host,
        author=author,
        summary=one_line(summary) if summary else None,
    )


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    wanted = {name.lower() for name in names}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        if isinstance(key, list):
            key = " ".join(key)
        content = tag.get("content")
        usable = isinstance(key, str) and isinstance(content, str) and content.strip()
        if usable and wanted & set(str(key).lower().split()):
            return str(content).strip()
    return None


def _title(soup: BeautifulSoup, site: str | None) -> str:
    headings = [one_line(h.get_text(" ")) for h in soup.find_all("h1", limit=MAX_HEADINGS)]
    headings = [h for h in headings if h]
    page_title = one_line(soup.title.get_text(" ")) if soup.title else ""
    chosen = _meta(soup, "og:title", "twitter:title")
    if not chosen:
        # The h1 the <title> starts with is the article's, not the logo's.
        starting = [h for h in headings if normalize(page_title).startswith(normalize(h))]
        chosen = max(starting or headings, key=len) if headings else page_title
    return once(strip_site_name(one_line(chosen), site))


def strip_site_name(title: str, site: str | None) -> str:
    """Remove a trailing ``- Site`` / ``| Site`` part and a leading ``Site:`` one."""
    site_form = normalize(site).strip() if site else ""

    def is_site(part: str) -> bool:
        folded = normalize(part).strip()
        if not folded or re.search(r"\.(com|net|org|tn|ae|sa|qa|eg|info)\b", folded):
            return True
        # Short, and naming the site: "الصباح | Assabah" when the site is "Assabah News".
        short = len(folded.split()) <= MAX_SITE_WORDS
        return bool(site_form) and short and (site_form in folded or folded in site_form)

    parts = TITLE_SEPARATORS.split(title)
    while len(parts) > 1 and is_site(parts[-1]):
        title = title[: title.rfind(parts[-1])].rstrip(" -|–—:«»/")
        parts = parts[:-1]
    while len(parts) > 1 and is_site(parts[0]):
        title = title[title.find(parts[0]) + len(parts[0]) :].lstrip(" -|–—:«»/")
        parts = parts[1:]
    head, colon, rest = title.partition(":")
    if colon and rest.strip() and site_form and normalize(head).strip() == site_form:
        title = rest
    return title.strip()


def _url(soup: BeautifulSoup) -> str | None:
    for link in soup.find_all("link"):
        rel: list[str] = list(link.get("rel") or [])
        href = link.get("href")
        if "canonical" in [r.lower() for r in rel] and isinstance(href, str) and href.startswith("http"):
            return href.strip()
    og = _meta(soup, "og:url")
    return og if og and og.startswith("http") else None


def _json_ld(soup: BeautifulSoup) -> Iterator[dict[str, object]]:
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _structured_date(soup: BeautifulSoup) -> ParsedDate | None:
    candidates: list[str] = []
    meta = _meta(soup, "article:published_time", "og:article:published_time", "datePublished", "pubdate")
    if meta:
        candidates.append(meta)
    for item in _json_ld(soup):
        value = item.get("datePublished")
        if isinstance(value, str):
            candidates.append(value)
    for time in soup.find_all("time", limit=MAX_HEADINGS):
        value = time.get("datetime")
        candidates.append(value if isinstance(value, str) else time.get_text(" "))
    for value in candidates:
        parsed = parse_date(value)
        if parsed:
            return parsed
    return None


def _author(soup: BeautifulSoup) -> str | None:
    value = _meta(soup, "author", "article:author")
    if value and not value.startswith("http"):
        return clean_author(value)
    for item in _json_ld(soup):
        author = item.get("author")
        if isinstance(author, list) and author:
            author = author[0]
        if isinstance(author, dict):
            author = author.get("name")
        if isinstance(author, str):
            return clean_author(author)
    return None


def _dateline(soup: BeautifulSoup, title: str) -> ParsedDate | None:
    """An Arabic dateline in the visible text, looked for after the title first."""
    text = soup.get_text("\n")
    start = text.find(title[:40]) if title else -1
    if start >= 0:
        found = find_date(text[start : start + 3000])
        if found:
            return found
    return find_date(text)


def _names(tag: Tag) -> str:
    classes: object = tag.get("class") or []
    words: list[str] = list(classes) if isinstance(classes, list) else [str(classes)]
    return " ".join([*words, str(tag.get("id") or "")])


def _drop_boilerplate_blocks(soup: BeautifulSoup) -> None:
    # Measured once, before anything goes: a tag is visited before its
    # descendants, so its subtree is still whole when its turn comes.
    paragraphs = _sizes(soup).paragraphs
    total = paragraphs[id(soup)]
    for tag in soup.find_all(True):
        if _gone(tag) or tag.name in ("html", "body"):
            continue
        if ":" in tag.name:  # fb:share-button, g:plusone
            tag.decompose()
            continue
        names = _names(tag)
        # A wrapper of most of the page's paragraphs is the article, whatever its name.
        if names and BOILERPLATE_NAMES.search(names) and paragraphs[id(tag)] < total / 2:
            tag.decompose()


def _container(soup: BeautifulSoup) -> Tag | None:
    best: Tag | None = None
    best_score = 0
    stripped = _sizes(soup).stripped
    for tag in soup.find_all(True):
        score = 0
        for child in tag.children:
            if isinstance(child, Tag) and child.name in PARAGRAPH_TAGS:
                score += stripped[id(child)]
            elif isinstance(child, NavigableString):
                score += len(child.strip())
        if score > best_score:
            best, best_score = tag, score
    return best


def _blocks(tag: Tag) -> list[tuple[str, int]]:
    """The text of ``tag`` split at block boundaries, each with its link-text length."""
    blocks: list[tuple[str, int]] = []
    parts: list[str] = []
    linked = 0
    sizes = _sizes(tag).text

    def flush() -> None:
        nonlocal parts, linked
        text = one_line("".join(parts))
        if text:
            blocks.append((text, linked))
        parts, linked = [], 0

    def walk(node: Tag) -> None:
        nonlocal linked
        for child in node.children:
            if isinstance(child, NavigableString):
                parts.append(str(child))
            elif isinstance(child, Tag):
                if child.name in BLOCK_TAGS:
                    flush()
                    walk(child)
                    flush()
                else:
                    if child.name == "a":
                        linked += sizes[id(child)]
                    walk(child)

    walk(tag)
    flush()
    return blocks


def _body(soup: BeautifulSoup, title: str) -> str:
    container = _container(soup)
    if container is None:
        return ""
    for heading in container.find_all("h1"):
        if not _gone(heading):
            heading.decompose()
    folded_title = normalize(title)
    kept: list[str] = []
    for text, linked in _blocks(container):
        if normalize(text) == folded_title:
            continue  # the title repeated in the body
        if linked > MAX_LINK_SHARE * len(text):
            continue
        if is_policy(text):
            continue
        kept.append(decode_references(text))
    return "\n\n".join(kept)


def extract_fragment(markup: str) -> str:
    """Paragraph text of an HTML fragment (a JSON record's HTML body).

    Raises :class:`MarkupTooComplex` for a fragment nested too deep or too large."""
    soup = parse(markup)
    for tag in soup.find_all(JUNK_TAGS):
        if not _gone(tag):
            tag.decompose()
    root = soup.body or soup
    return "\n\n".join(decode_references(text) for text, _ in _blocks(root) if not is_policy(text))
