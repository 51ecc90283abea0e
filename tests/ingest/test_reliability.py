"""The fault campaign's ingest cases (issue 16), the fast ones: writes re-checked at
write time, the build's size limit, the --into folder never read, hostile HTML
skipped with a reason, and a bounded near-duplicate check."""

from __future__ import annotations

import argparse
import json
import random
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from builder.errors import BuilderError, SourceError
from builder.ingest import cli, duplicates, run
from builder.ingest.duplicates import MAX_CHECKS, find_duplicates
from builder.ingest.run import ingest, read_bytes, run_ingest
from builder.limits import MAX_FILE_BYTES, size_problem
from builder.readers import decode, read_file
from builder.slugs import MAX_SLUG_LENGTH, slugify

WORDS = [
    "الحكومة",
    "الوزير",
    "المجلس",
    "الاقتصاد",
    "الشركة",
    "السوق",
    "المدينة",
    "الطريق",
    "المشروع",
    "التعليم",
    "الصحة",
    "الماء",
]


def body(seed: str, words: int = 60) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randrange(1000)) for _ in range(words)) + "."


def feed(folder: Path, name: str, count: int, urls: bool = True, title: str = "خبر عاجل رقم") -> Path:
    """A JSON Lines feed whose titles every feed shares, bodies (and URLs) its own."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for number in range(count):
        record = {"title": f"{title} {number}", "body": body(f"{name}-{number}"), "date": "2024-03-05"}
        if urls:
            record["url"] = f"https://{name}.example/{number}"
        lines.append(json.dumps(record, ensure_ascii=False))
    path = folder / f"{name}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def race(monkeypatch: pytest.MonkeyPatch, other: Path, into: Path) -> list[object]:
    """Run a whole ingest of ``other`` between the next ingest's planning and its writing."""
    original = run.plan
    done: list[object] = []

    def plan_then_race(*args: object, **kwargs: object) -> object:
        decided = original(*args, **kwargs)  # type: ignore[arg-type]
        if not done:
            done.append(None)
            done[0] = run_ingest([other], into).outcomes
        return decided

    monkeypatch.setattr(run, "plan", plan_then_race)
    return done


def bodies_on_disk(into: Path) -> list[str]:
    return sorted(path.read_text(encoding="utf-8").split("---\n", 2)[2].strip() for path in into.rglob("*.md"))


def test_a_name_taken_between_planning_and_writing_is_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = feed(tmp_path / "a", "first", 6), feed(tmp_path / "b", "second", 6)
    into = tmp_path / "source"
    raced = race(monkeypatch, second, into)
    outcomes = ingest([first], into)
    assert raced and [o.status for o in raced[0]] == ["written"] * 6  # type: ignore[attr-defined]
    assert [o.status for o in outcomes] == ["written"] * 6
    # Every story of both feeds is on disk: the first feed took the next free names.
    expected = sorted(body(f"{name}-{n}") for name in ("first", "second") for n in range(6))
    assert bodies_on_disk(into) == expected
    assert all((o.output or "").endswith("-2.md") for o in outcomes)
    for outcome in outcomes:  # each file holds its own story
        number = int(outcome.origin.rsplit("#", 1)[1]) - 1
        assert body(f"first-{number}") in Path(outcome.output or "").read_text(encoding="utf-8")
    assert not list(into.rglob(".*"))  # no temporary file left behind


def test_the_next_free_name_at_write_time_survives_the_builds_slug_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    title = "وزارة الخارجية تعلن نتائج المحادثات الطويلة مع الوفود المشاركة في القمة الإقليمية السنوية حول الأمن"
    into = tmp_path / "source"
    race(monkeypatch, feed(tmp_path / "b", "second", 2, title=title), into)
    outcomes = ingest([feed(tmp_path / "a", "first", 2, title=title)], into)
    assert [o.status for o in outcomes] == ["written"] * 2
    slugs = [Path(o.output or "").stem for o in outcomes]
    assert all(len(slug) <= MAX_SLUG_LENGTH and slugify(slug) == slug for slug in slugs)  # kept as written
    addresses = [slugify(path.stem) for path in into.rglob("*.md")]
    assert len(addresses) == 4 and len(set(addresses)) == 4


