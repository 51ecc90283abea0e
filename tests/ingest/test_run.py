"""Duplicates, re-runs, conflicts, the report and the command line."""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.ingest import cli
from builder.ingest.duplicates import find_duplicates
from builder.ingest.run import ingest

from .conftest import FIXTURES

Inputs = Callable[..., Path]
DUPLICATES = ("duplicate-original.txt", "duplicate-cross-posted.txt", "duplicate-rescraped-footer.txt")


def statuses(outcomes: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {Path(o.origin).name: o.status for o in outcomes}


def test_exact_and_near_duplicates_are_kept_once(inputs: Inputs, tmp_path: Path) -> None:
    folder = inputs(*DUPLICATES, "near-but-distinct.txt")
    outcomes = {Path(o.origin).name: o for o in ingest([folder], tmp_path / "source")}
    # Sorted path order: cross-posted < original < rescraped: the first is kept.
    assert outcomes["duplicate-cross-posted.txt"].status == "written"
    assert outcomes["duplicate-original.txt"].status == "duplicate"
    assert outcomes["duplicate-original.txt"].reason == f"duplicate of {folder / 'duplicate-cross-posted.txt'}"
    near = outcomes["duplicate-rescraped-footer.txt"]
    assert near.status == "duplicate" and "duplicate-cross-posted.txt" in (near.reason or "")
    assert outcomes["near-but-distinct.txt"].status == "written"


def test_duplicate_choice_does_not_depend_on_argument_order(inputs: Inputs, tmp_path: Path) -> None:
    folder = inputs(*DUPLICATES)
    files = [folder / name for name in DUPLICATES]
    first = ingest(files, tmp_path / "a")
    second = ingest(list(reversed(files)), tmp_path / "b")
    assert [(o.origin, o.status, o.reason) for o in first] == [(o.origin, o.status, o.reason) for o in second]


def test_find_duplicates_threshold() -> None:
    base = " ".join(f"كلمة{i}" for i in range(200))
    close = base + " ذيل مختلف"  # one extra shingle pair: similarity far above 0.9
    far = " ".join(f"كلمة{i}" for i in range(120)) + " " + " ".join(f"اخرى{i}" for i in range(80))
    found = find_duplicates([base, close, far])
    assert set(found) == {1}
    assert found[1].original == 0 and 0.9 <= found[1].similarity < 1.0


def test_second_run_changes_nothing(inputs: Inputs, tmp_path: Path) -> None:
    folder = inputs("html-jsonld.html", "trec-two-docs.xml", "json-lines.jsonl", *DUPLICATES)
    into = tmp_path / "source"
    first = ingest([folder], into)
    snapshot = {p: p.read_bytes() for p in into.rglob("*") if p.is_file()}
    second = ingest([folder], into)
    assert {p: p.read_bytes() for p in into.rglob("*") if p.is_file()} == snapshot
    assert [o.status for o in second] == ["unchanged" if o.status == "written" else o.status for o in first]


def test_existing_file_that_differs_is_a_conflict(inputs: Inputs, tmp_path: Path) -> None:
    folder = inputs("plain-dateline.txt")
    into = tmp_path / "source"
    (written,) = ingest([folder], into)
    assert written.output
    target = Path(written.output)
    edited = target.read_text(encoding="utf-8").replace("بحضور جمهور غفير", "بحضور جمهور كبير")
    target.write_text(edited, encoding="utf-8")
    (again,) = ingest([folder], into)
    assert again.status == "rejected" and (again.reason or "").startswith("conflict:")
    assert target.read_text(encoding="utf-8") == edited  # never overwritten
    assert sorted(p.name for p in into.rglob("*.md")) == [target.name]


def test_different_article_with_the_same_slug_gets_a_suffix(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(FIXTURES / "plain-dateline.txt", folder / "a.txt")
    other = (FIXTURES / "near-but-distinct.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    (folder / "b.txt").write_text("انطلاق مهرجان قرطاج الدولي\nتونس - 3 جويلية 2014\n" + other, encoding="utf-8")
    outcomes = ingest([folder], tmp_path / "source")
    assert [o.status for o in outcomes] == ["written", "written"]
    names = sorted(Path(o.output or "").name for o in outcomes)
    assert names == ["انطلاق-مهرجان-قرطاج-الدولي-2.md", "انطلاق-مهرجان-قرطاج-الدولي.md"]
    assert [o.status for o in ingest([folder], tmp_path / "source")] == ["unchanged", "unchanged"]


def test_documentation_and_binary_files_are_accounted_for(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "PROVENANCE.md").write_text("# where this came from\n", encoding="utf-8")
    (folder / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (folder / "empty.txt").write_bytes(b"")
    outcomes = ingest([folder], tmp_path / "source")
    assert statuses(outcomes) == {"PROVENANCE.md": "rejected", "blob.bin": "rejected", "empty.txt": "rejected"}


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="builder")
    cli.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_cli_report_and_exit_codes(inputs: Inputs, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = inputs("json-lines.jsonl", "plain-dateline.txt")
    report = tmp_path / "report.json"
    args = parse(["ingest", str(folder), "--into", str(tmp_path / "source"), "--report", str(report)])
    assert cli.run(args) == 1  # one JSON line is rejected
    out = capsys.readouterr().out
    assert "ingest: 4 items: 3 written, 0 duplicate, 0 unchanged, 1 rejected" in out
    assert "json-lines.jsonl#2: rejected (line 2 is not valid JSON" in out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"]["written"] == 3 and data["summary"]["rejected"] == 1
    assert {item["status"] for item in data["items"]} == {"written", "rejected"}

    clean = inputs("plain-dateline.txt").parent / "clean"
    clean.mkdir()
    shutil.copyfile(FIXTURES / "plain-dateline.txt", clean / "plain-dateline.txt")
    assert cli.run(parse(["ingest", str(clean), "--into", str(tmp_path / "source"), "-q"])) == 0
    assert capsys.readouterr().out == ""


def test_cli_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(parse(["ingest", str(tmp_path / "missing"), "--into", str(tmp_path / "s")])) == 2
    assert "no such file or folder" in capsys.readouterr().err
    bad = tmp_path / "mapping.json"
    bad.write_text('{"headline": "title"}', encoding="utf-8")
    args = parse(["ingest", str(bad), "--into", str(tmp_path / "s"), "--mapping", str(bad)])
    assert cli.run(args) == 2
    assert "unknown field 'headline'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        parse(["ingest", "--help"])
    assert exit_info.value.code == 0
    assert "--into DIR" in capsys.readouterr().out
