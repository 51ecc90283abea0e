"""Shared helpers of the search tests: fixture articles, index folders, the JS engine."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.model import Article, GeneratedFile

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "search"
ASSETS = REPO / "docs" / "assets" / "search"
QUERY_CLI = REPO / "tests" / "js" / "query_cli.js"
SHARED = REPO / ".." / "shared"


def node() -> str:
    path = shutil.which("node")
    if path is None:
        pytest.skip("node is not installed: the JS side of the search cannot be run")
    return path


def load_articles(name: str) -> list[Article]:
    """Articles of ``tests/fixtures/search/<name>.yml`` (a list of mappings)."""
    records: list[dict[str, Any]] = yaml.safe_load((FIXTURES / f"{name}.yml").read_text(encoding="utf-8"))
    articles = []
    for i, record in enumerate(records):
        date = record.get("date")
        articles.append(
            Article(
                source_path=f"{name}/{i}.md",
                slug=record["slug"],
                title=record["title"],
                body=record.get("body", ""),
                summary=record.get("summary", ""),
                date=date if isinstance(date, dt.date) else None,
                source=record.get("source"),
                tags=tuple(record.get("tags", ())),
                draft=bool(record.get("draft", False)),
            )
        )
    return articles


def write_files(files: Sequence[GeneratedFile], docs_dir: Path) -> None:
    for file in files:
        path = docs_dir / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(file.content, encoding="utf-8")


def run_queries(docs_dir: Path, queries: Sequence[str | dict[str, Any]]) -> list[dict[str, Any]]:
    """Run the browser engine (docs/assets/search/engine.js) in node."""
    result = subprocess.run(
        [node(), str(QUERY_CLI), str(docs_dir)],
        input=json.dumps(list(queries)),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    answers: list[dict[str, Any]] = json.loads(result.stdout)
    return answers
