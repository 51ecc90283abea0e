"""The Atom feed and the sitemap: valid, deterministic, dated by the articles."""

from __future__ import annotations

import datetime as dt
import gzip
import os
from pathlib import Path
from typing import Any

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from builder.errors import ConfigError
from builder.feeds import (
    ATOM_NS,
    SITEMAP_MAX_URLS,
    SITEMAP_NS,
    atom_feed,
    feed_notices,
    page_url,
    publication_files,
    sitemap_files,
    write_publication_files,
)
from builder.model import Article, EntityRef

from .helpers import FIXTURES, load_articles

SITE_URL = "https://example.org/archive/"
TITLE = "أرشيف الموجز العربي"
A = f"{{{ATOM_NS}}}"
S = f"{{{SITEMAP_NS}}}"


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(FIXTURES / "atom.rng")))


@pytest.fixture(scope="module")
def sitemap_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FIXTURES / "sitemap.xsd")))


@pytest.fixture(scope="module")
def siteindex_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FIXTURES / "siteindex.xsd")))


def sitemap(articles: list[Article], extra_pages: list[str], **options: Any) -> str:
    """The sitemap of a site small enough for one file."""
    files = sitemap_files(articles, extra_pages, **options)
    assert list(files) == ["sitemap.xml"]
    return files["sitemap.xml"]


def assert_valid_atom(text: str, schema: etree.RelaxNG) -> etree._Element:
    """RFC 4287's RELAX NG schema, the rules it states in prose, and feedparser."""
    root = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(root), schema.error_log
    entries = root.findall(f"{A}entry")
    # RFC 4287 4.1.1: a feed author, or an author in every entry.
    assert root.find(f"{A}author") is not None or all(e.find(f"{A}author") is not None for e in entries)
    # 4.1.1: no two entries with the same id; 4.1.2: an alternate link or content in each entry.
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert entry.find(f"{A}link[@rel='alternate']") is not None
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return root


@pytest.mark.parametrize("site_url", [None, SITE_URL])
def test_feed_of_mixed_articles_is_valid_atom(site_url: str | None, atom_schema: etree.RelaxNG) -> None:
    assert_valid_atom(atom_feed(load_articles("feed_mixed_articles"), site_url=site_url, title=TITLE), atom_schema)


def test_schema_rejects_a_feed_without_id(atom_schema: etree.RelaxNG) -> None:
    root = etree.fromstring(atom_feed(load_articles("feed_mixed_articles"), site_url=None, title=TITLE).encode())
    root.remove(root.find(f"{A}id"))
    assert not atom_schema.validate(root)


def test_feed_entries_carry_title_link_date_summary_and_categories() -> None:
    articles = load_articles("feed_mixed_articles")
    parsed = feedparser.parse(atom_feed(articles, site_url=SITE_URL, title=TITLE))
    assert parsed.feed.title == TITLE
    by_title = {e.title: e for e in parsed.entries}
    qatar = next(a for a in articles if a.author)
    entry = by_title[qatar.title]
    assert entry.link == SITE_URL + page_url(qatar.page_path)
    assert entry.summary == qatar.summary
    assert entry.author == qatar.author
    assert entry.updated_parsed[:5] == qatar.published.astimezone(dt.UTC).timetuple()[:5]  # type: ignore[union-attr]
    terms = {t.term: t.label for t in entry.tags}
    for entity in qatar.entities:
        assert terms[entity.slug] == entity.name
    for tag in qatar.tags:
        assert tag in terms


def test_feed_leaves_out_drafts_and_undated_articles_newest_first() -> None:
    articles = load_articles("feed_mixed_articles")
    parsed = feedparser.parse(atom_feed(articles, site_url=None, title=TITLE))
    expected = sorted(
        (a for a in articles if a.date and not a.draft),
        key=lambda a: a.published or dt.datetime.combine(a.date, dt.time(), tzinfo=dt.UTC),  # type: ignore[arg-type]
        reverse=True,
    )
    assert [e.title for e in parsed.entries] == [a.title.strip() for a in expected]


def test_feed_text_with_markup_and_control_characters_survives() -> None:
    articles = load_articles("feed_mixed_articles")
    hostile = next(a for a in articles if "<" in a.title)
    parsed = feedparser.parse(atom_feed(articles, site_url=None, title=TITLE))
    entry = next(e for e in parsed.entries if e.link.endswith(page_url(hostile.page_path)))
    assert "\x01" in hostile.summary
    assert entry.title == hostile.title
    assert entry.summary == hostile.summary.replace("\x01", "")


def test_feed_updated_is_the_newest_article_not_the_clock() -> None:
    articles = load_articles("feed_mixed_articles")
    root = etree.fromstring(atom_feed(articles, site_url=None, title=TITLE).encode())
    entry_dates = [e.findtext(f"{A}updated") for e in root.findall(f"{A}entry")]
    assert root.findtext(f"{A}updated") == max(entry_dates)  # type: ignore[type-var]


