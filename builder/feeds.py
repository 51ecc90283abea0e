"""The Atom feed and the sitemap: pure functions from articles to XML text.

Decisions (documented in the README):

* Nothing carries the build time. An entry's ``updated`` is the article's
  ``published`` time, else its ``date`` at 00:00 UTC; the feed's ``updated`` is
  the newest entry's. A sitemap ``lastmod`` is the article's ``date``; listing
  pages (``extra_pages``) get the newest article date of the whole site, since
  every new article changes them.
* Undated articles are left out of the feed (Atom requires a date and we will
  not invent one) and listed in the sitemap without ``lastmod``. Drafts are left
  out of both.
* Entry ids are ``urn:uuid:`` values derived from the slug, so they do not
  change when ``site_url`` is set or changed later and readers do not see every
  article again.
* Without ``site_url`` links are relative to the feed itself (for ``feed.xml`` and
  ``sitemap.xml``, at the site root, that is the site root);
  :func:`feed_notices` says so for the CLI to print.
* Naive ``published`` datetimes are taken as UTC.
* Every tag has its own feed of its newest ``TAG_FEED_LIMIT`` articles at
  ``tags/<type>/<slug>/feed.xml``, in the folder of the tag's older pages
  (``<slug>/1.md``…, only ever numbered), so no tag slug can meet it. It is a
  generated file of ``docs/`` like the tag page that links to it: written only
  when its bytes change, and copied by MkDocs, which rewrites the link for both
  ``use_directory_urls`` settings and checks it in strict mode.
"""

from __future__ import annotations

import datetime as dt
import gzip
import posixpath
import re
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from lxml import etree

from builder.errors import ConfigError
from builder.model import Article, EntityRef, GeneratedFile

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_PATH = "feed.xml"
SITEMAP_PATH = "sitemap.xml"
SITE_FEED_LIMIT = 50
TAG_FEED_LIMIT = 20
TAG_FEED_NAME = "feed.xml"

# A fixed namespace for our ids: the ids must never depend on the machine or the clock.
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:arabic-briefing-archive")
# XML 1.0 forbids these code points; cleaned text should not have them, but a feed must never fail.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def feed_notices(site_url: str | None) -> tuple[str, ...]:
    """What the CLI should print about the feed and sitemap for this ``site_url``."""
    if site_url:
        return ()
    return (
        "site_url is not set: feed.xml, the tags' feeds and sitemap.xml use relative links. "
        "Set site_url in mkdocs.yml to publish absolute links.",
    )


def normalize_site_url(site_url: str | None) -> str | None:
    """``None`` or an absolute http(s) URL ending in ``/``; anything else is a ConfigError."""
    if not site_url:
        return None
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"mkdocs.yml: site_url must be an absolute http(s) URL, got {site_url!r}")
    return site_url if site_url.endswith("/") else site_url + "/"


def page_url(docs_path: str, *, directory_urls: bool = True) -> str:
    """The URL, relative to the site root, of the page built from ``docs_path`` (MkDocs' rule)."""
    stem = docs_path[: -len(".md")] if docs_path.endswith(".md") else docs_path
    if stem == "index" or stem.endswith("/index"):
        folder = stem[: -len("index")]
        url = folder if directory_urls else folder + "index.html"
    else:
        url = stem + "/" if directory_urls else stem + ".html"
    return quote(url, safe="/") or "./"


def article_id(article: Article) -> str:
    """A stable IRI for an article, independent of where the site is published."""
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, 'articles/' + article.slug)}"


def article_updated(article: Article) -> dt.datetime | None:
    """When the article last changed, as far as its metadata says; ``None`` when undated."""
    if article.published is not None:
        when = article.published
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return when.astimezone(dt.UTC)
    if article.date is not None:
        return dt.datetime.combine(article.date, dt.time(0, 0), tzinfo=dt.UTC)
    return None


def atom_feed(
    articles: Sequence[Article],
    *,
    site_url: str | None,
    title: str,
    limit: int = SITE_FEED_LIMIT,
    directory_urls: bool = True,
) -> str:
    """The site's Atom 1.0 document of the newest ``limit`` dated, published articles."""
    # Its alternate is the site's root, "./" in the offline bundle too (as it always was).
    where = _FeedPlace(FEED_PATH, "./", "feed", title)
    return _atom(articles, where, _Links(normalize_site_url(site_url), directory_urls, FEED_PATH), limit)


@dataclass(frozen=True)
class FeedSettings:
    """What a tag feed's text depends on besides its articles: the site's name
    (in the feed's title) and where and how the site is published."""

    site_name: str = ""
    site_url: str | None = None
    directory_urls: bool = True


