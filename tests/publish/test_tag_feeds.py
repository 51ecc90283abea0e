"""Each tag's Atom feed: valid, its newest 20 briefings, dated by them, linked
from the tag page (in <head> and visibly), in the site and the offline bundle."""

from __future__ import annotations

import datetime as dt
import html
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree

from builder.feeds import (
    ATOM_NS,
    TAG_FEED_LIMIT,
    FeedSettings,
    TagFeeds,
    atom_feed,
    page_url,
    relative_url,
    tag_feed,
    tag_feed_path,
)
from builder.model import Article, EntityRef
from builder.pipeline import prepare
from builder.render import tag_page_path
from builder.tagpages import iter_tag_pages
from builder.taxonomy import Taxonomy, load_taxonomy

from .helpers import FIXTURES, REPO, Bundle
from .test_feeds import assert_valid_atom

SITE_URL = "https://example.org/archive/"
SITE_NAME = "أرشيف الإحاطات"
A = f"{{{ATOM_NS}}}"
QATAR = EntityRef("country", "قطر", "قطر")
FRANCE = EntityRef("country", "فرنسا", "فرنسا")
MEDIATION = EntityRef("topic", "وساطة", "وساطة")
FOLLOW = "تابع عبر RSS"


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(FIXTURES / "atom.rng")))


@cache
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def art(i: int, *entities: EntityRef, date: dt.date | None, published: dt.datetime | None = None) -> Article:
    return Article(
        source_path=f"a{i}.md",
        slug=f"a-{i}",
        title=f"إحاطة رقم {i}",
        body="نص",
        summary=f"ملخص الإحاطة {i}",
        date=date,
        published=published,
        entities=entities,
        author="مراسل" if i % 2 else None,
    )


def corpus() -> list[Article]:
    """30 briefings on قطر (every other one on فرنسا too), one a day from 2024-01-01,
    three with a time of day; and one undated briefing on وساطة alone."""
    day = dt.date(2024, 1, 1)
    articles = [
        art(
            i,
            QATAR,
            *([FRANCE] if i % 2 else []),
            date=day + dt.timedelta(days=i),
            published=dt.datetime(2024, 1, 1 + i, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=3))) if i < 3 else None,
        )
        for i in range(30)
    ]
    return [*articles, art(99, MEDIATION, date=None)]


NAMED = FeedSettings(SITE_NAME)


def generated(articles: list[Article], settings: FeedSettings = NAMED) -> dict[str, str]:
    return {f.path: f.content for f in iter_tag_pages(articles, taxonomy(), feeds=settings)}


def feed_of(files: dict[str, str], entity: EntityRef) -> Any:
    return feedparser.parse(files[tag_feed_path(entity)])


SETTINGS = [
    FeedSettings(SITE_NAME),
    FeedSettings(SITE_NAME, SITE_URL),
    FeedSettings(SITE_NAME, None, directory_urls=False),
]


@pytest.mark.parametrize("settings", SETTINGS, ids=["relative", "site_url", "offline"])
def test_every_tag_page_has_a_valid_feed_beside_it(settings: FeedSettings, atom_schema: etree.RelaxNG) -> None:
    files = generated(corpus(), settings)
    first_pages = {p for p in files if p.endswith(".md") and p.count("/") == 2}  # tags/<type>/<slug>.md
    feeds = {p for p in files if p.endswith("/feed.xml")}
    assert {p.removesuffix(".md") + "/feed.xml" for p in first_pages} == feeds
    assert len(feeds) == 3
    for path in feeds:
        assert_valid_atom(files[path], atom_schema)


def test_a_feed_holds_the_newest_twenty_of_its_tag_newest_first() -> None:
    files = generated(corpus())
    qatar = feed_of(files, QATAR)
    assert [e.title for e in qatar.entries] == [f"إحاطة رقم {i}" for i in range(29, 29 - TAG_FEED_LIMIT, -1)]
    france = feed_of(files, FRANCE)
    assert [e.title for e in france.entries] == [f"إحاطة رقم {i}" for i in range(29, 0, -2)]
    assert qatar.feed.title == f"قطر · {SITE_NAME}"
    assert FeedSettings().site_name == "" and feed_of(generated(corpus(), FeedSettings()), QATAR).feed.title == "قطر"


def test_a_feed_is_dated_by_its_articles_never_the_clock() -> None:
    files = generated(corpus(), FeedSettings(SITE_NAME))
    root = etree.fromstring(files[tag_feed_path(FRANCE)].encode())
    updated = [e.findtext(f"{A}updated") for e in root.findall(f"{A}entry")]
    assert updated[0] == "2024-01-30T00:00:00Z"  # briefing 29's date
    assert root.findtext(f"{A}updated") == max(updated)  # type: ignore[type-var]
    # A time of day is given in UTC, as in the site feed.
    early = generated(corpus()[:3], FeedSettings(SITE_NAME))
    assert etree.fromstring(early[tag_feed_path(QATAR)].encode()).findtext(f"{A}updated") == "2024-01-03T06:30:00Z"
    assert generated(list(reversed(corpus()))) == generated(corpus())


