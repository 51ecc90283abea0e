"""Structured data: JSON-LD, Open Graph and Twitter tags in the built pages,
checked against the article model, with a hostile title, with and without
``site_url``, and in headless Chromium under the site's CSP."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from builder.cli import main
from builder.mkdocs_hooks import content_security_policy
from builder.model import Article, EntityRef
from builder.pipeline import Prepared, prepare
from builder.structured_data import (
    SCHEMA_TYPES,
    Site,
    address,
    article_data,
    headline_entities,
    published_time,
    script_json,
)
from builder.taxonomy import load_taxonomy

from conftest import FIXTURES, build_args, make_site_project, serve
from test_site import REFERENCE_PAGE

SITE_URL = "https://example.org/archive/"
SOURCE = FIXTURES / "structured_data" / "source"
HOSTILE_TITLE = "قطر </script><script>alert(1)</script> <!-- & \"quotes\" 'single' عنوان"
TAXONOMY = load_taxonomy()


# --- Units -----------------------------------------------------------------------


@pytest.mark.parametrize("text", [HOSTILE_TITLE, "</SCRIPT >", "<!--<script>", "a & b > c", "\u2028x"])
def test_json_cannot_leave_its_script_block(text: str) -> None:
    written = script_json({"headline": text})
    assert "<" not in written and ">" not in written and "&" not in written
    assert json.loads(written) == {"headline": text}


def article(**fields: Any) -> Article:
    values: dict[str, Any] = {"source_path": "a.md", "slug": "a", "title": "عنوان", "body": "نص.", "summary": "نص."}
    values.update(fields)
    return Article(**values)


def test_published_time_keeps_the_offset_and_invents_no_date() -> None:
    riyadh = dt.timezone(dt.timedelta(hours=3))
    aware = dt.datetime(2024, 3, 5, 10, 30, tzinfo=riyadh)
    assert published_time(article(date=aware.date(), published=aware)) == "2024-03-05T10:30:00+03:00"
    naive = dt.datetime(2024, 3, 5, 10, 30)
    assert published_time(article(date=naive.date(), published=naive)) == "2024-03-05T10:30:00+00:00"
    assert published_time(article(date=dt.date(2024, 3, 5))) == "2024-03-05T00:00:00+00:00"
    assert published_time(article()) is None
    assert "datePublished" not in article_data(article(), frozenset(), lambda e: "")


def test_about_is_what_the_title_or_lead_names_and_mentions_the_rest() -> None:
    tags = (
        EntityRef("person", "أنتوني-بلينكن", "أنتوني بلينكن"),
        EntityRef("country", "قطر", "قطر"),
        EntityRef("place", "الدوحة", "الدوحة"),
        EntityRef("topic", "الدبلوماسية", "الدبلوماسية"),
        EntityRef("organization", "new-body", "هيئة الأدب والنشر"),  # a discovered name, not in the taxonomy
    )
    briefing = article(
        title="بلينكن في الدوحة",  # a taxonomy alias (بلينكن) and a place
        summary="لقاء مع هيئة الأدب والنشر.",
        body="تحدث عن قطر.",
        entities=tags,
    )
    named = headline_entities(briefing, TAXONOMY)
    data = article_data(briefing, named, lambda e: f"tags/{e.type}/{e.slug}.md")
    about = {(item["@type"], item["name"]) for item in data["about"]}
    mentions = {(item["@type"], item["name"]) for item in data["mentions"]}
    assert ("Place", "الدوحة") in about
    assert ("Organization", "هيئة الأدب والنشر") in about
    assert mentions == {("Country", "قطر")}
    assert ("Person", "أنتوني بلينكن") in about, "named by the surname the taxonomy knows"
    assert data["keywords"] == [t.name for t in tags], "every tag is a keyword, topics included"
    assert all(item["@type"] in SCHEMA_TYPES.values() for item in data["about"] + data["mentions"])


@pytest.mark.parametrize(
    ("byline", "kind"),
    [("ليلى منصور", "Person"), ("قسم الأخبار السياسية", "Organization"), ("فريق التحرير", "Organization")],
)
def test_a_byline_is_a_person_unless_it_names_a_desk(byline: str, kind: str) -> None:
    data = article_data(article(author=byline, source="الجزيرة نت"), frozenset(), lambda e: "")
    assert data["author"] == {"@type": kind, "name": byline}
    assert data["publisher"] == {"@type": "Organization", "name": "الجزيرة نت"}


def test_addresses_are_absolute_under_site_url_and_relative_to_the_page_without() -> None:
    online = Site("n", "", "https://example.org/archive", directory_urls=True)
    assert address("index.md", "articles/x.md", online) == "https://example.org/archive/"
    assert address("tags/country/قطر.md", "articles/x.md", online) == (
        "https://example.org/archive/tags/country/%D9%82%D8%B7%D8%B1/"
    )
    served = Site("n", "", None, directory_urls=True)
    assert address("articles/x.md", "articles/x.md", served) == "./"
    assert address("index.md", "articles/x.md", served) == "../../"
    assert address("tags/person/y.md", "articles/x.md", served) == "../../tags/person/y/"
    on_disk = Site("n", "", None, directory_urls=False)
    assert address("articles/x.md", "articles/x.md", on_disk) == "x.html"
    assert address("index.md", "archive/2024/03.md", on_disk) == "../../index.html"


def test_json_ld_is_data_so_the_policy_has_no_hash_for_it() -> None:
    page = (
        '<head><script type="application/ld+json">{"a":1}</script><script>run()</script>'
        "<script id=\"__config\" type='application/json'>{}</script><script type=module>go()</script></head>"
    )
    policy = content_security_policy(page)
    assert len(re.findall(r"'sha256-", policy)) == 2, "the two scripts that run, not the two data blocks"


# --- A built site with site_url ------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], Prepared]:
    project = make_site_project(tmp_path_factory.mktemp("structured"), SOURCE)
    config = project["config"].read_text(encoding="utf-8")
    assert not re.search(r"(?m)^site_url:", config)
    project["config"].write_text(config + f"\nsite_url: {SITE_URL}\n", encoding="utf-8")
    assert main(build_args(project)) == 0
    return project, prepare(project["source"], project["config"])


def head(path: Path) -> BeautifulSoup:
    parsed = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    assert parsed.head is not None
    return parsed.head


def json_ld(page: BeautifulSoup) -> dict[str, Any]:
    blocks = page.find_all("script", type="application/ld+json")
    assert len(blocks) == 1, "one JSON-LD block per page"
    data: dict[str, Any] = json.loads(blocks[0].string)
    assert data["@context"] == "https://schema.org"
    return data


def meta(page: BeautifulSoup, key: str) -> list[str]:
    return [m["content"] for m in page.find_all("meta", attrs={"property": key})] + [
        m["content"] for m in page.find_all("meta", attrs={"name": key})
    ]


def canonical(page: BeautifulSoup) -> str:
    links = page.find_all("link", rel="canonical")
    assert len(links) == 1, "Material's canonical link, once"
    return str(links[0]["href"])


def local_file(site: Path, url: str) -> Path:
    """The built file an absolute URL of the site leads to."""
    assert url.startswith(SITE_URL), url
    path = unquote(urlsplit(url).path)[len(urlsplit(SITE_URL).path) :]
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def test_article_pages_carry_the_article_model(built: tuple[dict[str, Path], Prepared]) -> None:
    project, prepared = built
    assert len(prepared.articles) == 3
    for item in prepared.articles:
        page = head(project["site"] / "articles" / item.slug / "index.html")
        data = json_ld(page)
        url = f"{SITE_URL}articles/{item.slug}/"
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == item.title
        assert data["description"] == item.summary
        assert data["inLanguage"] == "ar"
        assert data["url"] == url == canonical(page) == meta(page, "og:url")[0]
        assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
        assert data.get("datePublished") == published_time(item)
        if item.date is not None:
            assert dt.datetime.fromisoformat(data["datePublished"]).utcoffset() is not None
        assert "dateModified" not in data, "the model has no modification date"
        publisher = item.source or "أرشيف الإحاطات"
        assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == publisher
        assert data["author"]["name"] == (item.author or publisher)
        assert data.get("keywords", []) == list(dict.fromkeys(e.name for e in item.entities))
        typed = {(SCHEMA_TYPES[e.type], e.name) for e in item.entities if e.type in SCHEMA_TYPES}
        listed = [(t["@type"], t["name"]) for t in data.get("about", []) + data.get("mentions", [])]
        assert sorted(listed) == sorted(typed), "every typed tag once, in about or mentions"
        for tag in data.get("about", []):
            assert local_file(project["site"], tag["url"]).is_file(), tag
        assert not [tag for tag in data.get("mentions", []) if "url" in tag], "mentions by name only"
        # Open Graph and Twitter
        assert meta(page, "og:type") == ["article"]
        assert meta(page, "og:locale") == ["ar_AR"]
        assert meta(page, "og:site_name") == ["أرشيف الإحاطات"]
        assert meta(page, "og:title") == meta(page, "twitter:title") == [item.title]
        assert meta(page, "og:description") == meta(page, "twitter:description") == [item.summary]
        assert meta(page, "twitter:card") == ["summary"]
        assert meta(page, "article:tag") == data.get("keywords", [])
        assert meta(page, "article:published_time") == ([data["datePublished"]] if item.date else [])


def test_a_hostile_title_stays_data(built: tuple[dict[str, Path], Prepared]) -> None:
    project, _ = built
    document = BeautifulSoup(
        (project["site"] / "articles" / "hostile" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    page = head(project["site"] / "articles" / "hostile" / "index.html")
    data = json_ld(page)
    assert data["headline"] == HOSTILE_TITLE
    assert data["description"] == "ملخص </SCRIPT > <!-- -->"
    assert data["publisher"]["name"] == "وكالة </script> الأنباء"
    assert data["author"] == {"@type": "Organization", "name": "قسم الأخبار"}
    assert data["isBasedOn"] == "https://example.com/a?b=1&c=2"
    assert data["datePublished"] == "2024-03-05T10:30:00+03:00"
    scripts = [s for s in document.find_all("script") if "alert" in (s.string or "")]
    assert [s.get("type") for s in scripts] == ["application/ld+json"], "the title made no script of its own"
    assert document.find_all("script", type="application/ld+json") == page.find_all(
        "script", type="application/ld+json"
    )
    assert meta(page, "og:title") == [HOSTILE_TITLE]
    assert [(t["@type"], t["name"]) for t in data["about"]] == [("Country", "قطر")]


def test_tag_and_archive_pages_are_collections_with_breadcrumbs(built: tuple[dict[str, Path], Prepared]) -> None:
    project, _ = built
    site = project["site"]
    expected = {
        "tags/index.html": ["الرئيسية", "الوسوم"],
        "tags/country/index.html": ["الرئيسية", "الوسوم", "الدول"],
        "tags/country/قطر/index.html": ["الرئيسية", "الوسوم", "الدول", "قطر"],
        "archive/index.html": ["الرئيسية", "الأرشيف"],
        "archive/2024/index.html": ["الرئيسية", "الأرشيف", "أرشيف 2024"],
        "archive/2024/03/index.html": ["الرئيسية", "الأرشيف", "أرشيف 2024", "مارس 2024"],
        "archive/undated/index.html": ["الرئيسية", "الأرشيف", "إحاطات بلا تاريخ"],
    }
    for path, names in expected.items():
        page = head(site / path)
        data = json_ld(page)
        assert data["@type"] == "CollectionPage", path
        assert data["url"] == canonical(page) == meta(page, "og:url")[0]
        assert local_file(site, data["url"]) == site / path
        assert data["isPartOf"] == {"@type": "WebSite", "name": "أرشيف الإحاطات", "url": SITE_URL}
        crumbs = data["breadcrumb"]
        assert crumbs["@type"] == "BreadcrumbList"
        items = crumbs["itemListElement"]
        assert [i["name"] for i in items] == names, path
        assert [i["position"] for i in items] == list(range(1, len(names) + 1))
        assert items[0]["item"] == SITE_URL and items[-1]["item"] == data["url"]
        for item in items:
            assert local_file(site, item["item"]).is_file(), item
        assert meta(page, "og:type") == ["website"]
    qatar = json_ld(head(site / "tags/country/قطر/index.html"))
    assert qatar["about"]["@type"] == "Country" and qatar["about"]["name"] == "قطر"


def test_home_page_is_the_website_with_its_search(built: tuple[dict[str, Path], Prepared]) -> None:
    project, _ = built
    page = head(project["site"] / "index.html")
    data = json_ld(page)
    assert data["@type"] == "WebSite"
    assert data["url"] == SITE_URL == canonical(page)
    action = data["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == SITE_URL + "?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"


def test_pages_without_structured_data_get_none(built: tuple[dict[str, Path], Prepared]) -> None:
    project, _ = built
    page = head(project["site"] / "search-help" / "index.html")
    assert not page.find_all("script", type="application/ld+json")
    assert not page.find_all("meta", attrs={"property": "og:type"})


# --- The sample site (no site_url) ------------------------------------------------


def test_without_site_url_links_are_relative_and_og_url_canonical_absent(sample_site: dict[str, Path]) -> None:
    site = sample_site["site"]
    pages = [p for p in sorted(site.rglob("*.html")) if p.name != "404.html" and "search-help" not in p.parts]
    assert len(pages) > 20
    for path in pages:
        page = head(path)
        data = json_ld(page)
        assert not page.find_all("link", rel="canonical")
        assert not meta(page, "og:url")
        here = path.relative_to(site).as_posix()
        for link in links(data):
            assert "://" not in link, (here, link)
            target = unquote(urlsplit(urljoin("http://h/" + here, link)).path).lstrip("/")
            found = site / target / "index.html" if target.endswith("/") or not target else site / target
            assert found.is_file(), (here, link)


def links(value: Any) -> list[str]:
    """Every URL in a JSON-LD value (under ``url``, ``item`` and ``@id``)."""
    if isinstance(value, dict):
        return [
            found
            for key, item in value.items()
            for found in ([item] if key in ("url", "item", "@id") and isinstance(item, str) else links(item))
        ]
    if isinstance(value, list):
        return [found for item in value for found in links(item)]
    return []


# --- In Chromium ---------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("where", ["hostile", "reference"])
def test_json_ld_raises_no_csp_violation_in_chromium(
    browser: Any, built: tuple[dict[str, Path], Prepared], sample_site: dict[str, Path], where: str
) -> None:
    site, path = (
        (built[0]["site"], "articles/hostile/")
        if where == "hostile"
        else (sample_site["site"], REFERENCE_PAGE.removesuffix("index.html"))
    )
    with serve(site) as base:
        context = browser.new_context()
        context.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation',"
            " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        page = context.new_page()
        errors: list[str] = []
        dialogs: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            page.goto(base + path, wait_until="networkidle")
            assert page.evaluate("window.__violations") == []
            assert errors == [], "no console error and no CSP report"
            assert dialogs == [], "the hostile title's script never ran"
            data = page.evaluate(
                "[...document.querySelectorAll('script[type=\"application/ld+json\"]')]"
                ".map(s => JSON.parse(s.textContent))"
            )
            assert len(data) == 1 and data[0]["@type"] == "NewsArticle"
            if where == "hostile":
                assert data[0]["headline"] == HOSTILE_TITLE
                scripts = page.evaluate("[...document.scripts].filter(s => s.text.includes('alert')).map(s => s.type)")
                assert scripts == ["application/ld+json"], "the title made no script element of its own"
            # The listener works: a script the policy does not allow is reported.
            page.evaluate(
                "(() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                " document.head.append(s); })()"
            )
            page.wait_for_function("window.__violations.length > 0")
            assert page.evaluate("window.__ran") is None
        finally:
            context.close()