def test_feed_without_site_url_uses_relative_links_and_says_so() -> None:
    parsed = feedparser.parse(atom_feed(load_articles("feed_mixed_articles"), site_url=None, title=TITLE))
    for entry in parsed.entries:
        assert entry.link.startswith("articles/")
    assert feed_notices(None)
    assert feed_notices(SITE_URL) == ()


def test_entry_ids_do_not_depend_on_site_url() -> None:
    articles = load_articles("feed_mixed_articles")
    ids = [
        [e.id for e in feedparser.parse(atom_feed(articles, site_url=url, title=TITLE)).entries]
        for url in (None, SITE_URL, "https://mirror.example.net/")
    ]
    assert ids[0] == ids[1] == ids[2]


def test_feed_keeps_the_latest_fifty() -> None:
    base = dt.date(2024, 1, 1)
    articles = [
        Article(f"{i}.md", f"a{i:03d}", f"عنوان {i}", "نص", "ملخص", date=base + dt.timedelta(days=i)) for i in range(70)
    ]
    parsed = feedparser.parse(atom_feed(articles, site_url=None, title=TITLE))
    assert len(parsed.entries) == 50
    assert parsed.entries[0].title == "عنوان 69"
    assert parsed.entries[-1].title == "عنوان 20"


@pytest.mark.parametrize("bad", ["example.org", "ftp://example.org/", "/archive/"])
def test_invalid_site_url_is_a_config_error(bad: str) -> None:
    with pytest.raises(ConfigError, match="site_url"):
        atom_feed([], site_url=bad, title=TITLE)


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_article = st.builds(
    Article,
    source_path=st.just("x.md"),
    slug=st.from_regex(r"[a-z0-9\u0621-\u064a]{1,12}", fullmatch=True),
    title=_text,
    body=st.just("نص"),
    summary=_text,
    date=st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    tags=st.lists(_text, max_size=3).map(tuple),
    entities=st.lists(
        st.builds(EntityRef, type=st.just("topic"), slug=st.from_regex(r"[a-z]{1,8}", fullmatch=True), name=_text),
        max_size=2,
    ).map(tuple),
    draft=st.booleans(),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(articles=st.lists(_article, max_size=8, unique_by=lambda a: a.slug), limit=st.integers(0, 10))
def test_any_articles_give_a_valid_feed(articles: list[Article], limit: int, atom_schema: etree.RelaxNG) -> None:
    text = atom_feed(articles, site_url=SITE_URL, title=TITLE, limit=limit)
    root = assert_valid_atom(text, atom_schema)
    eligible = [a for a in articles if a.date and not a.draft]
    assert len(root.findall(f"{A}entry")) == min(limit, len(eligible))
    dates = [e.findtext(f"{A}updated") for e in root.findall(f"{A}entry")]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    assert text == atom_feed(list(reversed(articles)), site_url=SITE_URL, title=TITLE, limit=limit)


def test_sitemap_lastmod_comes_from_article_dates(sitemap_schema: etree.XMLSchema) -> None:
    articles = load_articles("feed_mixed_articles")
    text = sitemap(articles, ["index.md", "archive/index.md"], site_url=SITE_URL)
    root = etree.fromstring(text.encode())
    assert sitemap_schema.validate(root), sitemap_schema.error_log
    lastmod = {u.findtext(f"{S}loc"): u.findtext(f"{S}lastmod") for u in root.findall(f"{S}url")}
    published = [a for a in articles if not a.draft]
    newest = max(a.date for a in published if a.date)
    for article in published:
        loc = SITE_URL + page_url(article.page_path)
        assert lastmod[loc] == (article.date.isoformat() if article.date else None)
    assert lastmod[SITE_URL] == newest.isoformat()
    assert lastmod[SITE_URL + "archive/"] == newest.isoformat()
    assert not any(SITE_URL + page_url(a.page_path) in lastmod for a in articles if a.draft)
    assert len(lastmod) == len(published) + 2


def test_sitemap_without_site_url_is_relative(sitemap_schema: etree.XMLSchema) -> None:
    text = sitemap(load_articles("feed_mixed_articles"), ["index.md"], site_url=None)
    locs = [u.findtext(f"{S}loc") for u in etree.fromstring(text.encode()).findall(f"{S}url")]
    assert "./" in locs
    assert all(loc and not loc.startswith(("http:", "https:", "/")) for loc in locs)


def test_sitemap_for_the_offline_variant_uses_html_files() -> None:
    text = sitemap(load_articles("feed_mixed_articles"), ["index.md"], site_url=None, directory_urls=False)
    locs = [u.findtext(f"{S}loc") for u in etree.fromstring(text.encode()).findall(f"{S}url")]
    assert all(loc and loc.endswith(".html") for loc in locs)


def _locs(text: str, element: str = "url") -> list[str]:
    return [e.findtext(f"{S}loc") or "" for e in etree.fromstring(text.encode()).findall(f"{S}{element}")]


def test_a_sitemap_too_big_for_one_file_becomes_an_index_of_parts(
    sitemap_schema: etree.XMLSchema, siteindex_schema: etree.XMLSchema
) -> None:
    articles = load_articles("feed_mixed_articles")
    pages = ["index.md", "archive/index.md", "tags/index.md"]
    whole = _locs(sitemap(articles, pages, site_url=SITE_URL, max_urls=10_000))
    files = sitemap_files(articles, pages, site_url=SITE_URL, max_urls=2)
    parts = [f"sitemap-{n}.xml" for n in range(1, (len(whole) + 1) // 2 + 1)]
    assert sorted(files) == sorted(["sitemap.xml", *parts])
    index = etree.fromstring(files["sitemap.xml"].encode())
    assert siteindex_schema.validate(index), siteindex_schema.error_log
    assert _locs(files["sitemap.xml"], "sitemap") == [SITE_URL + name for name in parts]
    for name in parts:
        assert sitemap_schema.validate(etree.fromstring(files[name].encode())), (name, sitemap_schema.error_log)
    # Every page once, in the one-file order; each part dated by its newest page.
    assert [loc for name in parts for loc in _locs(files[name])] == whole
    for entry in index.findall(f"{S}sitemap"):
        part = etree.fromstring(files[entry.findtext(f"{S}loc").removeprefix(SITE_URL)].encode())
        dates = [d.text for d in part.iter(f"{S}lastmod")]
        assert entry.findtext(f"{S}lastmod") == (max(dates) if dates else None)


def test_a_sitemap_part_holds_at_most_the_protocol_limit(sitemap_schema: etree.XMLSchema) -> None:
    pages = [f"tags/topic/وسم-{n}.md" for n in range(SITEMAP_MAX_URLS + 1)]
    files = sitemap_files([], pages, site_url=SITE_URL)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    first = etree.fromstring(files["sitemap-1.xml"].encode())
    assert len(first) == SITEMAP_MAX_URLS
    assert sitemap_schema.validate(first), sitemap_schema.error_log
    assert len(_locs(files["sitemap-2.xml"])) == 1


def test_a_sitemap_part_stays_under_the_byte_limit() -> None:
    pages = [f"tags/topic/وسم-{n}.md" for n in range(40)]
    files = sitemap_files([], pages, site_url=SITE_URL, max_bytes=2_000)
    parts = [text for name, text in files.items() if name != "sitemap.xml"]
    assert len(parts) > 1
    assert all(len(text.encode()) <= 2_000 for text in parts)
    assert sum(len(_locs(text)) for text in parts) == 40


def test_the_gzipped_sitemap_is_the_index_when_there_are_parts() -> None:
    pages = [f"tags/topic/وسم-{n}.md" for n in range(SITEMAP_MAX_URLS + 1)]
    files = publication_files([], pages, site_url=SITE_URL, title=TITLE)
    assert {"sitemap-1.xml", "sitemap-2.xml", "sitemap.xml", "sitemap.xml.gz", "feed.xml"} == set(files)
    assert gzip.decompress(files["sitemap.xml.gz"]) == files["sitemap.xml"]
    assert b"<sitemapindex" in files["sitemap.xml"]


@pytest.mark.parametrize(
    ("docs_path", "directory", "file"),
    [
        ("index.md", "./", "index.html"),
        ("archive/index.md", "archive/", "archive/index.html"),
        ("articles/x.md", "articles/x/", "articles/x.html"),
        ("articles/قطر.md", "articles/%D9%82%D8%B7%D8%B1/", "articles/%D9%82%D8%B7%D8%B1.html"),
    ],
)
def test_page_url_follows_mkdocs(docs_path: str, directory: str, file: str) -> None:
    assert page_url(docs_path) == directory
    assert page_url(docs_path, directory_urls=False) == file


def test_publication_files_depend_on_the_articles_only() -> None:
    articles = load_articles("feed_mixed_articles")
    files = publication_files(articles, ["index.md"], site_url=SITE_URL, title=TITLE)
    assert set(files) == {"feed.xml", "sitemap.xml", "sitemap.xml.gz"}
    assert gzip.decompress(files["sitemap.xml.gz"]) == files["sitemap.xml"]
    again = publication_files(list(reversed(articles)), ["index.md"], site_url=SITE_URL, title=TITLE)
    assert again == files
    newer = [*articles, Article("n.md", "n", "جديد", "نص", "ملخص", date=dt.date(2025, 1, 1))]
    changed = publication_files(newer, ["index.md"], site_url=SITE_URL, title=TITLE)
    assert changed["sitemap.xml.gz"] != files["sitemap.xml.gz"]


def test_writing_the_files_never_writes_through_a_hard_link(tmp_path: Path) -> None:
    previous, staging = tmp_path / "previous", tmp_path / "staging"
    previous.mkdir()
    staging.mkdir()
    (previous / "sitemap.xml").write_bytes(b"<old/>")
    os.link(previous / "sitemap.xml", staging / "sitemap.xml")
    files = publication_files(load_articles("feed_mixed_articles"), ["index.md"], site_url=None, title=TITLE)
    write_publication_files(staging, files)
    assert (previous / "sitemap.xml").read_bytes() == b"<old/>"
    assert {p.name: p.read_bytes() for p in staging.iterdir()} == files