def test_a_tag_of_undated_briefings_has_a_valid_empty_feed(atom_schema: etree.RelaxNG) -> None:
    text = generated(corpus())[tag_feed_path(MEDIATION)]
    root = assert_valid_atom(text, atom_schema)
    assert root.findall(f"{A}entry") == []


def test_entries_are_the_site_feeds_entries() -> None:
    articles = corpus()
    site = {e.id: e for e in feedparser.parse(atom_feed(articles, site_url=SITE_URL, title=SITE_NAME)).entries}
    tag = feed_of(generated(articles, FeedSettings(SITE_NAME, SITE_URL)), QATAR)
    for entry in tag.entries:
        twin = site[entry.id]
        assert (entry.title, entry.link, entry.updated, entry.summary) == (
            twin.title,
            twin.link,
            twin.updated,
            twin.summary,
        )
        assert [t.term for t in entry.tags] == [t.term for t in twin.tags]
    assert tag.feed.id != feedparser.parse(atom_feed(articles, site_url=None, title=SITE_NAME)).feed.id


@pytest.mark.parametrize("settings", SETTINGS, ids=["relative", "site_url", "offline"])
def test_feed_links_lead_to_the_articles_and_the_tag_page(settings: FeedSettings) -> None:
    """Resolved against the feed's own address, as a feed reader resolves them."""
    root = settings.site_url or "http://127.0.0.1:8000/"
    path = tag_feed_path(QATAR)
    parsed = feed_of(generated(corpus(), settings), QATAR)
    here = root + path

    def target(href: str) -> str:
        if settings.site_url:
            assert href.startswith(SITE_URL), href
        else:
            assert "://" not in href and not href.startswith("/"), href
        return unquote(urljoin(here, href))

    mode = settings.directory_urls
    links = {link.rel: link.href for link in parsed.feed.links}
    assert target(links["self"]) == root + path
    assert target(links["alternate"]) == unquote(root + page_url(tag_page_path(QATAR), directory_urls=mode))
    for entry in parsed.entries:
        slug = entry.link.rstrip("/").split("/")[-1].removesuffix(".html")
        expected = unquote(root + page_url(f"articles/{unquote(slug)}.md", directory_urls=mode))
        assert target(entry.link) == expected


@pytest.mark.parametrize(
    ("folder", "url", "expected"),
    [
        ("", "./", "./"),
        ("", "feed.xml", "feed.xml"),
        ("tags/country/x", "tags/country/x/", "./"),
        ("tags/country/x", "tags/country/x/feed.xml", "feed.xml"),
        ("tags/country/x", "tags/country/x.html", "../x.html"),
        ("tags/country/x", "articles/a/", "../../../articles/a/"),
        ("tags/country/x", "./", "../../../"),
    ],
)
def test_relative_url(folder: str, url: str, expected: str) -> None:
    assert relative_url(folder, url) == expected


def test_only_a_change_among_a_tags_newest_twenty_changes_its_feed() -> None:
    before = generated(corpus())
    older = art(500, QATAR, date=dt.date(2020, 1, 1))  # older than all 30: not among the newest 20
    after_older = generated([*corpus(), older])
    assert after_older[tag_feed_path(QATAR)] == before[tag_feed_path(QATAR)]
    assert after_older["tags/country/قطر.md"] != before["tags/country/قطر.md"]  # its page counts it
    newer = art(501, QATAR, date=dt.date(2025, 1, 1))
    after_newer = generated([*corpus(), newer])
    changed = {p for p in before if p.endswith("feed.xml") and before[p] != after_newer[p]}
    assert changed == {tag_feed_path(QATAR)}


def test_copied_entries_give_the_same_feed_as_fresh_ones() -> None:
    articles = corpus()
    newest = sorted((a for a in articles if QATAR in a.entities), key=lambda a: a.sort_key)[:TAG_FEED_LIMIT]
    settings = FeedSettings(SITE_NAME, SITE_URL)
    fresh = tag_feed(QATAR, tag_page_path(QATAR), newest, settings)
    shared = TagFeeds(settings, cache_size=1)
    shared.feed(FRANCE, tag_page_path(FRANCE), newest)  # fills the cache with entries of another feed
    assert shared.feed(QATAR, tag_page_path(QATAR), newest) == fresh