def tag_feed_path(entity: EntityRef) -> str:
    """Where the feed of ``entity``'s tag lives, relative to ``docs/`` and the site root."""
    return f"tags/{entity.type}/{entity.slug}/{TAG_FEED_NAME}"


def tag_feed_title(entity: EntityRef, settings: FeedSettings) -> str:
    return f"{entity.name} · {settings.site_name}" if settings.site_name else entity.name


class TagFeeds:
    """The feeds of one build's tags.

    A briefing names dozens of tags, so the newest briefings are on dozens of
    feeds: each entry's text is made once and reused while it is among the
    ``cache_size`` most recently used (kept as text: as an element tree an
    entry with sixty categories takes some 35 KB). Every tag feed sits at the
    same depth (``tags/<type>/<slug>/``), so an entry reads the same in all of them.
    """

    def __init__(self, settings: FeedSettings, cache_size: int = 2048) -> None:
        self.settings = settings
        self._site_url = normalize_site_url(settings.site_url)
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._cache_size = cache_size

    def feed(self, entity: EntityRef, page_path: str, newest: Sequence[Article]) -> GeneratedFile:
        """The feed of one tag: ``newest`` are its newest articles (the caller picks
        them, at most ``TAG_FEED_LIMIT``), ``page_path`` its page under ``docs/``."""
        settings = self.settings
        path = tag_feed_path(entity)
        page = page_url(page_path, directory_urls=settings.directory_urls)
        where = _FeedPlace(path, page, path.removesuffix("/" + TAG_FEED_NAME), tag_feed_title(entity, settings))
        links = _Links(self._site_url, settings.directory_urls, quote(path, safe="/"))
        return GeneratedFile(path, _atom(newest, where, links, TAG_FEED_LIMIT, lambda a: self._entry(a, links)))

    def _entry(self, article: Article, links: _Links) -> str:
        text = self._entries.get(article.slug)
        if text is None:
            text = self._entries[article.slug] = _entry_text(article, links)
            if len(self._entries) > self._cache_size:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(article.slug)
        return text


def tag_feed(entity: EntityRef, page_path: str, newest: Sequence[Article], settings: FeedSettings) -> GeneratedFile:
    """The feed of one tag (see ``TagFeeds.feed``)."""
    return TagFeeds(settings).feed(entity, page_path, newest)


@dataclass(frozen=True)
class _FeedPlace:
    """What one feed is: where it lives and the URL of the page it stands for
    (both relative to the site root), what its id is made from, its title."""

    path: str
    page: str
    key: str
    title: str


@dataclass(frozen=True)
class _Links:
    """Every URL of one feed: under ``site_url`` when set, else relative to the feed."""

    site_url: str | None
    directory_urls: bool
    feed_path: str  # percent-encoded, as every URL here

    def page(self, docs_path: str) -> str:
        return self.url(page_url(docs_path, directory_urls=self.directory_urls))

    def url(self, from_root: str) -> str:
        """``from_root`` (a URL relative to the site root; ``./`` is the root) from this feed."""
        if self.site_url:
            return _absolute(self.site_url, from_root)
        return relative_url(posixpath.dirname(self.feed_path), from_root)


def relative_url(folder: str, from_root: str) -> str:
    """``from_root`` (relative to the site root, ``./`` for the root) as seen
    from ``folder`` (relative to the site root, ``""`` for the root itself)."""
    here = [part for part in folder.split("/") if part]
    there = [part for part in from_root.split("/") if part not in ("", ".")]
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    tail = "/".join(there[common:])
    if from_root.endswith("/") and tail:
        tail += "/"
    return "../" * (len(here) - common) + tail or "./"


def _atom(
    articles: Sequence[Article],
    where: _FeedPlace,
    links: _Links,
    limit: int,
    entry_text: Callable[[Article], str] | None = None,
) -> str:
    """An Atom 1.0 document of the newest ``limit`` dated, published ``articles``."""
    dated = [a for a in articles if not a.draft and article_updated(a) is not None]
    latest = sorted(dated, key=_newest_first)[: max(limit, 0)]

    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", "ar")
    _text(feed, "id", f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, where.key)}")
    _text(feed, "title", where.title)
    _text(feed, "updated", _rfc3339(max((_when(a) for a in latest), default=_EPOCH)))
    _link(feed, links.url(quote(where.path, safe="/")), "self", "application/atom+xml")
    _link(feed, links.url(where.page), "alternate", "text/html")
    author = etree.SubElement(feed, f"{{{ATOM_NS}}}author")
    _text(author, "name", where.title)
    # The entries go in as text, each as it reads inside a feed: the same bytes
    # as serialising them in the tree, and a tag feed can reuse another's.
    head = _serialize(feed).removesuffix(_FEED_END)
    entries = (entry_text(a) if entry_text is not None else _entry_text(a, links) for a in latest)
    return head + "".join(entries) + _FEED_END


