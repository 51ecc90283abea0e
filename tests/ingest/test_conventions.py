"""Wire conventions across an ingest batch: desks, datelines, trailers,
continuations and the boilerplate each source teaches (``builder.ingest.conventions``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from builder.dateparse import ParsedDate
from builder.ingest import cli
from builder.ingest.conventions import apply_conventions, drop_learned, read_wire
from builder.ingest.records import Candidate, Item, Outcome, Rejected
from builder.ingest.report import as_json, summary_line
from builder.ingest.run import find_inputs, read_input
from builder.pipeline import collect
from builder.wire import default_outlets

from .conftest import corpus
from .test_run import parse

OUTLETS = default_outlets()
SPA_BODY = "\n".join(
    (
        "صنعاء 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس",
        "أعلن التحالف اليوم عن وصول شحنة مساعدات إنسانية.",
        "// انتهى //",
        "13:53 ت م",
    )
)
SHARE = "شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك"
CONTACT = "للتواصل مع الكاتب ارسل رسالة SMS إلى الرقم 88548"
STORIES = (
    "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار خفض الإنتاج الذي أعلنته الدول المنتجة أمس.",
    "افتتح أمير المنطقة مشروعا جديدا للإسكان يضم ألف وحدة سكنية للأسر المستحقة.",
    "فاز المنتخب الوطني على نظيره بثلاثة أهداف مقابل هدف في المباراة الودية.",
    "أقرت الحكومة الميزانية العامة للعام المقبل بزيادة في الإنفاق على التعليم والصحة.",
    "أعلنت هيئة الأرصاد عن موجة حر تضرب المناطق الشرقية خلال الأيام المقبلة.",
)


def item(n: int, title: str, body: str, **fields: object) -> Candidate:
    return Candidate(f"feed.jsonl#{n}", title, body, **fields)  # type: ignore[arg-type]


def day(text: str) -> ParsedDate:
    return ParsedDate(dt.date.fromisoformat(text))


def test_desk_prefix_becomes_a_topic_tag_and_leaves_the_title() -> None:
    read, title = read_wire(item(1, "سياسي / التحالف يعلن وصول شحنة مساعدات", SPA_BODY), OUTLETS)
    assert read.title == "التحالف يعلن وصول شحنة مساعدات"
    assert read.tags == ("سياسي",)
    assert title.desk == "سياسي"


def test_dateline_gives_date_source_and_leaves_the_body_with_the_trailers() -> None:
    read, _ = read_wire(item(1, "عام / خبر", SPA_BODY), OUTLETS)
    assert read.dateline == "صنعاء 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس"
    assert read.date is not None and read.date.date == dt.date(2015, 8, 10)
    assert read.source == OUTLETS.display("واس") != "واس"  # the display name, not the code
    assert read.body == "أعلن التحالف اليوم عن وصول شحنة مساعدات إنسانية."
    assert read.warnings == ()


def test_a_given_date_and_source_win_and_a_far_dateline_date_is_reported() -> None:
    given = item(1, "خبر", SPA_BODY, date=day("2015-08-20"), source="الرياض")
    read, _ = read_wire(given, OUTLETS)
    assert read.date == given.date and read.source == "الرياض"
    assert len(read.warnings) == 1 and "differ by more than a day" in read.warnings[0]
    near, _ = read_wire(item(1, "خبر", SPA_BODY, date=day("2015-08-11")), OUTLETS)
    assert near.warnings == ()  # a day apart: a sighted Hijri month, not a disagreement


def test_markdown_bodies_are_the_editors_and_are_left_alone() -> None:
    read, _ = read_wire(item(1, "خبر", SPA_BODY.replace("\n", "\n\n"), markdown=True), OUTLETS)
    assert read.dateline is None and "انتهى" in read.body


def test_continuation_joins_its_story_in_order_and_leaves_the_report_a_line() -> None:
    base = item(1, "سياسي / مجلس الوزراء يقر الميزانية", "الرياض - واس\nأقر مجلس الوزراء الميزانية.")
    second = item(3, "سياسي / مجلس الوزراء يقر الميزانية / إضافة ثانية واخيرة", "وشملت الميزانية الصحة.")
    first = item(2, "سياسي / مجلس الوزراء يقر الميزانية / إضافة أولى", "وتضمنت الميزانية التعليم.")
    applied = apply_conventions([base, second, first], OUTLETS)
    (story,) = applied.items
    assert isinstance(story, Candidate)
    assert story.body.split("\n\n") == [
        "أقر مجلس الوزراء الميزانية.",
        "وتضمنت الميزانية التعليم.",
        "وشملت الميزانية الصحة.",
    ]
    assert [o.status for o in applied.joined] == ["joined", "joined"]
    assert summary_line([Outcome("a", "written"), *applied.joined]).endswith(
        "1 written, 0 duplicate, 2 joined, 0 unchanged, 0 rejected"
    )


def test_continuation_without_its_story_is_kept_with_a_note() -> None:
    lone = item(1, "اقتصادي / ارتفاع الصادرات غير النفطية / إضافة أولى", "وبلغت الصادرات مستوى قياسيا.")
    other_day = item(2, "اقتصادي / ارتفاع الصادرات غير النفطية", "نص.", date=day("2015-08-01"))
    late = item(3, "اقتصادي / ارتفاع الصادرات غير النفطية / إضافة ثانية", "نص آخر.", date=day("2015-08-05"))
    applied = apply_conventions([lone, other_day, late], OUTLETS)
    notes = {c.origin: (c.title, c.note) for c in applied.items if isinstance(c, Candidate)}
    assert notes["feed.jsonl#1"] == ("ارتفاع الصادرات غير النفطية", "إضافة أولى")
    assert notes["feed.jsonl#3"][1] == "إضافة ثانية"  # four days from its story: not joined
    assert applied.joined == []


def test_summary_names_joined_only_when_something_joined() -> None:
    assert "joined" not in summary_line([Outcome("a", "written")])


def feed(extra: dict[int, list[str]] | None = None) -> list[Candidate]:
    """Five stories of one outlet, each opening with its share bar and closing with its contact line."""
    items = []
    for n, story in enumerate(STORIES):
        middle = [story, f"وقال المسؤول رقم {n} إن العمل مستمر في {story.split()[1]}.", *(extra or {}).get(n, [])]
        items.append(
            item(
                n,
                f"خبر {n}",
                "\n\n".join([SHARE, *middle, CONTACT.replace("88548", str(88548 + n))]),
                source="عين اليوم",
            )
        )
    return items


def test_recurring_edge_lines_are_learned_per_source_and_dropped() -> None:
    kept, report = drop_learned(feed())
    for candidate, story in zip(kept, STORIES, strict=True):
        assert candidate.body.split("\n\n")[0] == story and len(candidate.body.split("\n\n")) == 2
    lines = {entry["line"]: entry["dropped"] for entry in report}
    assert lines == {SHARE: 5, CONTACT: 5}  # numbers folded: five contact lines are one
    assert {entry["source"] for entry in report} == {"عين اليوم"}


def test_lines_an_author_repeats_are_kept() -> None:
    subheading = "تفاصيل الخبر"
    sentence = "وقالت عين اليوم في تقريرها إن الأرقام تتغير يوميا."
    extra = {
        n: [
            subheading,
            f"ويتابع المراسل {n} التطورات في {STORIES[n].split()[2]}.",
            f"وينتظر سكان {STORIES[n].split()[3]} النتائج.",
        ]
        for n in range(5)
    }
    extra[0] = [sentence, "ويتابع المراسل التطورات.", "وينتظر الجميع النتائج."]
    kept, _ = drop_learned(feed(extra))
    for candidate in kept:
        paragraphs = candidate.body.split("\n\n")
        assert SHARE not in paragraphs and paragraphs[-1].startswith("وينتظر")
    assert sentence in kept[0].body  # the outlet's name inside a sentence is not its share bar
    assert all(subheading in c.body for c in kept[1:])  # a subheading mid-article is never at an edge


def test_one_story_updated_many_times_teaches_nothing() -> None:
    lede = "اندلع حريق في مستودع بالمنطقة الصناعية وهرعت فرق الدفاع المدني إلى الموقع لإخماده ومنع امتداده."
    updates = [item(n, f"حريق {n}", f"{lede}\n\nتحديث رقم {n}.", source="وكالة") for n in range(6)]
    kept, report = drop_learned(updates)
    assert report == [] and all(c.body.startswith(lede) for c in kept)


def test_other_sources_keep_a_line_one_source_taught() -> None:
    other = item(9, "خبر آخر", f"{SHARE}\n\nنص خبر من مصدر آخر يختلف تماما.", source="مصدر آخر")
    kept, _ = drop_learned([*feed(), other])
    assert kept[-1].body.startswith(SHARE)


def test_report_json_lists_the_learned_lines() -> None:
    _, learned = drop_learned(feed())
    document = json.loads(as_json([Outcome("a", "written")], learned))
    assert {e["line"] for e in document["learned_boilerplate"]} == {SHARE, CONTACT}
    assert all(e["stories"] == 5 for e in document["learned_boilerplate"])


def test_rejected_items_pass_through() -> None:
    rejected = Rejected("feed.jsonl#7", "no title")
    applied = apply_conventions([*feed(), rejected], OUTLETS)
    assert rejected in applied.items and len(applied.items) == 6


def ant_items(name: str) -> list[Item]:
    folder = corpus(name)
    return [item for file in find_inputs([folder]) for item in read_input(file)]


def test_ant_multisource_learns_only_the_outlets_furniture() -> None:
    """Real copy: the lines learned are BBC's app plea and Al Arabiya's disclaimer
    (a blind reader judged every dropped line boilerplate: see the README)."""
    applied = apply_conventions(ant_items("ant-multisource"), OUTLETS)
    learned = {(e["source"], e["line"]): e["dropped"] for e in applied.learned}
    assert {source for source, _ in learned} == {"العربية", "بي بي سي عربي"}
    assert all("إشعارات" in line or "رأي كتابها" in line for _, line in learned)
    assert 12 <= sum(learned.values()) <= 20


def test_ant_cnn_datelines_leave_the_body() -> None:
    applied = apply_conventions(ant_items("ant-multisource"), OUTLETS)
    cnn = [c for c in applied.items if isinstance(c, Candidate) and (c.source or "").startswith("سي إن إن")]
    dated = [c for c in cnn if c.dateline]
    assert len(dated) >= 50
    assert all("(CNN)" not in c.body.split("\n\n")[0] for c in dated)


def test_ant_jawhara_learns_nothing_from_a_rare_programme_line() -> None:
    applied = apply_conventions(ant_items("ant-jawharafm"), OUTLETS)
    assert applied.learned == []


def test_a_wire_feed_ingests_and_builds_with_its_conventions_read(
    inputs: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The shapes the issue names, end to end: ingest (CLI, mapping inline) then build."""
    folder = inputs("wire-feed.jsonl")
    into, report = tmp_path / "source", tmp_path / "report.json"
    mapping = '{"title": "headline", "body": "content", "date": "published"}'
    argv = ["ingest", str(folder), "--into", str(into), "--mapping", mapping, "--report", str(report)]
    assert cli.run(parse(argv)) == 0
    out = capsys.readouterr().out
    assert "8 items: 7 written, 0 duplicate, 1 joined, 0 unchanged, 0 rejected" in out
    assert "dropped 8 lines learned as boilerplate" in out
    document = json.loads(report.read_text(encoding="utf-8"))
    assert {e["line"] for e in document["learned_boilerplate"]} == {
        "شارك من خلال تويتر فيسبوك جوجل بلس اكتب تعليقك",
        "للتواصل أرسل sms إلى 88548 الكلمة خبر",
    }
    pages = {
        page["title"]: page
        for page in (yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1]) for p in into.rglob("*.md"))
    }
    council = pages["مجلس الوزراء يقر نظام المنافسة"]
    assert council["date"] == dt.date(2015, 8, 10) and council["tags"] == ["سياسي"]
    assert council["source"] == "وكالة الأنباء السعودية"
    assert council["dateline"] == "الرياض 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس"
    assert pages["الصادرات غير النفطية ترتفع"]["note"] == "إضافة ثانية واخيرة"
    assert pages["ارتفاع أسعار الذهب في السوق المحلية"]["source"] == "عين اليوم"
    assert pages["محادثات جديدة بشأن الاتفاق النووي"]["dateline"] == "لندن - د. ب. أ"
    collected = collect(into, jobs=1, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert collected.rejections == () and len(collected.articles) == 7
    bodies = {a.title: a.body for a in collected.articles}
    assert bodies["مجلس الوزراء يقر نظام المنافسة"].split("\n\n") == [
        "أقر مجلس الوزراء في جلسته اليوم نظام المنافسة الجديد.",
        "وقرر المجلس كذلك الموافقة على اتفاقية للتعاون الثقافي.",
    ]
    assert (
        bodies["محادثات جديدة بشأن الاتفاق النووي"]
        == "قال دبلوماسيون اليوم إن المحادثات ستستأنف الأسبوع المقبل في فيينا."
    )
    gold = bodies["ارتفاع أسعار الذهب في السوق المحلية"]
    assert "شارك" not in gold and "sms" not in gold and "جدة" not in gold
