"""The index files: format, determinism, and ranking through the JS engine."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.model import Article
from builder.search import build_search_files, codec, index
from builder.search.analyzer import analyze
from builder.search.index import SearchRecord, iter_search_files, plain_text, search_record
from builder.search.spool import RecordSpool

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
        kind, name, data = _data(file.content)
        if kind == "positions" and "-" in name:  # a piece of a split term
            assert isinstance(data, str)
            continue
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


def test_exact_spellings_list_their_documents_once_a_second_spelling_appears() -> None:
    texts = ["المفاوضات في الدوحة", "المفاوضات في الدوحة", "مفاوضات جديدة في الدوحة"]  # oldest first
    articles = [
        Article(f"{n}.md", f"s-{n}", "إحاطة", text, "", date=dt.date(2021, 1, 1) + dt.timedelta(days=n))
        for n, text in enumerate(texts)
    ]
    entries: dict[str, Any] = {}
    for file in build_search_files(articles):
        if file.path.startswith("search/shards/"):
            entries.update(_data(file.content)[2])
    # مفاوض: spelled one way in documents 0 and 1, another in 2.
    assert entries["مفاوض"][1] == {"المفاوضات": codec.deltas([0, 1]), "مفاوضات": codec.deltas([2])}
    # الدوحة, spelled one way everywhere: every document of the term.
    assert entries["دوح"][1] == {"الدوحه": ""}


def test_adding_the_newest_briefing_leaves_older_display_data_untouched() -> None:
    words = ["الدوحة", "غزة", "السودان", "المفاوضات", "الهدنة", "المساعدات", "الوزير", "اللاجئين"]

    def briefing(number: int) -> Article:
        text = " ".join(words[(number * k) % len(words)] for k in range(1, 30))
        day = dt.date(2020, 1, 1) + dt.timedelta(days=number)
        return Article(f"{number}.md", f"b-{number:03}", f"إحاطة {words[number % 8]} {number}", text, "", date=day)

    before = {f.path: f.content for f in build_search_files([briefing(n) for n in range(41)])}
    after = {f.path: f.content for f in build_search_files([briefing(n) for n in range(42)])}
    chunks = sorted((p for p in before if p.startswith("search/docs/")), key=lambda p: int(p.split("/")[-1][:-3]))
    assert len(chunks) == 11  # 41 documents, 4 a chunk: the last holds the newest alone
    assert all(after[path] == before[path] for path in chunks[:-1])
    assert after[chunks[-1]] != before[chunks[-1]]
    assert "b-041" in after[chunks[-1]]


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


def test_records_give_the_same_files_as_inline_analysis() -> None:
    articles = load_articles("filters") + load_articles("ranking")
    records = {a.source_path: search_record(a) for a in articles}
    inline = build_search_files(articles, base_note="n")
    assert build_search_files(articles, base_note="n", records=records) == inline
    # Missing records are computed on the fly; extra ones are ignored.
    some = dict(list(records.items())[::2]) | {"gone.md": records[articles[0].source_path]}
    assert build_search_files(articles, base_note="n", records=some) == inline


def test_spooled_records_read_back_as_written_and_give_the_same_files() -> None:
    articles = load_articles("filters") + load_articles("ranking")
    records = {a.source_path: search_record(a) for a in articles}
    spooled = RecordSpool(records.items())
    assert len(spooled) == len(records) and list(spooled) == list(records)
    assert all(spooled[key] == record for key, record in records.items())
    assert spooled == records
    assert build_search_files(articles, base_note="n", records=spooled) == build_search_files(articles, base_note="n")
    # A record added again replaces the first; a view holds the keys asked for that the spool has.
    first, second = (a.source_path for a in articles[:2])
    spooled.add(first, records[second])
    spooled.discard(second)
    view = spooled.only([first, second, "missing.md"])
    assert list(view) == [first] and view[first] == records[second]
    with pytest.raises(TypeError):
        view.add(first, records[first])
    path = Path(spooled.path)
    view.close()
    assert path.exists(), "a view leaves the file to its spool"
    spooled.close()
    assert not path.exists()


def test_a_record_is_compact_picklable_and_depends_only_on_its_article() -> None:
    article = load_articles("filters")[0]
    record = search_record(article)
    assert isinstance(record, SearchRecord)
    assert pickle.loads(pickle.dumps(record)) == record
    assert search_record(article) == record
    terms, weights, positions, surfaces, _filters, display = record.unpack()
    count = len(terms.split(" "))
    assert len(positions.split(b" ")) == count == len(surfaces.split(" "))
    assert len(codec.decode_varints(weights)) == count
    assert json.loads(display)[0] == article.slug
    assert len(pickle.dumps(record)) < len(article.body.encode()) + 2000


def _gaza_articles(count: int) -> list[Article]:
    """``count`` articles: every third holds the phrase «قطاع غزة», the others
    both words apart (and in the wrong order)."""
    articles = []
    for i in range(count):
        body = "وصلت قافلة إلى قطاع غزة صباح اليوم." if i % 3 == 0 else "غزة تنتظر المساعدات ويعاني القطاع من الحصار."
        articles.append(
            Article(
                source_path=f"gaza/{i}.md",
                slug=f"gaza-{i:03d}",
                title=f"خبر رقم {i}",
                body=body + " " + "كلام " * (i % 7),
                summary="",
                date=dt.date(2020, 1, 1) + dt.timedelta(days=i),
            )
        )
    return articles


@pytest.mark.parametrize("piece_bytes", [1, 64, 1_000_000])
def test_phrases_over_split_positions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece_bytes: int) -> None:
    # Tiny pieces split every frequent term: the engine must load only the
    # pieces of its candidates and still find exactly the phrase's documents.
    monkeypatch.setattr(index, "PIECE_BYTES", piece_bytes)
    articles = _gaza_articles(90)
    files = build_search_files(articles)
    pieces = [f for f in files if f.path.startswith("search/positions/") and "-" in f.path]
    assert bool(pieces) == (piece_bytes < 1000)
    write_files(files, tmp_path)
    expected = sorted(a.slug for i, a in enumerate(articles) if i % 3 == 0)
    answer = run_queries(tmp_path, [{"q": '"قطاع غزة"', "all": True}])[0]
    slugs_by_id = [a.slug for a in index.indexed_in_order(articles)]
    assert sorted(slugs_by_id[i] for i in answer["allIds"]) == expected
    assert len(answer["slugs"]) == 10
    assert set(answer["slugs"]) <= set(expected)
    if piece_bytes == 1:
        # 60 candidates in 60 pieces a term: confirmed a page at a time.
        assert not answer["complete"] and 10 <= answer["total"] < 30
        whole = sum(len(f.content.encode()) for f in pieces)
        assert answer["byKind"]["positions"] < whole / 2
    else:
        assert answer["complete"] and answer["total"] == 30
    never = run_queries(tmp_path, [{"q": '"غزة قطاع"', "all": True}, '"غزة قطاع"'])
    assert never[0]["allIds"] == [] and never[1]["total"] == 0
    if piece_bytes == 1:
        # No candidate holds the phrase: one step loads a bounded share of the pieces.
        assert not never[1]["complete"]
        assert never[1]["byKind"]["positions"] < never[0]["byKind"]["positions"]


def test_the_name_ali_is_found(tmp_path: Path) -> None:
    articles = _gaza_articles(3)
    articles[1] = Article(
        source_path="ali.md", slug="ali", title="لقاء مع علي", body="التقى الوزير علي بالوفد.", summary=""
    )
    write_files(build_search_files(articles), tmp_path)
    assert _answer(tmp_path, "علي")["slugs"] == ["ali"]
    assert _answer(tmp_path, "على")["total"] == 0


def test_streamed_files_are_the_built_files_display_chunks_first() -> None:
    articles = load_articles("filters") + load_articles("ranking")
    streamed = list(iter_search_files(articles, base_note="n"))
    built = build_search_files(articles, base_note="n")
    assert sorted(streamed, key=lambda f: f.path) == sorted(built, key=lambda f: f.path)
    assert len({f.path for f in streamed}) == len(streamed)
    assert streamed[0].path.startswith("search/docs/") and streamed[-1].path == "search/manifest.js"