def test_the_same_article_written_meanwhile_is_unchanged_or_a_conflict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    into = tmp_path / "source"
    same = feed(tmp_path / "a", "same", 3)
    copy = tmp_path / "b" / "same.jsonl"
    copy.parent.mkdir()
    copy.write_bytes(same.read_bytes())
    race(monkeypatch, copy, into)
    assert [o.status for o in ingest([same], into)] == ["unchanged"] * 3
    assert len(list(into.rglob("*.md"))) == 3

    # No URLs: the title is the identity, so the other feed's file is the same article, edited.
    into = tmp_path / "other-source"
    monkeypatch.undo()
    race(monkeypatch, feed(tmp_path / "d", "second", 3, urls=False), into)
    outcomes = ingest([feed(tmp_path / "c", "first", 3, urls=False)], into)
    assert [o.status for o in outcomes] == ["rejected"] * 3
    assert all("not overwritten" in (o.reason or "") for o in outcomes)
    assert bodies_on_disk(into) == sorted(body(f"second-{n}") for n in range(3))


def test_size_limit_is_the_builds_and_says_one_decimal(tmp_path: Path) -> None:
    size = int(5.7 * 1024 * 1024)
    assert size_problem(size) == "file is 5.7 MB; articles are limited to 5 MB"
    assert size_problem(MAX_FILE_BYTES) is None
    assert "5.1 MB" in (size_problem(MAX_FILE_BYTES + 1) or "")  # rounded up: never "5.0 MB" over the limit
    with pytest.raises(SourceError, match=r"file is 5\.7 MB; articles are limited to 5 MB"):
        decode(b"a" * size, "huge.md")