def test_a_hostile_tag_name_stays_text(atom_schema: etree.RelaxNG) -> None:
    name = '"><script>alert(1)</script> & «وسم»'
    hostile = EntityRef("topic", "وسم-عدائي", name)
    files = generated([art(1, hostile, date=dt.date(2024, 1, 1))], FeedSettings(SITE_NAME))
    parsed = feedparser.parse(files[tag_feed_path(hostile)])
    assert_valid_atom(files[tag_feed_path(hostile)], atom_schema)
    assert parsed.feed.title == f"{name} · {SITE_NAME}"
    header = files["tags/topic/وسم-عدائي.md"].split("---", 2)[1]
    assert "<" not in header and '"' not in header  # the theme prints these values as they are
    meta = yaml.safe_load(header)
    assert meta["feed_title"] == html.escape(f"{name} · {SITE_NAME}", quote=True)
    assert meta["feed"] == "tags/topic/%D9%88%D8%B3%D9%85-%D8%B9%D8%AF%D8%A7%D8%A6%D9%8A/feed.xml"


def test_the_build_links_absolutely_under_site_url_and_the_bundle_relatively(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(text.replace("site_name:", f"site_url: {SITE_URL}\nsite_name:", 1), encoding="utf-8")
    prepared = prepare(REPO / "source", config)
    path = tag_feed_path(QATAR)
    web = next(f.content for f in prepared.pages() if f.path == path)
    offline = next(f.content for f in prepared.pages(directory_urls=False) if f.path == path)
    web_links = [link.href for entry in feedparser.parse(web).entries for link in entry.links]
    offline_links = [link.href for entry in feedparser.parse(offline).entries for link in entry.links]
    assert web_links and all(href.startswith(SITE_URL + "articles/") for href in web_links)
    assert offline_links and all(href.startswith("../../../articles/") for href in offline_links)
    assert all(href.endswith(".html") for href in offline_links)
    assert feedparser.parse(web).feed.title == f"قطر · {prepared.site.site_name}"


# The sample site and the offline bundle, built through the command line.


def _check_linked_feed(site: Path, page: Path, *, offline: bool) -> None:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    heads = soup.head.select('link[rel~="alternate"][type="application/atom+xml"]')  # type: ignore[union-attr]
    assert len(heads) == 1, page
    name = soup.select_one("article h1").get_text(strip=True).removesuffix("¶")  # type: ignore[union-attr]
    assert heads[0]["title"] == f"{name} · {SITE_NAME}"
    visible = soup.select("article a.feed-link")
    assert [a.get_text() for a in visible] == [FOLLOW]
    assert visible[0]["href"] == heads[0]["href"]
    feed = (page.parent / unquote(str(heads[0]["href"]))).resolve()
    assert feed.is_file() and feed.name == "feed.xml" and feed.is_relative_to(site.resolve()), page
    parsed = feedparser.parse(feed.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == heads[0]["title"]
    for entry in parsed.entries:
        article = (feed.parent / unquote(entry.link)).resolve()
        if not offline:
            article = article / "index.html"
        assert article.is_file(), (feed, entry.link)
    alternate = next(link.href for link in parsed.feed.links if link.rel == "alternate")
    back = (feed.parent / unquote(alternate)).resolve()
    assert (back if offline else back / "index.html") == page.resolve()


def test_the_sample_sites_tag_pages_link_their_feeds(sample_site: dict[str, Path]) -> None:
    site = sample_site["site"]
    pages = [p for p in site.glob("tags/*/*/index.html") if not p.parent.name.isdigit()]
    assert len(pages) > 50
    assert len(list(site.glob("tags/*/*/feed.xml"))) == len(pages)
    for page in pages:
        _check_linked_feed(site, page, offline=False)
    # Other pages name no feed of their own.
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select('link[type="application/atom+xml"]') == []


def test_the_bundles_tag_pages_link_their_feeds(offline_bundle: Bundle) -> None:
    root = offline_bundle.root
    pages = [p for p in root.glob("tags/*/*.html")]
    assert len(pages) > 50
    assert len(list(root.glob("tags/*/*/feed.xml"))) == len(pages)
    for page in pages:
        _check_linked_feed(root, page, offline=True)


@pytest.mark.browser
def test_the_feed_link_shows_and_opens_the_feed(browser: Any, sample_site: dict[str, Path]) -> None:
    from test_browser import visit

    from conftest import serve

    with serve(sample_site["site"]) as base:
        # visit() records every request outside the site and every console error (a 404 is one).
        page, outside, _, errors = visit(browser, base + "tags/country/%D9%82%D8%B7%D8%B1/", base)
        try:
            assert page.get_by_role("link", name=FOLLOW).is_visible()
            head = page.evaluate(
                "document.querySelector('head link[rel~=alternate][type=\"application/atom+xml\"]').href"
            )
            assert head == page.evaluate("document.querySelector('a.feed-link').href")
            # Material fetches a sitemap beside every exact rel=alternate link (see feed-links.html).
            assert page.evaluate("document.querySelectorAll('link[rel=alternate]').length") == 0
            response = page.request.get(head)
            assert response.ok
            assert feedparser.parse(response.body()).feed.title.startswith("قطر")
            assert outside == [] and errors == []
        finally:
            page.context.close()
