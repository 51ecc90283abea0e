"""The index files: format, determinism, and ranking through the JS engine."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.search import build_search_files, codec, index
from builder.search.analyzer import analyze
from builder.search.index import plain_text

from .helpers import ASSETS, load_articles, node, run_queries, write_files

_CALL = re.compile(r'^(?:/\*.*?\*/\n)?__arSearchData\(("[^"]*"),("[^"]*"),(.*)\);\n$', re.S)


def _data(content: str) -> tuple[str, str, Any]:
    match = _CALL.match(content)
    assert match, content[:200]
    return json.loads(match.group(1)), json.loads(match.group(2)), json.loads(match.group(3))


@pytest.fixture(scope="module")
def ranking_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = tmp_path_factory.mktemp("ranking")
    write_files(build_search_files(load_articles("ranking")), docs)
    return docs


@pytest.fixture(scope="module")
def filters_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = tmp_path_factory.mktemp("filters")
    write_files(build_search_files(load_articles("filters")), docs)
    return docs


def test_same_articles_give_identical_files() -> None:
    articles = load_articles("ranking")
    first = build_search_files(articles, base_note="generated")
    again = build_search_files(list(reversed(articles)), base_note="generated")
    assert first == again


def test_every_path_is_under_search_and_every_file_is_a_script() -> None:
    files = build_search_files(load_articles("filters"), base_note="do not edit */ here")
    assert files[0].path == "search/manifest.js"
    for file in files:
        assert file.path.startswith("search/") and file.path.endswith(".js")
        assert file.content.startswith("/* do not edit * / here */\n")
        _data(file.content)


def test_every_term_sits_in_the_shard_its_hash_names() -> None:
    files = {f.path: f for f in build_search_files(load_articles("filters"))}
    manifest = _data(files["search/manifest.js"].content)[2]
    assert isinstance(manifest, dict)
    for path, file in files.items():
        kind, _name, data = _data(file.content)
        if kind in ("shards", "positions"):
            count = manifest[kind]
            assert isinstance(data, dict)
            for term in data:
                assert path == f"search/{kind}/{codec.shard_name(codec.shard_of(term, count), count)}.js"


def test_postings_decode_to_the_documents_holding_the_word() -> None:
    articles = load_articles("filters")
    files = {f.path: f for f in build_search_files(articles)}
    manifest = _data(files["search/manifest.js"].content)[2]
    assert isinstance(manifest, dict)
    term = analyze("غزة")[0].stem
    shard = codec.shard_name(codec.shard_of(term, manifest["shards"]), manifest["shards"])
    entry = _data(files[f"search/shards/{shard}.js"].content)[2][term]
    numbers = codec.decode_varints("".join(ch for i, ch in enumerate(entry[0]) if i % 2 == 0))
    chunks = [_data(f.content)[2] for p, f in sorted(files.items()) if p.startswith("search/docs/")]
    slugs = [record[0] for chunk in chunks for record in chunk]
    ids = [sum(numbers[: i + 1]) for i in range(len(numbers))]
    assert sorted(slugs[i] for i in ids) == ["gaza-2018", "gaza-2019"]


def test_drafts_are_left_out() -> None:
    files = build_search_files(load_articles("filters"))
    assert "draft" not in "".join(f.content for f in files if f.path.startswith("search/docs/"))
    manifest = _data(files[0].content)[2]
    assert isinstance(manifest, dict) and manifest["docs"] == 3


def test_no_articles_give_a_working_empty_index(tmp_path: Path) -> None:
    write_files(build_search_files([]), tmp_path)
    assert run_queries(tmp_path, ["غزة"])[0]["total"] == 0


@settings(max_examples=200)
@given(st.lists(st.integers(min_value=0, max_value=10**9), max_size=30))
def test_varints_round_trip(numbers: list[int]) -> None:
    assert codec.decode_varints("".join(codec.varint(n) for n in numbers)) == numbers


def test_plain_text_drops_markdown_syntax() -> None:
    assert plain_text("## عنوان\n\nنص [رابط](https://x.y) و**مهم**.") == "عنوان نص رابط ومهم."


def _answer(docs: Path, query: str) -> dict[str, Any]:
    return run_queries(docs, [query])[0]


def test_title_match_ranks_above_body_match(ranking_dir: Path) -> None:
    assert _answer(ranking_dir, "محطة")["slugs"][:2] == ["title-hit", "body-hit"]


def test_documents_with_all_words_come_first(ranking_dir: Path) -> None:
    answer = _answer(ranking_dir, "الكهرباء النهر")
    assert answer["slugs"][0] == "body-hit"
    assert answer["matched"][0] == 2


def test_exact_spelling_ranks_above_stem_only(ranking_dir: Path) -> None:
    slugs = _answer(ranking_dir, "تقريرها")["slugs"]
    assert slugs.index("exact-form") < slugs.index("stem-form")


def test_recency_breaks_ties(ranking_dir: Path) -> None:
    assert _answer(ranking_dir, "المرفأ")["slugs"] == ["tie-new", "tie-old"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("وسم:السودان", ["sudan-2019"]),
        ('وسم:"قطاع غزة"', ["gaza-2019", "gaza-2018"]),
        ("tag:قطاع_غزة", ["gaza-2019", "gaza-2018"]),
        ("سنة:٢٠١٨", ["gaza-2018"]),
        ("year:2018-2019", ["sudan-2019", "gaza-2019", "gaza-2018"]),
        ("قطاع سنة:2019", ["sudan-2019", "gaza-2019"]),
        ('مصدر:"بي بي سي" قطاع', ["sudan-2019", "gaza-2019"]),
        ('"قطاع غزة"', ["gaza-2018", "gaza-2019"]),  # gaza-2019: in its tag
        ("«قطاع الزراعة»", ["sudan-2019"]),
        ('"غزة قطاع"', []),
        ("وسم:غير_موجود", []),
    ],
)
def test_filters_and_phrases(filters_dir: Path, query: str, expected: list[str]) -> None:
    assert sorted(_answer(filters_dir, query)["slugs"]) == sorted(expected)


def test_filter_only_queries_list_newest_first(filters_dir: Path) -> None:
    assert _answer(filters_dir, "year:2018-2019")["slugs"] == ["sudan-2019", "gaza-2019", "gaza-2018"]


def test_snippets_mark_other_spellings(filters_dir: Path) -> None:
    answer = _answer(filters_dir, "الانسانيه")
    assert answer["slugs"] == ["gaza-2018"]
    assert answer["snippets"][0] == ["الإنسانية"]


@settings(max_examples=200)
@given(st.sets(st.integers(min_value=0, max_value=300)), st.integers(min_value=0, max_value=50))
def test_document_sets_round_trip_as_gaps_or_bitmaps(ids: set[int], extra: int) -> None:
    count = max(ids, default=-1) + 1 + extra
    encoded = codec.members(sorted(ids), count)
    assert codec.decode_members(encoded) == sorted(ids)


def test_a_dense_set_is_a_bitmap() -> None:
    assert codec.members(list(range(0, 600, 2)), 600).startswith("~")
    assert not codec.members([5, 500], 600).startswith("~")


def test_frequent_terms_keep_every_match(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # With one scored posting a term, the other documents must still
    # be found (and count for "all words first") through the document set.
    monkeypatch.setattr(index, "HOT_POSTINGS", 1)
    articles = load_articles("ranking")
    files = build_search_files(articles)
    assert any(
        len(entry) == 4
        for f in files
        if f.path.startswith("search/shards/")
        for entry in _data(f.content)[2].values()
        if isinstance(entry, list)
    )
    write_files(files, tmp_path)
    answer = _answer(tmp_path, "سفينة المرفأ")
    assert sorted(answer["slugs"]) == ["tie-new", "tie-old"]
    assert answer["matched"] == [2, 2]
    everywhere = _answer(tmp_path, "المدينة")
    assert sorted(everywhere["slugs"]) == ["body-hit", "title-hit"]


@settings(max_examples=10, deadline=None)
@given(st.lists(st.text(alphabet="ابتجحدرسعفقكلمنهوي0129aé#@^ ", min_size=1, max_size=12), min_size=5, max_size=30))
def test_python_and_js_route_terms_to_the_same_shard(terms: list[str]) -> None:
    script = (
        "const e = require(process.argv[1]);"
        "const terms = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(terms.map(t => [e.fnv1a(t), e.shardOf(t, 4096), e.shardOf(t, 1)])));"
    )
    result = subprocess.run(
        [node(), "-e", script, str(ASSETS / "engine.js")],
        input=json.dumps(terms),
        capture_output=True,
        text=True,
        check=True,
    )
    expected = [
        [codec.fnv1a(t), codec.shard_name(codec.shard_of(t, 4096), 4096), codec.shard_name(codec.shard_of(t, 1), 1)]
        for t in terms
    ]
    assert json.loads(result.stdout) == expected