def test_ingest_never_writes_what_the_build_refuses_for_size(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    paragraph = body("big", 200)
    huge = "\n\n".join([paragraph] * (MAX_FILE_BYTES // len(paragraph.encode("utf-8")) + 10))
    records = [{"title": "خبر ضخم جدا", "body": huge}, {"title": "خبر عادي", "body": body("small")}]
    (folder / "feed.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    into = tmp_path / "source"
    big, small = ingest([folder], into)
    assert big.status == "rejected" and big.output is None
    assert (big.reason or "").startswith("too large for the build: the source file is 5.")
    assert "articles are limited to 5 MB" in (big.reason or "")
    assert small.status == "written"
    for path in into.rglob("*.md"):  # everything written, the build reads
        read_file(path, path.relative_to(into).as_posix())


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="builder")
    cli.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


@pytest.mark.parametrize("where", ["same", "inside", "holding"])
def test_ingest_refuses_to_read_the_folder_it_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    source = tmp_path / "source"
    feed(source / "2024", "old", 2)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    path, into = {
        "same": (source, source),
        "inside": (source / "2024", source),
        "holding": (tmp_path, source),
    }[where]
    assert cli.run(parse(["ingest", str(path), "--into", str(into)])) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert "never reads the folder it writes into" in captured.err and str(path) in captured.err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    with pytest.raises(BuilderError, match="never reads the folder it writes into"):
        run_ingest([path], into)


def nested(depth: int, tag: str = "div") -> str:
    return (
        "<html><head><title>عنوان الخبر</title></head><body>"
        + f"<{tag}>" * depth
        + "<p>نص الخبر في فقرة.</p>"
        + f"</{tag}>" * depth
        + "</body></html>"
    )


def test_deeply_nested_html_is_skipped_with_the_reason() -> None:
    (item,) = read_bytes(nested(3000).encode(), "deep.html", "deep", ".html")
    assert item.reason == "skipped: the HTML nests elements 3,003 deep; pages are limited to 512"  # type: ignore[union-attr]
    (fine,) = read_bytes(nested(400, "blockquote").encode(), "fine.html", "fine", ".html")
    assert fine.body == "نص الخبر في فقرة."  # type: ignore[union-attr]


def test_one_deep_html_record_rejects_that_record_only() -> None:
    records = [
        {"title": "خبر أول", "body": "<div>" * 3000 + "<p>نص</p>" + "</div>" * 3000},
        {"title": "خبر ثان", "body": "<p>نص سليم</p>"},
    ]
    deep, fine = read_bytes(json.dumps(records).encode(), "feed.json", "feed", ".json")
    assert deep.origin == "feed.json#1" and "nests elements" in deep.reason  # type: ignore[union-attr]
    assert fine.body == "نص سليم"  # type: ignore[union-attr]


def template_records(count: int, seed: int = 7) -> tuple[list[str], dict[int, int]]:
    """``count`` records of one template, each ~0.85 similar to every other (so nearly every
    pair shares an LSH bucket, and none is a duplicate), plus true near-duplicates."""
    rng = random.Random(seed)
    base = [f"{rng.choice(WORDS)}{rng.randrange(100)}" for _ in range(300)]
    records: list[str] = []
    copies: dict[int, int] = {}
    for number in range(count):
        if number % 10 == 9:  # a re-scrape of an earlier record: one word changed
            original = rng.randrange(number - 9, number)
            while original in copies:
                original -= 1
            words = records[original].split()
            words[150] = "مختلفة"
            copies[number] = original
            records.append(" ".join(words))
            continue
        words = list(base)
        for position in range(0, len(words), 40):
            words[position] = f"فريدة{number}x{position}"
        records.append(" ".join(words))
    return records, copies


def test_near_duplicates_compare_a_bounded_number_of_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    records, copies = template_records(300)
    calls = 0
    exact = duplicates.jaccard

    def counted(a: frozenset[int], b: frozenset[int]) -> float:
        nonlocal calls
        calls += 1
        return exact(a, b)

    monkeypatch.setattr(duplicates, "jaccard", counted)
    found = find_duplicates(records)
    assert {index: match.original for index, match in found.items()} == copies
    assert calls <= len(records) * MAX_CHECKS  # all pairs would be ~40,000


def test_an_item_over_its_time_bound_is_skipped_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    feed(folder, "feed", 2)
    (folder / "page.html").write_text(nested(10), encoding="utf-8")
    monkeypatch.setattr(run, "ITEM_SECONDS", 0.2)
    monkeypatch.setattr(run, "SECONDS_PER_MB", 0.0)
    slow = {"feed.jsonl#2", "page.html"}  # one record cleaned for ever, one page read for ever

    def stall() -> None:
        while True:
            time.sleep(0.01)

    original_prepare, original_read = run.prepare, run.read_bytes

    def prepare(candidate: Any) -> Any:
        if candidate.origin.endswith("feed.jsonl#2"):
            stall()
        return original_prepare(candidate)

    def read_bytes(data: bytes, origin: str, *args: Any) -> Any:
        if origin.endswith("page.html"):
            stall()
        return original_read(data, origin, *args)

    monkeypatch.setattr(run, "prepare", prepare)
    monkeypatch.setattr(run, "read_bytes", read_bytes)
    outcomes = {Path(o.origin).name: o for o in ingest([folder], tmp_path / "source")}
    assert outcomes["feed.jsonl#1"].status == "written"
    for name in slow:
        assert outcomes[name].status == "rejected"
        assert "took longer than the bound of 0.2 s" in (outcomes[name].reason or "")
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None, signal.default_int_handler)


def test_a_folder_that_cannot_be_written_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(target: Path, text: str) -> None:
        raise PermissionError(13, "Permission denied", str(target.parent))

    monkeypatch.setattr(run, "_create_exclusive", refuse)
    into = tmp_path / "source"
    assert cli.run(parse(["ingest", str(feed(tmp_path / "in", "feed", 1)), "--into", str(into)])) == 1
    err = capsys.readouterr().err
    assert err == f"ingest: cannot write {into}/2024/03: Permission denied; check the --into folder\n"
