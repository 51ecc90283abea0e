"""No single input stops the archive (issue 16, point 4): fast regressions at
small sizes that still triggered each old failure. Full sizes, a real FIFO and
a whole site build are in tests/faults/test_hostile_faults.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.cli import main
from builder.feeds import publication_files
from builder.model import Article, RawArticle, Severity
from builder.modeling import MAX_TAGS, model_article, plain_summary
from builder.pipeline import discover
from builder.readers import read_markdown
from builder.safety import MAX_NESTING, bound_markdown, neutralize_markdown
from builder.search.index import plain_text, strip_emphasis

from conftest import REPO, build_args, make_site_project

sys.path.insert(0, str(REPO / "bench"))
from hostile_bench import hostile_inputs

EXTENSIONS = ["attr_list", "md_in_html", "admonition", "tables", "toc"]


def body_of(markdown_body: str) -> str:
    article, problems = model_article(read_markdown("---\ntitle: عنوان\n---\n\n" + markdown_body + "\n", "x.md"))
    assert article is not None, problems
    return article.body


@pytest.mark.parametrize(
    "body",
    [
        "*" * 3000 + "نص" + "*" * 3000,
        "_" * 3000 + "نص" + "_" * 3000,
        "*أ " * 1000 + "نص" + " أ*" * 1000,
        "- " * 2000 + "نص",
        "1. " * 2000 + "نص",
    ],
    ids=["stars", "underscores", "starred-words", "list-chain", "ordered-chain"],
)
def test_nesting_that_overflowed_python_markdown_renders(body: str) -> None:
    html = markdown.markdown(body_of(body), extensions=EXTENSIONS)  # RecursionError before
    assert "نص" in html


def test_block_marker_chains_stop_nesting_at_the_bound() -> None:
    html = markdown.markdown(body_of("> " * 100 + "نص"), extensions=EXTENSIONS)
    assert html.count("<blockquote>") == MAX_NESTING


@pytest.mark.parametrize("body", ["[" * 3000, "![" * 3000, "[نص](https://a.org/ " * 2000, "&amp;" * 5000])
def test_pathological_brackets_and_references_are_bounded(body: str) -> None:
    bounded = body_of(body)
    # Unmatched brackets are escaped (Python-Markdown scanned to the end from each),
    # and no paragraph keeps more than about a thousand markup characters.
    for paragraph in bounded.split("\n\n"):
        assert sum(paragraph.count(c) for c in "&\\`*_[]") <= 1100
    assert "[" not in bounded.replace("\\[", "")


@settings(max_examples=300)
@given(st.text(alphabet="*_[]()!&\\`> -1.\nنa", max_size=60))
def test_bounding_leaves_ordinary_text_alone_and_is_idempotent(text: str) -> None:
    once = bound_markdown(text)
    assert bound_markdown(once) == once
    if len(text) < 16:  # too short to nest 16 deep or to be dense
        assert once == text


@settings(max_examples=2000)
@given(st.text(alphabet="*_ a\n\tب", max_size=50))
def test_emphasis_stripping_matches_the_old_pattern(text: str) -> None:
    import re

    old = re.compile(r"(\*\*|__|\*)(?=\S)(.+?)(?<=\S)\1")
    assert strip_emphasis(text) == old.sub(r"\2", text)


@pytest.mark.parametrize(
    "text",
    [
        "نص [رابط](https://a.org/x_(y)) و![صورة](https://a.org/i.png) **قوي** و*مائل*.",
        '[أ](b) [ج](<d> "e") ![](f) [g]',
    ],
)
def test_search_and_summary_regexes_keep_their_meaning(text: str) -> None:
    import re

    link = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # the old, quadratic patterns
    markup = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`#]+|^>\s*|\\(?=.)")
    emphasis = re.compile(r"(\*\*|__|\*)(?=\S)(.+?)(?<=\S)\1")
    assert plain_text(text) == " ".join(emphasis.sub(r"\2", link.sub(r"\1", text)).split())
    assert plain_summary(text) == markup.sub(lambda m: m.group(1) or "", text).strip()
    assert "[صورة: صورة](https://a.org/i.png)" in neutralize_markdown("![صورة](https://a.org/i.png)")


def article(date: dt.date, slug: str = "a") -> Article:
    return Article(source_path=f"{slug}.md", slug=slug, title="ع", body="نص.", summary="نص.", date=date)


@pytest.mark.parametrize("day", [dt.date(2107, 1, 1), dt.date(9999, 12, 31), dt.date(1900, 1, 1), dt.date(1, 1, 1)])
def test_sitemap_gzip_stamp_is_clamped(day: dt.date) -> None:
    files = publication_files([article(day)], [], site_url=None, title="t")  # ValueError/OverflowError before
    stamp = int.from_bytes(files["sitemap.xml.gz"][4:8], "little")
    assert stamp in (0, 2**32 - 1)


def test_a_time_that_overflows_in_utc_is_rejected_and_a_far_date_warned() -> None:
    raw = RawArticle("x.md", {"title": "ع", "date": "9999-12-31T23:00:00-05:00"}, "نص.", 3)
    found, problems = model_article(raw)
    assert found is None and "UTC" in problems[0].message
    far, problems = model_article(RawArticle("y.md", {"title": "ع", "date": "2107-01-01"}, "نص.", 3))
    assert far is not None and [p.severity for p in problems] == [Severity.WARNING]
    old, problems = model_article(RawArticle("z.md", {"title": "ع", "date": "1900-01-01"}, "نص.", 3))
    assert old is not None and not problems


def test_tags_are_capped_with_a_warning() -> None:
    raw = RawArticle("x.md", {"title": "ع", "tags": [f"و{i}" for i in range(MAX_TAGS * 3)]}, "نص.", 3)
    found, problems = model_article(raw)
    assert found is not None and len(found.tags) == MAX_TAGS
    assert any(p.severity is Severity.WARNING and "tags" in p.message for p in problems)


@pytest.mark.parametrize("title", ["\u064e\u064f\u0650", "\u0651 \u0652", "\u0640\u0640"])
def test_a_title_of_only_diacritics_is_rejected(title: str) -> None:
    found, problems = model_article(RawArticle("x.md", {"title": title}, "نص.", 3))
    assert found is None and "diacritics" in problems[0].message


def test_odd_files_are_refused_by_discovery(tmp_path: Path) -> None:
    (tmp_path / "ok.md").write_text("---\ntitle: ع\n---\n\nنص.\n", encoding="utf-8")
    (tmp_path / "loop.md").symlink_to("loop.md")  # RuntimeError before
    (tmp_path / "a.md").symlink_to("b.md")
    (tmp_path / "b.md").symlink_to("a.md")
    os.mkfifo(tmp_path / "fifo.md")
    (tmp_path / os.fsdecode(b"\xc7\xe1\xda.md")).write_bytes(b"---\ntitle: x\n---\n\nx\n")
    files, _, rejections = discover(tmp_path)
    assert [f.relative for f in files] == ["ok.md"]
    reasons = {r.source_path: r.reason for r in rejections}
    assert set(reasons) == {"a.md", "b.md", "loop.md", "fifo.md", "\\xc7\\xe1\\xda.md"}
    assert "loops" in reasons["loop.md"] and "FIFO" in reasons["fifo.md"] and "UTF-8" in reasons["\\xc7\\xe1\\xda.md"]
    json.dumps(reasons, ensure_ascii=False).encode("utf-8")  # the report can hold every name


def test_check_and_build_reject_the_same_hostile_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_site_project(tmp_path / "project")
    source = project["source"]
    source.mkdir()
    for name, data in hostile_inputs(scale=0.02).items():
        (source / name).write_bytes(data)
    (source / "loop.md").symlink_to("loop.md")
    (source / os.fsdecode(b"\xe3\xcf.md")).write_bytes(b"x")
    capsys.readouterr()
    main(build_args(project, "check"))
    checked = {line.split(":")[0] for line in capsys.readouterr().err.splitlines() if ": error: " in line}
    assert main(build_args(project, "generate")) == 1
    report = json.loads(project["report"].read_text(encoding="utf-8"))
    generated = {entry["file"] for entry in report["rejected"]}
    assert checked == generated
    assert {"date-overflow.md", "title-diacritics.md", "loop.md", "\\xe3\\xcf.md"} <= generated
    counts = report["counts"]
    assert report["inputs"] == sum(counts[k] for k in ("pages", "duplicates", "withheld", "ignored", "rejected"))
