"""Each input format, from one small fixture file per scenario."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from builder.ingest.jsonrecords import MappingError, load_mapping, parse_mapping
from builder.ingest.records import Outcome
from builder.ingest.run import ingest

from .conftest import FIXTURES

Inputs = Callable[..., Path]


def front_matter(path: str) -> tuple[dict[str, object], str]:
    text = Path(path).read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    return yaml.safe_load(header), body.strip()


def by_origin(outcomes: list[Outcome]) -> dict[str, Outcome]:
    return {
        Path(o.origin.split("#")[0]).name + ("#" + o.origin.split("#")[1] if "#" in o.origin else ""): o
        for o in outcomes
    }


def test_html_page_with_json_ld(inputs: Inputs, tmp_path: Path) -> None:
    outcomes = ingest([inputs("html-jsonld.html")], tmp_path / "source")
    (outcome,) = outcomes
    assert outcome.status == "written"
    assert outcome.output is not None and "/2024/02/" in outcome.output
    meta, body = front_matter(outcome.output)
    assert meta["title"] == "محادثات السلام تستأنف في جنيف"  # site name suffix removed
    assert meta["date"] == dt.datetime(2024, 2, 15, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert meta["url"] == "https://news.example/ar/peace-talks"
    assert meta["author"] == "سارة أحمد"
    assert meta["source"] == "موقع الأخبار"
    assert "إيجابية" in body  # numeric character references decoded
    for junk in ("الرئيسية", "شارك", "طباعة", "الأكثر قراءة", "خبر آخر", "أضف تعليقا", "اسمك", "جميع الحقوق", "©"):
        assert junk not in body
    assert body.count("استؤنفت اليوم") == 1
    assert "محادثات السلام تستأنف في جنيف" not in body  # the h1 is the title, not body


def test_json_array_with_mapping_file(inputs: Inputs, tmp_path: Path) -> None:
    folder = inputs("json-array-mapped.json")
    mapping = load_mapping(FIXTURES / "json-array-mapping.json")
    outcomes = by_origin(ingest([folder / "json-array-mapped.json"], tmp_path / "source", mapping))
    first, second, third = (outcomes[f"json-array-mapped.json#{n}"] for n in (1, 2, 3))
    assert first.status == "written" and first.output
    meta, body = front_matter(first.output)
    assert meta["title"] == "وزير الخارجية يلتقي نظيره العماني في مسقط"
    assert meta["author"] == "محمد علي"
    assert meta["source"] == "وكالة الأنباء"
    assert meta["tags"] == ["عمان", "دبلوماسية"]
    assert meta["date"] == dt.datetime(2024, 3, 5, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=4)))
    assert body.split("\n\n")[1].startswith("وأكد الجانبان")
    assert second.status == "written" and second.output and "/2024/03/" in second.output
    _, body2 = front_matter(second.output)
    assert "<p>" not in body2 and "ويشارك في المعرض" in body2  # an HTML body is reduced to text
    assert third.status == "rejected" and third.reason and "no title" in third.reason


def test_json_lines_with_a_broken_line(inputs: Inputs, tmp_path: Path) -> None:
    outcomes = by_origin(ingest([inputs("json-lines.jsonl")], tmp_path / "source"))
    assert outcomes["json-lines.jsonl#1"].status == "written"
    assert outcomes["json-lines.jsonl#2"].status == "rejected"
    assert "line 2" in (outcomes["json-lines.jsonl#2"].reason or "")
    epoch = outcomes["json-lines.jsonl#4"]
    assert epoch.status == "written" and epoch.output and "/2018/02/" in epoch.output


@pytest.mark.parametrize(
    ("data", "message"),
    [([], "JSON object"), ({"titel": "x"}, "unknown field"), ({"title": 3}, "must map to a key")],
)
def test_bad_mapping_is_a_usage_error(data: object, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        parse_mapping(data, "mapping.json")


def test_trec_malformed_is_read_tolerantly(inputs: Inputs, tmp_path: Path) -> None:
    (outcome,) = ingest([inputs("trec-malformed.txt")], tmp_path / "source")
    assert outcome.status == "written" and outcome.output
    meta, body = front_matter(outcome.output)
    assert meta["title"] == "البرلمان يصادق على قانون المالية الجديد"  # unclosed <TITLE>
    assert meta["date"] == dt.date(2017, 2, 1)
    assert str(meta["url"]).startswith("http://example.com/ar/article?id=7&utm_source=rss")
    assert "&amp;" in body  # a raw & kept as text, escaped for Markdown
    assert "القانون" in body


def test_trec_file_with_two_docs(inputs: Inputs, tmp_path: Path) -> None:
    outcomes = by_origin(ingest([inputs("trec-two-docs.xml")], tmp_path / "source"))
    first, second = outcomes["trec-two-docs.xml#1"], outcomes["trec-two-docs.xml#2"]
    assert first.status == "written" and first.output
    meta, _ = front_matter(first.output)
    assert meta["date"] == dt.datetime(2017, 1, 22, 17, 18)
    assert meta["tags"] == ["وطنية"]  # the category, by its Arabic name
    assert second.status == "rejected" and "no title" in (second.reason or "")


def test_plain_text_dateline(inputs: Inputs, tmp_path: Path) -> None:
    (outcome,) = ingest([inputs("plain-dateline.txt")], tmp_path / "source")
    assert outcome.output is not None and "/2014/07/" in outcome.output
    meta, _ = front_matter(outcome.output)
    assert meta["title"] == "انطلاق مهرجان قرطاج الدولي"


def test_markdown_keeps_front_matter_and_markup(inputs: Inputs, tmp_path: Path) -> None:
    (outcome,) = ingest([inputs("markdown-front-matter.md")], tmp_path / "source")
    assert outcome.status == "written" and outcome.output and "/2023/04/" in outcome.output
    meta, body = front_matter(outcome.output)
    assert meta["tags"] == ["اقتصاد", "السعودية"] and meta["source"] == "الشرق"
    assert "**وزراء**" in body


ENCODED = [
    "encoding-utf8-bom.txt",
    "encoding-utf16le-bom.txt",
    "encoding-utf16be-bom.txt",
    "encoding-utf16le-nobom.txt",
    "encoding-cp1256.txt",
    "encoding-iso8859-6.txt",
    "encoding-utf8-mixed-crlf.txt",
]


@pytest.mark.parametrize("name", ENCODED)
def test_encodings_are_detected_and_written_as_utf8(name: str, inputs: Inputs, tmp_path: Path) -> None:
    (outcome,) = ingest([inputs(name)], tmp_path / "source")
    assert outcome.status == "written" and outcome.output
    raw = Path(outcome.output).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    meta, body = front_matter(outcome.output)
    assert meta["title"] == "اجتماع مجلس الوزراء"
    assert body.split("\n\n") == [
        "عقد مجلس الوزراء اجتماعه الأسبوعي برئاسة رئيس الحكومة وناقش مشروع الميزانية.",
        "وقرر المجلس إحالة المشروع إلى البرلمان.",
    ]
