"""Tag pages and the tags index: content, order, pagination, links, escaping, and a
strict MkDocs build of the generated pages."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import shutil
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import markdown  # type: ignore[import-untyped]
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.arabic import sort_key
from builder.model import Article, EntityRef, GeneratedFile
from builder.render import GENERATED_MARK
from builder.tagging.links import link_first_mentions
from builder.tagging.matching import tag_article
from builder.tagpages import (
    INDEX_PATH,
    MOST_MENTIONED_PER_TYPE,
    TYPE_PAGE_SIZE,
    cooccurrence,
    iter_tag_pages,
    render_tag_pages,
    type_index_path,
)
from builder.taxonomy import Taxonomy, load_taxonomy

HOSTILE_TITLE = "عنوان <b>عريض</b> [رابط](javascript:alert(1)) *نجمة* _x_ # 1. ~~شطب~~ | &amp; {: .x}"
# A link target: "](…)" whose "]" is not backslash-escaped (escaped text is not a link).
_LINK = re.compile(r"(?<!\\)\]\(([^)]+)\)")


@cache
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def ref(type_: str, name: str) -> EntityRef:
    entity = taxonomy().by_name(name)
    assert entity is not None, name
    return entity.ref


def art(
    i: int, *entities: EntityRef, date: dt.date | None = None, title: str | None = None, draft: bool = False
) -> Article:
    return Article(
        source_path=f"a{i}.md",
        slug=f"a-{i}",
        title=title or f"إحاطة رقم {i}",
        body="",
        summary="",
        date=date,
        entities=entities,
        draft=draft,
    )


UP = "../../../"  # from an older page (tags/<type>/<slug>/<n>.md) to the docs root
QATAR, FRANCE, JORDAN, AFGHANISTAN = (ref("country", n) for n in ("قطر", "فرنسا", "الأردن", "أفغانستان"))
BLINKEN, UN, DOHA = ref("person", "بلينكن"), ref("organization", "الأمم المتحدة"), ref("place", "الدوحة")


def corpus() -> list[Article]:
    """120 briefings on Qatar over 5 years, a few on other tags, one hostile title, one draft."""
    articles = [
        art(
            i,
            QATAR,
            *([FRANCE] if i % 2 else []),
            *([BLINKEN] if i % 3 == 0 else []),
            date=dt.date(2019 + i % 5, 1 + i % 12, 1 + i % 28) if i % 10 else None,
        )
        for i in range(120)
    ]
    articles.append(art(200, JORDAN, AFGHANISTAN, UN, DOHA, date=dt.date(2024, 2, 1), title=HOSTILE_TITLE))
    articles.append(art(201, ref("topic", "الوساطة"), date=dt.date(2024, 3, 1), draft=True))
    return articles


@cache
def files() -> dict[str, str]:
    return {f.path: f.content for f in render_tag_pages(corpus(), taxonomy())}


def article_links(content: str) -> list[str]:
    """The articles a page links to, as paths under docs/ (pages sit at different depths)."""
    return [t[t.index("articles/") :] for t in _LINK.findall(content) if "articles/" in t]


def test_paths_are_under_tags_and_every_file_is_marked_generated() -> None:
    assert INDEX_PATH in files()
    for path, content in files().items():
        assert path.startswith("tags/")
        if path.endswith("/feed.xml"):  # each tag's feed (tests/publish/test_tag_feeds.py)
            assert content.startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed ')
            continue
        assert path.endswith(".md")
        assert GENERATED_MARK in content.splitlines()[1]
        assert content.startswith("---\n")


def test_one_page_per_tag_with_its_type_directory() -> None:
    assert "tags/country/قطر.md" in files()
    assert "tags/person/أنتوني-بلينكن.md" in files()
    assert "tags/organization/الأمم-المتحدة.md" in files()
    assert "tags/place/الدوحة.md" in files()


def test_drafts_are_left_out() -> None:
    assert not any("الوساطة" in path for path in files())


def test_long_lists_keep_the_newest_50_on_the_tag_page_and_older_pages_numbered_from_the_oldest() -> None:
    pages = sorted(p for p in files() if p.startswith("tags/country/قطر") and p.endswith(".md"))
    assert pages == ["tags/country/قطر.md", "tags/country/قطر/1.md", "tags/country/قطر/2.md"]
    counts = {p: len(article_links(files()[p])) for p in pages}
    assert counts == {"tags/country/قطر.md": 50, "tags/country/قطر/1.md": 50, "tags/country/قطر/2.md": 50}
    # Page 1 holds the oldest 50 (the undated ones first), page 2 the next 50; the
    # tag page the newest 50, of which 30 are also on page 2.
    on = {p: set(article_links(files()[p])) for p in pages}
    assert not on["tags/country/قطر/1.md"] & on["tags/country/قطر/2.md"]
    assert len(on["tags/country/قطر.md"] & on["tags/country/قطر/2.md"]) == 30
    assert len(set().union(*on.values())) == 120
    # Links: the tag page to its older pages; each older page to newer, newest and older ones.
    assert "(قطر/2.md)" in files()["tags/country/قطر.md"] and "(قطر/1.md)" in files()["tags/country/قطر.md"]
    assert f"[→ إحاطات أحدث]({UP}tags/country/قطر.md)" in files()["tags/country/قطر/2.md"]
    assert "[إحاطات أقدم ←](1.md)" in files()["tags/country/قطر/2.md"]
    assert "[→ إحاطات أحدث](2.md)" in files()["tags/country/قطر/1.md"]
    assert f"({UP}tags/country/قطر.md)" in files()["tags/country/قطر/1.md"]
    assert "أقدم ←" not in files()["tags/country/قطر/1.md"]


def test_older_pages_have_an_arabic_title_and_date_span_but_no_count() -> None:
    page = files()["tags/country/قطر/2.md"]
    assert "title: قطر (الصفحة 2)\n" in page and "# قطر (الصفحة 2)\n" in page
    assert "الصفحات مرقّمة من الأقدم" in page
    assert re.search(r"إحاطات من \d+ \S+ \d{4} إلى \d+ \S+ \d{4}", page)
    assert "120" not in page and "الصفحة 2 من" not in page
    assert "<svg" not in page and "وسوم تظهر معه" not in page


def _pages_after_adding(extra: list[Article]) -> dict[str, str]:
    return {f.path: f.content for f in render_tag_pages([*corpus(), *extra], taxonomy())}


def test_a_newer_briefing_leaves_every_older_page_byte_identical() -> None:
    before = files()
    newer = art(300, QATAR, FRANCE, BLINKEN, date=dt.date(2025, 1, 1), title="إحاطة أحدث")
    after = _pages_after_adding([newer])
    assert set(after) == set(before)
    changed = {p for p in before if before[p] != after[p]}
    # The tags the new briefing names (their own pages and feeds), the tags index
    # and the lists of their types (their counts); nothing else.
    assert changed == {
        "tags/country/قطر.md",
        "tags/country/قطر/feed.xml",
        "tags/country/فرنسا.md",
        "tags/country/فرنسا/feed.xml",
        "tags/person/أنتوني-بلينكن.md",
        "tags/person/أنتوني-بلينكن/feed.xml",
        INDEX_PATH,
        type_index_path("country"),
        type_index_path("person"),
    }
    assert "إحاطة أحدث" in after["tags/country/قطر.md"]


def test_a_completed_block_adds_one_page_and_one_link_to_it() -> None:
    # 120 briefings on قطر: 30 more make 150 (the tag page still shows all of page 3),
    # the 31st publishes page 3; page 2 gains a link to it, its list unchanged.
    extra = [art(400 + i, QATAR, date=dt.date(2025, 1, 1) + dt.timedelta(days=i)) for i in range(31)]
    at_150 = _pages_after_adding(extra[:30])
    at_151 = _pages_after_adding(extra)
    assert "tags/country/قطر/3.md" not in at_150
    assert "tags/country/قطر/3.md" in at_151
    assert at_150["tags/country/قطر/1.md"] == at_151["tags/country/قطر/1.md"] == files()["tags/country/قطر/1.md"]
    assert at_150["tags/country/قطر/2.md"] == files()["tags/country/قطر/2.md"]
    assert at_151["tags/country/قطر/2.md"] != at_150["tags/country/قطر/2.md"]
    assert article_links(at_151["tags/country/قطر/2.md"]) == article_links(at_150["tags/country/قطر/2.md"])
    assert "[→ إحاطات أحدث](3.md)" in at_151["tags/country/قطر/2.md"]
    # Page 3 holds exactly what the tag page showed at 150.
    assert set(article_links(at_151["tags/country/قطر/3.md"])) == set(article_links(at_150["tags/country/قطر.md"]))


def test_the_tag_page_links_a_bounded_number_of_older_pages() -> None:
    many = [art(i, QATAR, date=dt.date(2000, 1, 1) + dt.timedelta(days=i)) for i in range(50 * 25 + 1)]
    out = {f.path: f.content for f in render_tag_pages(many, taxonomy())}
    assert sum(p.startswith("tags/country/قطر/") for p in out) == 25 + 1  # and its feed
    pager = out["tags/country/قطر.md"].split('<nav class="pager" markdown>', 1)[1].split("</nav>", 1)[0]
    assert "(قطر/25.md)" in pager and "(قطر/1.md)" in pager and "(قطر/10.md)" not in pager and "…" in pager
    # Every numbered page is reachable from the tag page through "older" links.
    page, seen = "tags/country/قطر.md", set()
    while match := re.search(r"\[إحاطات أقدم ←\]\(([^)]+)\)", out[page]):
        page = posixpath.normpath(posixpath.join(posixpath.dirname(page), match.group(1)))
        seen.add(page)
    assert len(seen) == 25


def test_a_tag_named_with_a_number_never_takes_an_older_page_of_another() -> None:
    """«كوفيد 19» (a free-form tag) beside «كوفيد» with 20 older pages: both
    publish all their pages (older pages live in the tag's own folder)."""
    covid, covid19 = EntityRef("topic", "كوفيد", "كوفيد"), EntityRef("topic", "كوفيد-19", "كوفيد 19")
    many = [art(i, covid, date=dt.date(2000, 1, 1) + dt.timedelta(days=i)) for i in range(50 * 21)]
    out = [f.path for f in render_tag_pages([*many, art(5000, covid19, date=dt.date(2024, 1, 1))], taxonomy())]
    assert len(out) == len(set(out))
    assert "tags/topic/كوفيد-19.md" in out and "tags/topic/كوفيد/19.md" in out


def test_a_tag_page_shows_name_type_count_years_chart_and_related_tags() -> None:
    page = files()["tags/country/قطر.md"]
    assert "# قطر\n" in page
    assert "دولة" in page and "120 إحاطة" in page
    assert '<figure class="timeline"><svg' in page and 'role="img"' in page
    years = re.findall(r"^### (\S+)$", page, flags=re.MULTILINE)
    assert years == sorted(years, reverse=True)  # newest first; 50 articles fit in 2023 and 2022 here
    related = page.split("## وسوم تظهر معه كثيرًا", 1)[1]
    assert related.index("فرنسا") < related.index("أنتوني بلينكن")  # 60 together before 40
    assert "(فرنسا.md)" in related and "(../../tags/person/أنتوني-بلينكن.md)" in related


def test_undated_articles_come_last_on_the_oldest_page() -> None:
    oldest = files()["tags/country/قطر/1.md"]
    assert oldest.count("### بلا تاريخ") == 1
    assert oldest.index("### بلا تاريخ") > oldest.index("### 2019")
    assert "بلا تاريخ" not in files()["tags/country/قطر.md"]


def test_a_place_page_links_the_country_it_implies() -> None:
    assert "[قطر](../../tags/country/قطر.md)" in files()["tags/place/الدوحة.md"]


def test_the_index_shows_the_most_mentioned_by_type_and_links_each_type_list() -> None:
    index = files()[INDEX_PATH]
    assert "## الأكثر ذكرًا" in index
    assert "- [قطر](country/قطر.md) (120)" in index
    headings = re.findall(r"^## (\S+)", index, flags=re.MULTILINE)
    assert headings == ["الأكثر", "الشخصيات", "المنظمات", "الدول", "الأماكن"]
    section = index.split("## الدول", 1)[1].split("##", 1)[0]
    names = re.findall(r"^- \[([^\]]+)\]", section, flags=re.MULTILINE)
    assert names[0] == "قطر"  # 120 briefings, then فرنسا (60)
    assert names.index("قطر") < names.index("فرنسا") < names.index("الأردن")
    assert "[كل الدول، مرتبة أبجديًا ←](country.md)" in section


def test_a_type_list_is_in_arabic_order_with_counts() -> None:
    page = files()[type_index_path("country")]
    names = re.findall(r"^- \[([^\]]+)\]", page, flags=re.MULTILINE)
    assert names == sorted(names, key=sort_key)
    assert names.index("الأردن") < names.index("أفغانستان") < names.index("فرنسا") < names.index("قطر")
    assert "- [قطر](country/قطر.md) (120)" in page
    assert "pager" not in page, "one page: no pager"


def test_the_index_and_type_lists_stay_bounded_as_tags_grow() -> None:
    """Free-form front-matter tags are topics without limit: the index shows a
    fixed number per type, and each type's list is paginated."""
    topics = [EntityRef("topic", f"موضوع-{n:04d}", f"موضوع {n:04d}") for n in range(2 * TYPE_PAGE_SIZE + 1)]
    many = [art(1000 + n, topic, date=dt.date(2024, 1, 1)) for n, topic in enumerate(topics)]
    out = {f.path: f.content for f in render_tag_pages(many, taxonomy())}
    index = out[INDEX_PATH].split("## الموضوعات", 1)[1]
    assert len(re.findall(r"^- \[", index, flags=re.MULTILINE)) == MOST_MENTIONED_PER_TYPE
    pages = [type_index_path("topic", n) for n in (1, 2, 3)]
    assert [p for p in out if p.startswith("tags/topic") and "/" not in p[len("tags/") :]] == pages
    listed = [re.findall(r"^- \[([^\]]+)\]", out[p], flags=re.MULTILINE) for p in pages]
    assert [len(names) for names in listed] == [TYPE_PAGE_SIZE, TYPE_PAGE_SIZE, 1]
    assert [name for names in listed for name in names] == [t.name for t in topics]
    # Each page names every page by its first and last tag, itself in bold.
    pager = out[pages[1]].split('<nav class="pager" markdown>', 1)[1].split("</nav>", 1)[0]
    assert "[موضوع 0000 – موضوع 0199](topic.md)" in pager
    assert "**موضوع 0200 – موضوع 0399**" in pager
    assert "[موضوع 0400 – موضوع 0400](topic-3.md)" in pager


def test_every_relative_link_reaches_a_page() -> None:
    existing = set(files()) | {a.page_path for a in corpus()}
    for path, content in files().items():
        if not path.endswith(".md"):
            continue  # the feeds' links are URLs, checked in tests/publish/test_tag_feeds.py
        for target in _LINK.findall(content):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert resolved in existing, (path, target)


def test_untrusted_titles_render_as_text() -> None:
    page = files()["tags/country/الأردن.md"]
    html = markdown.markdown(page.split("---\n", 2)[2], extensions=["attr_list", "md_in_html", "toc", "tables"])
    soup = BeautifulSoup(html, "html.parser")
    link = next(a for a in soup.find_all("a") if "articles/" in a["href"])
    assert link.get_text() == HOSTILE_TITLE
    assert link["href"] == "../../articles/a-200.md"
    assert soup.find("b") is None and soup.find("em") is None and soup.find("del") is None


def test_the_output_is_deterministic() -> None:
    again = render_tag_pages(list(reversed(corpus())), taxonomy())
    assert {f.path: f.content for f in again} == files()


def test_free_topics_outside_the_taxonomy_get_pages() -> None:
    free = EntityRef("topic", "زراعة-مائية", "زراعة مائية")
    out = render_tag_pages([art(1, free, date=dt.date(2024, 1, 1))], taxonomy())
    assert any(f.path == "tags/topic/زراعة-مائية.md" for f in out)


def _write(root: Path, generated: list[GeneratedFile], articles: list[Article]) -> None:
    for article in articles:
        target = root / "docs" / article.page_path
        target.parent.mkdir(parents=True, exist_ok=True)
        body = link_first_mentions(article, lambda e: f"../tags/{e.type}/{e.slug}.md")
        target.write_text(f"# {article.slug}\n\n{body}\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text("# الرئيسية\n\n[الوسوم](tags/index.md)\n", encoding="utf-8")
    for file in generated:
        target = root / "docs" / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.content, encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: اختبار\nstrict: true\nuse_directory_urls: true\n"
        "theme: {name: material, language: ar, direction: rtl, font: false}\n"
        "nav: [index.md]\n"
        "markdown_extensions: [attr_list, md_in_html, admonition, tables, toc]\n",
        encoding="utf-8",
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None, reason="mkdocs missing")
def test_the_generated_pages_build_in_strict_mode(tmp_path: Path) -> None:
    mentioning = Article(
        source_path="m.md",
        slug="m",
        title="زيارة",
        body="## قطر\n\nزار الوفد الدوحة ثم قطر.",
        summary="",
        date=dt.date(2024, 5, 1),
    )
    mentioning, _ = tag_article(mentioning, taxonomy())
    articles = [*corpus(), mentioning]
    _write(tmp_path, render_tag_pages(articles, taxonomy()), articles)
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [mkdocs, "build", "--strict", "-q"], cwd=tmp_path, capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "site" / "tags" / "country" / "الأردن" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    hrefs = [a["href"] for a in soup.select("article a[href]")]
    assert "../../../articles/a-200/" in hrefs
    assert soup.select_one("figure.timeline svg[role=img]") is not None
    # First mentions in an article body link to the tag pages, never from the heading.
    article = BeautifulSoup(
        (tmp_path / "site" / "articles" / "m" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    mentions = {a.get_text(): unquote(a["href"]) for a in article.select("article a.tag-mention")}
    assert mentions == {"الدوحة": "../../tags/place/الدوحة/", "قطر": "../../tags/country/قطر/"}
    assert article.select("h2 a.tag-mention") == []


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sets(st.integers(0, 11), max_size=6), max_size=40), st.integers(1, 50))
def test_cooccurrence_counts_are_exact_with_or_without_bit_sets(articles: list[set[int]], dense: int) -> None:
    keys_of = [sorted(keys) for keys in articles]
    expected: list[Counter[int]] = [Counter() for _ in range(12)]
    for keys in keys_of:
        for a in keys:
            expected[a].update(b for b in keys if b != a)
    assert cooccurrence(keys_of, 12, dense=dense) == expected


def test_the_pages_can_be_streamed_in_the_same_order() -> None:
    assert [(f.path, f.content) for f in iter_tag_pages(corpus(), taxonomy())] == [
        (f.path, f.content) for f in render_tag_pages(corpus(), taxonomy())
    ]