_FEED_END = "</feed>\n"


def _entry_text(article: Article, links: _Links) -> str:
    """An entry as it reads inside a pretty-printed feed: indented one level, and
    in the feed's default namespace, which it does not declare again."""
    holder = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    holder.append(_entry(article, links))
    text: str = etree.tostring(holder, encoding="unicode", pretty_print=True)
    return text[text.index("\n") + 1 : -len(_FEED_END)]


# The protocol's limits for one sitemap file (sitemaps.org): a 100k archive has
# some 190k pages, so its sitemap is an index of parts.
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
_URL_OVERHEAD = 100  # bytes of one <url> entry besides its loc: tags, lastmod, indentation
_URLSET_OVERHEAD = 200  # the XML declaration and the urlset element

SitemapEntry = tuple[str, dt.date | None]  # loc, lastmod


def sitemap_files(
    articles: Sequence[Article],
    extra_pages: Sequence[str],
    *,
    site_url: str | None,
    directory_urls: bool = True,
    max_urls: int = SITEMAP_MAX_URLS,
    max_bytes: int = SITEMAP_MAX_BYTES,
) -> dict[str, str]:
    """The sitemap of ``extra_pages`` (paths relative to ``docs/``) then every
    published article, by file name: ``sitemap.xml`` alone when every page fits
    in one file, else ``sitemap.xml`` is a sitemap index of ``sitemap-1.xml``,
    ``sitemap-2.xml`` … (each within the protocol's limits)."""
    base = normalize_site_url(site_url) or ""
    parts = _split(_sitemap_entries(articles, extra_pages, base, directory_urls), max_urls, max_bytes)
    if len(parts) == 1:
        return {SITEMAP_PATH: _urlset(parts[0])}
    files: dict[str, str] = {}
    index = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    for number, part in enumerate(parts, start=1):
        name = f"sitemap-{number}.xml"
        files[name] = _urlset(part)
        entry = etree.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = _absolute(base, name)
        newest = max((lastmod for _, lastmod in part if lastmod is not None), default=None)
        if newest is not None:
            etree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = newest.isoformat()
    files[SITEMAP_PATH] = _serialize(index)
    return files


def _sitemap_entries(
    articles: Sequence[Article], extra_pages: Sequence[str], base: str, directory_urls: bool
) -> list[SitemapEntry]:
    published = sorted((a for a in articles if not a.draft), key=lambda a: a.slug)
    newest = max((a.date for a in published if a.date is not None), default=None)
    entries: list[SitemapEntry] = []
    seen: set[str] = set()
    for path in sorted(set(extra_pages)):
        entries.append((_absolute(base, page_url(path, directory_urls=directory_urls)), newest))
        seen.add(path)
    for article in published:
        if article.page_path not in seen:
            loc = _absolute(base, page_url(article.page_path, directory_urls=directory_urls))
            entries.append((loc, article.date))
    return entries


def _split(entries: list[SitemapEntry], max_urls: int, max_bytes: int) -> list[list[SitemapEntry]]:
    """``entries`` in order, cut into parts of at most ``max_urls`` entries and
    (estimated from above) ``max_bytes`` bytes; always at least one part."""
    parts: list[list[SitemapEntry]] = [[]]
    size = _URLSET_OVERHEAD
    for entry in entries:
        # An escaped "&" takes 5 bytes; every other character of a loc is ASCII (percent-encoded).
        cost = len(entry[0].encode()) + 4 * entry[0].count("&") + _URL_OVERHEAD
        if parts[-1] and (len(parts[-1]) >= max_urls or size + cost > max_bytes):
            parts.append([])
            size = _URLSET_OVERHEAD
        parts[-1].append(entry)
        size += cost
    return parts


def _urlset(entries: list[SitemapEntry]) -> str:
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    for loc, lastmod in entries:
        _sitemap_url(urlset, loc, lastmod)
    return _serialize(urlset)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# A gzip header holds its time as unsigned 32-bit seconds since 1970: an archive
# whose newest article is older is stamped 0 ("no time"), a newer one this
# moment (``modeling`` warns about such dates in check and build alike).
GZIP_LATEST = dt.datetime.fromtimestamp(2**32 - 1, dt.UTC)


