"""The fault campaign's ingest cases (issue 16), the slow and concurrent ones: two
real ingests racing into one folder, hostile HTML at full size, a large page, and
2,000 records of one template through the near-duplicate check (make faults)."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.ingest import duplicates
from builder.ingest.duplicates import MAX_CHECKS, find_duplicates
from tests.ingest.test_reliability import body, feed, template_records

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[2]
HANG = 300  # seconds: far above the real times, only so that a hang fails instead of blocking CI


def ingest(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "builder", "ingest", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=HANG)
    return process.returncode, out, err


def wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    give_up = time.monotonic() + HANG
    while not path.exists():
        assert process.poll() is None, f"the paused ingest ended before planning was done: {process.communicate()}"
        assert time.monotonic() < give_up, f"{path} never appeared"
        time.sleep(0.02)


@pytest.mark.parametrize("urls", [True, False])
def test_two_ingests_racing_into_one_folder_lose_no_story(tmp_path: Path, urls: bool) -> None:
    count = 300
    first = feed(tmp_path / "a", "first", count, urls)
    second = feed(tmp_path / "b", "second", count, urls)
    into = tmp_path / "source"
    gate = tmp_path / "gate"
    gate.mkdir()
    # The first ingest plans (every name free), then waits. A second ingest into the same folder is refused
    # by the lock; so the second feed is ingested elsewhere and its files dropped into the folder (as any
    # other writer could) before the first one writes: its write-time check alone must keep them.
    planned = gate / "planned"
    paused = ingest(
        str(first), "--into", str(into), env={"ARCHIVE_PAUSE_AT": "ingest-planned", "ARCHIVE_PAUSE_FILE": str(planned)}
    )
    wait_for(planned, paused)
    code, out, err = finish(ingest(str(second), "--into", str(into)))
    assert code == 75 and "another build, generate, bundle or ingest" in err
    elsewhere = tmp_path / "elsewhere"
    code, out, err = finish(ingest(str(second), "--into", str(elsewhere)))
    assert (code, err) == (0, "") and f"{count} written" in out
    shutil.copytree(elsewhere, into, dirs_exist_ok=True)
    planned.unlink()  # the paused ingest goes on to write
    code, out, err = finish(paused)
    assert err == ""
    stories = sorted(path.read_text(encoding="utf-8").split("---\n", 2)[2].strip() for path in into.rglob("*.md"))
    if urls:  # different articles under shared titles: the first feed takes the next free names
        assert code == 0 and f"{count} written" in out
        assert stories == sorted(body(f"{name}-{n}") for name in ("first", "second") for n in range(count))
    else:  # the title is the identity: the same articles, differing, are conflicts and never overwritten
        assert code == 1 and f"{count} rejected ({count} conflicts)" in out
        assert stories == sorted(body(f"second-{n}") for n in range(count))
    assert not [p for p in into.rglob(".*")]  # no temporary file left behind


def page(inner: str) -> str:
    return f"<html><head><title>عنوان الخبر</title></head><body>{inner}</body></html>"


def test_hostile_html_is_skipped_or_read_never_hangs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "deep.html").write_text(page("<div>" * 100_000 + "<p>نص</p>" + "</div>" * 100_000), encoding="utf-8")
    # Under the bounds but hostile: 400 chains 500 deep, and 40,000 sibling boilerplate blocks.
    chain = '<div class="share">' * 500 + "<p>نص الخبر في فقرة.</p>" + "</div>" * 500
    (folder / "chains.html").write_text(page(chain * 240), encoding="utf-8")
    quotes = "<blockquote>" * 500 + "نص" + "</blockquote>" * 500
    (folder / "quotes.html").write_text(page(quotes * 240), encoding="utf-8")
    blocks = "".join(f'<div class="related"><p>فقرة {n}</p><a href="#">رابط</a></div>' for n in range(40_000))
    (folder / "wide.html").write_text(page(f"<article><p>{body('wide', 80)}</p></article>{blocks}"), encoding="utf-8")
    (folder / "many.html").write_text(page("<i>x</i>" * 200_000), encoding="utf-8")
    code, out, err = finish(ingest(str(folder), "--into", str(tmp_path / "source"), "-v"))
    assert err == "" and code == 1
    assert f"{folder / 'deep.html'}: rejected (skipped: the HTML nests elements 100,003 deep" in out
    assert f"{folder / 'many.html'}: rejected (skipped: the HTML holds 400,008 tags" in out
    assert f"{folder / 'chains.html'}: rejected (no body text" in out  # every block is a share widget
    for name in ("quotes", "wide"):
        assert f"{folder / name}.html: written" in out
    assert "Traceback" not in out


def test_a_page_over_the_build_limit_is_reported_not_written(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    rng = random.Random(3)
    paragraphs = "".join(f"<p>{body(str(rng.random()), 120)}</p>" for _ in range(5_500))
    (folder / "huge.html").write_text(page(f"<article>{paragraphs}</article>"), encoding="utf-8")
    into = tmp_path / "source"
    code, out, _err = finish(ingest(str(folder), "--into", str(into)))
    assert code == 1
    assert "huge.html: rejected (too large for the build: the source file is " in out
    assert "MB; articles are limited to 5 MB)" in out
    assert not list(into.rglob("*.md"))


def test_near_duplicates_of_2000_template_records_are_near_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    records, copies = template_records(2000)
    calls = 0
    exact = duplicates.jaccard

    def counted(a: frozenset[int], b: frozenset[int]) -> float:
        nonlocal calls
        calls += 1
        return exact(a, b)

    monkeypatch.setattr(duplicates, "jaccard", counted)
    found = find_duplicates(records)
    assert {index: match.original for index, match in found.items()} == copies
    assert calls <= len(records) * MAX_CHECKS  # all pairs would be ~1.8 million


def test_a_2000_record_template_feed_ingests(tmp_path: Path) -> None:
    records, copies = template_records(2000)
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [json.dumps({"title": f"خبر رقم {n}", "body": text}, ensure_ascii=False) for n, text in enumerate(records)]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = finish(ingest(str(folder), "--into", str(tmp_path / "source")))
    assert (code, err) == (0, "")
    assert f"{len(records) - len(copies)} written, {len(copies)} duplicate" in out
