"""bench/search_bench.py: the query set and the bytes-per-query numbers
(the browser half runs in `python bench/search_bench.py`, not here)."""

from __future__ import annotations

import sys
from pathlib import Path

from builder.search import build_search_files

from .helpers import REPO, load_articles, node, write_files

sys.path.insert(0, str(REPO / "bench"))
import search_bench  # bench/ is not a package


def test_queries_are_deterministic_and_include_phrases(tmp_path: Path) -> None:
    for i in range(40):
        title = f"وزير الخارجية يبحث مع نظيره ملف المياه رقم {i}"
        (tmp_path / f"{i:02d}.md").write_text(f'---\ntitle: "{title}"\n---\n\nنص.\n', encoding="utf-8")
    queries = search_bench.benchmark_queries(tmp_path, 20)
    assert queries == search_bench.benchmark_queries(tmp_path, 20)
    assert len(queries) == 20
    phrases = [q for q in queries if q.startswith('"')]
    assert len(phrases) == 20 // search_bench.PHRASE_EVERY
    assert all(len(q.strip('"').split()) == 2 for q in phrases)


def test_measure_reports_bytes_per_query(tmp_path: Path) -> None:
    node()
    write_files(build_search_files(load_articles("filters")), tmp_path)
    notes: list[str] = []
    numbers = search_bench.measure(tmp_path, ["غزة", '"قطاع غزة"', "السودان"], browser=False, notes=notes)
    assert numbers["search_queries"] == 3
    assert 0 < numbers["search_bytes_per_query"] <= numbers["search_bytes_per_query_p95"]
    assert numbers["search_phrase_bytes_per_query"] > 0
    assert "search_keystroke_ms" not in numbers and notes == []