def gzip_mtime(newest: dt.datetime) -> int:
    """``newest`` as a gzip header time, clamped to what the header can hold."""
    return min(max(int(newest.timestamp()), 0), 2**32 - 1)


def publication_files(
    articles: Sequence[Article],
    extra_pages: Sequence[str],
    *,
    site_url: str | None,
    title: str,
    directory_urls: bool = True,
) -> dict[str, bytes]:
    """``feed.xml``, the sitemap (``sitemap.xml``, with its parts when it is an
    index: see ``sitemap_files``) and ``sitemap.xml.gz``, by path in the site folder.

    They replace what MkDocs writes under those names (its sitemap carries the build
    date, and its gzip header the build time). The gzip header's time is the newest
    article's, so the bytes depend on the input only.
    """
    feed = atom_feed(articles, site_url=site_url, title=title, directory_urls=directory_urls)
    pages = sitemap_files(articles, extra_pages, site_url=site_url, directory_urls=directory_urls)
    newest = max((_when(a) for a in articles if not a.draft), default=_EPOCH)
    files = {FEED_PATH: feed.encode("utf-8"), **{name: text.encode("utf-8") for name, text in pages.items()}}
    files[SITEMAP_PATH + ".gz"] = gzip.compress(files[SITEMAP_PATH], compresslevel=9, mtime=gzip_mtime(newest))
    return files


def write_publication_files(site_dir: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` into a built site, replacing MkDocs' files of the same name.

    Each file gets a new inode (write then rename), so a site folder made of hard
    links to a previous site (a dirty build's staging folder) never writes through
    into that previous site.
    """
    for name, data in sorted(files.items()):
        target = site_dir / name
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(data)
        partial.replace(target)


def _when(article: Article) -> dt.datetime:
    return article_updated(article) or _EPOCH


def _newest_first(article: Article) -> tuple[float, str]:
    return (-_when(article).timestamp(), article.slug)


def _entry(article: Article, links: _Links) -> etree._Element:
    entry = etree.Element(f"{{{ATOM_NS}}}entry")
    _text(entry, "id", article_id(article))
    _text(entry, "title", article.title)
    _text(entry, "updated", _rfc3339(_when(article)))
    if article.published is not None:
        _text(entry, "published", _rfc3339(_when(article)))
    _link(entry, links.page(article.page_path), "alternate", "text/html")
    if article.author:
        author = etree.SubElement(entry, f"{{{ATOM_NS}}}author")
        _text(author, "name", article.author)
    for term, label in _categories(article):
        category = etree.SubElement(entry, f"{{{ATOM_NS}}}category")
        category.set("term", term)
        category.set("label", label)
    if article.summary.strip():
        _text(entry, "summary", article.summary).set("type", "text")
    return entry


def _categories(article: Article) -> list[tuple[str, str]]:
    """Entities first (slug as term, name as label), then free tags not already named."""
    out: list[tuple[str, str]] = []
    terms: set[str] = set()  # of ``out``, kept beside it: an article may carry a hundred tags
    names: set[str] = set()
    for entity in article.entities:
        if entity.slug and _clean(entity.slug) and entity.slug not in terms:
            out.append((_clean(entity.slug), _clean(entity.name)))
            terms.add(out[-1][0])
            names.add(entity.name)
    for tag in article.tags:
        cleaned = _clean(tag).strip()
        if cleaned and tag not in names and cleaned not in terms:
            out.append((cleaned, cleaned))
            terms.add(cleaned)
    return out


def _absolute(base: str, url: str) -> str:
    """``url`` (relative to the site root) under ``base``; ``./`` is the root itself."""
    if not base:
        return url
    return base if url == "./" else base + url


def _sitemap_url(urlset: etree._Element, loc: str, lastmod: dt.date | None) -> None:
    url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
    etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = loc
    if lastmod is not None:
        etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod.isoformat()


def _text(parent: etree._Element, name: str, value: str) -> etree._Element:
    child = etree.SubElement(parent, f"{{{ATOM_NS}}}{name}")
    child.text = _clean(value)
    return child


def _link(parent: etree._Element, href: str, rel: str, media_type: str) -> None:
    link = etree.SubElement(parent, f"{{{ATOM_NS}}}link")
    link.set("rel", rel)
    link.set("type", media_type)
    link.set("href", href)


def _clean(value: str) -> str:
    return _NOT_XML.sub("", value)


def _rfc3339(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _serialize(root: etree._Element) -> str:
    body: str = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body
