"""Plain ``.txt`` sources are read as wire copy by ``build``: the dateline, the
trailers and the boilerplate their folder teaches, as ``ingest`` reads a feed."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from builder import pipeline
from builder.model import Article
from builder.render import ArticleContext, render_article

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "mkdocs.yml"
SHARE = "أخبار المنطقة الشرقية بين يديك كل صباح مع نشرتنا"
STORIES = (
    "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار خفض الإنتاج الذي أعلنته الدول المنتجة أمس.",
    "افتتح أمير المنطقة مشروعا جديدا للإسكان يضم ألف وحدة سكنية للأسر المستحقة.",
    "فاز المنتخب الوطني على نظيره بثلاثة أهداف مقابل هدف في المباراة الودية.",
    "أقرت الحكومة الميزانية العامة للعام المقبل بزيادة في الإنفاق على التعليم والصحة.",
)


def write(folder: Path, name: str, title: str, *paragraphs: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join([title, *paragraphs]) + "\n", encoding="utf-8")


def prepare(source: Path, cache: Path | None = None) -> pipeline.Prepared:
    return pipeline.prepare(source, CONFIG, jobs=1, cache_dir=cache)


def by_file(prepared: pipeline.Prepared) -> dict[str, Article]:
    return {a.source_path: a for a in prepared.articles}


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    """One folder of an outlet's plain files, each closing with its follow-us line."""
    source = tmp_path / "source"
    for n, story in enumerate(STORIES[:3]):
        write(source / "wire", f"{n}.txt", f"خبر رقم {n}", story, f"وأضاف التقرير أن {story.split()[1]} مستمر.", SHARE)
    write(source / "desk", "x.txt", "خبر من مكتب آخر", STORIES[3], SHARE)
    return source


def test_a_folder_teaches_its_boilerplate_and_only_to_its_own_files(feed: Path) -> None:
    prepared = prepare(feed)
    articles = by_file(prepared)
    assert all(SHARE not in articles[f"wire/{n}.txt"].body for n in range(3))
    assert SHARE in articles["desk/x.txt"].body  # one file of another folder: nothing learned there
    report = json.loads(pipeline.report_for(prepared.collected).to_json())
    assert report["learned_boilerplate"] == [{"folder": "wire", "line": SHARE, "stories": 3}]
    assert "1 line learned as boilerplate" in pipeline.report_for(prepared.collected).summary()


def test_a_new_file_that_teaches_a_line_reaches_cached_files(feed: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (feed / "wire" / "2.txt").unlink()
    first = by_file(prepare(feed, cache))
    assert SHARE in first["wire/0.txt"].body  # two stories are not yet a pattern
    write(feed / "wire", "2.txt", "خبر رقم 2", STORIES[2], SHARE)
    again = by_file(prepare(feed, cache))
    assert SHARE not in again["wire/0.txt"].body
    assert again == by_file(prepare(feed))  # the cached build equals a clean one


def test_a_wire_dateline_gives_date_dateline_source_and_a_place_tag(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write(
        source,
        "spa.txt",
        "التحالف يعلن وصول شحنة مساعدات",
        "الرياض 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس",
        "أعلن التحالف اليوم عن وصول شحنة مساعدات إنسانية إلى الميناء.",
        "// انتهى //",
        "13:53 ت م",
    )
    (article,) = prepare(source).articles
    assert article.dateline == "الرياض 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس"
    assert article.date == dt.date(2015, 8, 10)
    assert article.source and article.source != "واس"  # the outlet's display name
    assert article.body == "أعلن التحالف اليوم عن وصول شحنة مساعدات إنسانية إلى الميناء."
    assert ("place", "الرياض") in {(e.type, e.name) for e in article.entities}


def test_a_dateline_city_no_list_knows_is_still_a_place(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write(source, "a.txt", "افتتاح معرض", "زرقاء اليمامة - واس", "افتتح اليوم معرض للكتاب بمشاركة واسعة.")
    (article,) = prepare(source).articles
    assert ("place", "زرقاء اليمامة") in {(e.type, e.name) for e in article.entities}


def test_a_file_name_date_far_from_the_dateline_is_reported(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write(source, "2015-09-01-x.txt", "خبر", "جدة 10 أغسطس 2015 م واس", "نص الخبر هنا بما يكفي.")
    prepared = prepare(source)
    (article,) = prepared.articles
    assert article.date == dt.date(2015, 9, 1)
    assert any("differ by more than a day" in p.message for p in prepared.collected.problems)


def test_the_sample_source_is_unchanged_by_wire_reading(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(REPO / "source", source)
    prepared = prepare(source)
    assert json.loads(pipeline.report_for(prepared.collected).to_json())["learned_boilerplate"] == []
    assert all(a.dateline is None for a in prepared.articles)


def test_the_page_shows_the_dateline_as_a_dateline_before_the_body(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write(source, "a.txt", "خبر", "لندن - د. ب. أ:", "قال مسؤولون اليوم إن المحادثات ستستأنف الأسبوع المقبل.")
    (article,) = prepare(source).articles
    page = render_article(article, ArticleContext(body=article.body)).content
    dateline = page.index('<p class="article-dateline">لندن - د. ب. أ</p>')
    assert page.index("\n\nقال مسؤولون اليوم", dateline) > dateline  # the body follows it
    assert "description: قال مسؤولون" in page  # the summary is the story's, not the dateline's
    assert "لندن" not in article.body


def test_a_dateline_and_a_note_are_escaped_on_the_page() -> None:
    article = Article("a.md", "a", "خبر", "نص.", "نص.", dateline="<b>الرياض</b>", note="<i>إضافة أولى</i>")
    page = render_article(article, ArticleContext(body="نص.")).content
    assert '<p class="article-dateline">&lt;b&gt;الرياض&lt;/b&gt;</p>' in page
    assert '<p class="article-note">&lt;i&gt;إضافة أولى&lt;/i&gt;</p>' in page
