"""Structured data for search engines and link previews: schema.org JSON-LD,
Open Graph and Twitter card tags in each page's ``<head>``.

One job in two halves, because the two halves know different things:

* **What a page is** (the builder, which knows the article model):
  :func:`article_data`, :func:`collection_data`, :func:`home_data` give a
  schema.org object that the page's front matter carries under
  ``structured_data``. Links to other pages are their paths under ``docs/``
  (``tags/person/x.md``). Every string is HTML-escaped there like every other
  front-matter value (:func:`builder.render.front_matter`).
* **Where it is published** (the MkDocs hook, which knows ``site_url``, the URL
  layout and the page's own address): :func:`head_data` turns those paths into
  URLs (absolute when ``site_url`` is set, relative to the page when it is not),
  adds the page's ``url``, ``mainEntityOfPage``, the site and its search action,
  and gives the JSON text and the meta tags that
  ``overrides/partials/structured-data.html`` prints.

The JSON is written so that nothing in it can end its ``<script>`` block:
``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e``, ``\\u0026``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mkdocs.utils import get_relative_url

from builder.arabic import normalize
from builder.feeds import normalize_site_url, page_url
from builder.model import Article, EntityRef
from builder.tagging.matching import find_matches
from builder.taxonomy import Taxonomy

FRONT_MATTER_KEY = "structured_data"
CONTEXT = "https://schema.org"
HOME_PATH = "index.md"
HOME_NAME = "الرئيسية"  # as the navigation names it
OG_LOCALE = "ar_AR"
LANGUAGE = "ar"
# The search box opens with ``?q=`` on any page (docs/assets/search/ui.js); the home page is its address.
SEARCH_PARAMETER = "search_term_string"

# Tag types that are schema.org types. Topics are not (they stay in ``keywords``).
SCHEMA_TYPES = {"person": "Person", "organization": "Organization", "country": "Country", "place": "Place"}
# A byline whose first word is one of these names a desk or a team, not a person.
_DESK_WORDS = frozenset(
    normalize(word) for word in ("قسم", "فريق", "مكتب", "أسرة", "هيئة", "وحدة", "إدارة", "غرفة", "دائرة", "وكالة")
)
# Keys whose string value is a page of this site while it is a ``docs/`` path.
_LINK_KEYS = frozenset({"url", "item"})
_NOT_A_WORD = re.compile(r"[^\w]+")

Link = tuple[str, str]  # (name, path under docs/)


# --- What a page is (builder side) -------------------------------------------------


def headline_entities(article: Article, taxonomy: Taxonomy) -> frozenset[tuple[str, str]]:
    """The (type, slug) of each of the article's tags named in its title or its lead
    (the summary). Taxonomy names are found as the tagger finds them (aliases,
    demonyms, proclitics); a discovered name, as its words after normalisation."""
    heads = (article.title, article.summary)
    found = {(m.entity.type, m.entity.slug) for text in heads for m in find_matches(text, taxonomy)}
    padded = f" {_words(' '.join(heads))} "
    return frozenset(
        (e.type, e.slug) for e in article.entities if (e.type, e.slug) in found or f" {_words(e.name)} " in padded
    )


def _words(text: str) -> str:
    """Normalised words, one space between them (punctuation is a space)."""
    return " ".join(_NOT_A_WORD.sub(" ", normalize(text)).split())


def published_time(article: Article) -> str | None:
    """ISO 8601 with its offset: the source's own time and offset when it gives them; a
    time without offset is UTC, and a date alone is its midnight UTC (as the feed says).
    ``None`` for an undated article: no date is invented."""
    if article.published is not None:
        moment = article.published
        return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).isoformat()
    if article.date is not None:
        return dt.datetime.combine(article.date, dt.time(0, 0), tzinfo=dt.UTC).isoformat()
    return None


def _organization(name: str) -> dict[str, Any]:
    return {"@type": "Organization", "name": name}


def _byline(author: str) -> dict[str, Any]:
    words = normalize(author).split()
    kind = "Organization" if words and words[0] in _DESK_WORDS else "Person"
    return {"@type": kind, "name": author}


def _tag(entity: EntityRef, path: str | None) -> dict[str, Any]:
    tag = {"@type": SCHEMA_TYPES.get(entity.type, "Thing"), "name": entity.name}
    return tag if path is None else {**tag, "url": path}


def article_data(
    article: Article, headline_tags: frozenset[tuple[str, str]], tag_path: Callable[[EntityRef], str]
) -> dict[str, Any]:
    """A ``NewsArticle``. The source is its publisher; the byline its author (a person,
    or the desk it names), else the source. Typed tags named in the title or the lead
    are what it is ``about`` (with their tag page); the other typed tags are
    ``mentions``, by name only: an article names dozens, and their tag pages'
    percent-encoded addresses would add kilobytes to every article page."""
    data: dict[str, Any] = {"@type": "NewsArticle", "headline": article.title}
    if article.summary:
        data["description"] = article.summary
    published = published_time(article)
    if published is not None:
        data["datePublished"] = published
    if article.author:
        data["author"] = _byline(article.author)
    elif article.source:
        data["author"] = _organization(article.source)
    if article.source:
        data["publisher"] = _organization(article.source)
    if article.url:
        data["isBasedOn"] = article.url
    keywords = list(dict.fromkeys(e.name for e in article.entities))
    if keywords:
        data["keywords"] = keywords
    typed = [e for e in article.entities if e.type in SCHEMA_TYPES]
    about = [_tag(e, tag_path(e)) for e in typed if (e.type, e.slug) in headline_tags]
    mentions = [_tag(e, None) for e in typed if (e.type, e.slug) not in headline_tags]
    if about:
        data["about"] = about
    if mentions:
        data["mentions"] = mentions
    return data


def collection_data(
    name: str,
    trail: Sequence[Link],
    path: str,
    *,
    crumb: str | None = None,
    about: EntityRef | None = None,
    about_path: str = "",
) -> dict[str, Any]:
    """A ``CollectionPage`` (a tag page, a tags list, an archive page) with its
    breadcrumb: the home page, then ``trail`` (the pages above it), then itself
    (as ``crumb``, its name by default)."""
    crumbs = [(HOME_NAME, HOME_PATH), *trail, (crumb or name, path)]
    data: dict[str, Any] = {"@type": "CollectionPage", "name": name}
    if about is not None:
        data["about"] = _tag(about, about_path)
    data["breadcrumb"] = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": crumb, "item": target}
            for position, (crumb, target) in enumerate(crumbs, start=1)
        ],
    }
    return data


def home_data() -> dict[str, Any]:
    """The home page is the ``WebSite`` (its name and search come from the site's settings)."""
    return {"@type": "WebSite"}


# --- Where it is published (hook side) ---------------------------------------------


@dataclass(frozen=True)
class Site:
    """What the hook knows about the site being built."""

    name: str
    description: str
    site_url: str | None  # absolute, or None
    directory_urls: bool


@dataclass(frozen=True)
class HeadData:
    """What ``overrides/partials/structured-data.html`` prints."""

    json_ld: str  # safe between <script type="application/ld+json"> and </script>
    meta: tuple[tuple[str, str, str], ...]  # (attribute, its value, content): content still to be HTML-escaped


def address(docs_path: str, from_path: str, site: Site) -> str:
    """The URL of the page built from ``docs_path``: absolute under ``site_url``, else
    relative to the page built from ``from_path`` (so it holds wherever the site is served)."""
    target = page_url(docs_path, directory_urls=site.directory_urls)
    base = normalize_site_url(site.site_url)
    if base is not None:
        return base if target == "./" else base + target
    here = page_url(from_path, directory_urls=site.directory_urls)
    return get_relative_url(target, "" if here == "./" else here)


def _unescaped(value: Any) -> Any:
    """Front-matter strings are HTML-escaped; JSON and the template want the text itself."""
    if isinstance(value, str):
        return html.unescape(value)
    if isinstance(value, Mapping):
        return {key: _unescaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unescaped(item) for item in value]
    return value


def _linked(value: Any, to_url: Callable[[str], str]) -> Any:
    """``docs/`` paths under ``url`` and ``item`` keys made URLs."""
    if isinstance(value, Mapping):
        return {
            key: to_url(item)
            if key in _LINK_KEYS and isinstance(item, str) and item.endswith(".md") and "://" not in item
            else _linked(item, to_url)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_linked(item, to_url) for item in value]
    return value


def script_json(data: Mapping[str, Any]) -> str:
    """JSON that cannot end or change its ``<script>`` block (``</script>``, ``<!--``):
    ``<``, ``>`` and ``&`` only ever occur inside JSON strings, where ``\\u003c``
    and its kin mean the same characters."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def head_data(page_path: str, front: Mapping[str, Any] | None, site: Site) -> HeadData | None:
    """The finished JSON-LD and meta tags of the page built from ``page_path``, whose
    front matter said ``front`` under ``structured_data``; ``None`` when it said nothing."""
    if not isinstance(front, Mapping) or not isinstance(front.get("@type"), str):
        return None
    here = address(page_path, page_path, site)
    said = _linked(_unescaped(front), lambda path: address(path, page_path, site))
    data = _finished(said, here, address(HOME_PATH, page_path, site), site)
    # Open Graph wants an absolute URL or none.
    return HeadData(script_json(data), _meta_tags(data, here if site.site_url else None, site))


def _finished(said: Mapping[str, Any], here: str, home: str, site: Site) -> dict[str, Any]:
    """What the page said, with what only the published site knows: its address,
    the site, its search, and the archive as publisher when the source gave none."""
    data: dict[str, Any] = {"@context": CONTEXT, **said}
    website: dict[str, Any] = {"@type": "WebSite", "name": site.name, "url": home}
    if data["@type"] == "WebSite":
        data.update(website)
        if site.description:
            data["description"] = site.description
        data["inLanguage"] = LANGUAGE
        data["potentialAction"] = {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{home}?q={{{SEARCH_PARAMETER}}}"},
            "query-input": f"required name={SEARCH_PARAMETER}",
        }
    elif data["@type"] == "NewsArticle":
        data.setdefault("publisher", {"@type": "Organization", "name": site.name, "url": home})
        data.setdefault("author", data["publisher"])
        data["inLanguage"] = LANGUAGE
        data["url"] = here
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": here}
    else:
        data["inLanguage"] = LANGUAGE
        data["url"] = here
        data["isPartOf"] = website
    return data


def _meta_tags(data: Mapping[str, Any], absolute_url: str | None, site: Site) -> tuple[tuple[str, str, str], ...]:
    """Open Graph and Twitter card tags, from the finished JSON-LD."""
    article = data["@type"] == "NewsArticle"
    title = str(data.get("headline" if article else "name", ""))
    description = str(data.get("description") or site.description)
    meta: list[tuple[str, str, str]] = [
        ("property", "og:type", "article" if article else "website"),
        ("property", "og:locale", OG_LOCALE),
        ("property", "og:site_name", site.name),
        ("property", "og:title", title),
    ]
    if description:
        meta.append(("property", "og:description", description))
    if absolute_url is not None:
        meta.append(("property", "og:url", absolute_url))
    if article:
        if "datePublished" in data:
            meta.append(("property", "article:published_time", data["datePublished"]))
        meta.extend(("property", "article:tag", keyword) for keyword in data.get("keywords", ()))
    meta.append(("name", "twitter:card", "summary"))
    meta.append(("name", "twitter:title", title))
    if description:
        meta.append(("name", "twitter:description", description))
    return tuple(meta)
