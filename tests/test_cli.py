"""The command line: exit codes, messages, help, and what each command writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from builder.cli import main

from conftest import FIXTURES, REPO, build_args, make_site_project

BAD = FIXTURES / "bad_input"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "builder", *args], cwd=REPO, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("command", ["build", "generate", "check"])
def test_help(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "--source" in result.stdout


def test_ingest_is_a_subcommand() -> None:
    result = run_cli("ingest", "--help")
    assert result.returncode == 0
    assert "--into" in result.stdout


def test_usage_errors_exit_2() -> None:
    assert run_cli().returncode == 2
    assert run_cli("publish-everything").returncode == 2
    result = run_cli("check", "--source", "no/such/folder")
    assert result.returncode == 2
    assert "source folder not found: no/such/folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_errors_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nextra:\n  archive:\n    colour: red\n    strict_tags: maybe\n", encoding="utf-8")
    project = make_site_project(tmp_path / "p", BAD)
    code = main([*build_args(project, "generate"), "--config", str(config)])
    assert code == 2


def test_bad_input_is_named_and_the_rest_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_site_project(tmp_path, BAD)
    code = main(build_args(project))
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert "empty.md: rejected: file is empty" in err
    assert "not_utf8.md:2: rejected: file is not valid UTF-8" in err
    assert "no_title.md" in err and "no title" in err
    assert "same_slug_a.md: rejected: address articles/same-slug/ is also claimed by same_slug_b.md" in err
    assert "same_slug_b.md: rejected: address articles/same-slug/ is also claimed by same_slug_a.md" in err
    assert (project["site"] / "articles" / "good" / "index.html").is_file()

    report = json.loads(project["report"].read_text(encoding="utf-8"))
    assert report["inputs"] == 6
    assert report["counts"]["pages"] == 1 and report["counts"]["rejected"] == 5
    assert {r["file"] for r in report["rejected"]} == {
        "empty.md",
        "not_utf8.md",
        "no_title.md",
        "same_slug_a.md",
        "same_slug_b.md",
    }


def test_check_writes_nothing_and_lists_every_problem(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "a.md").write_text("---\ntitle: ع\ncolour: x\n---\n\nنص.\n", encoding="utf-8")
    (source / "b.md").write_text("---\ntitle: ع\ndate: yesterday\n---\n\nنص.\n", encoding="utf-8")
    result = run_cli("check", "--source", str(source))
    assert result.returncode == 1
    assert "a.md:3: error: unknown key 'colour'" in result.stderr
    assert "b.md:3: error: 'date' is not an ISO 8601 date" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source"]


def test_unknown_key_is_only_a_warning_in_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.md").write_text("---\ntitle: ع\ncolour: x\n---\n\nنص.\n", encoding="utf-8")
    project = make_site_project(tmp_path / "p", source)
    assert main(build_args(project, "generate")) == 0
    assert main([*build_args(project, "generate"), "--strict"]) == 1


def test_quiet_prints_nothing_on_success(tmp_path: Path) -> None:
    project = make_site_project(tmp_path, FIXTURES / "golden" / "undated_and_dated" / "source")
    result = run_cli(*build_args(project, "generate"))
    assert result.returncode == 0
    assert result.stdout == ""
