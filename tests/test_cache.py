"""The builder's cache: an unchanged file is not read again, and a rebuild from
the cache gives exactly what a build without it gives."""

from __future__ import annotations

import os
import pickle
import shutil
import sys
from pathlib import Path

import pytest

from builder import cache as cache_module
from builder import pipeline
from builder.cache import CACHE_FILE
from builder.cli import main
from builder.model import Article, EntityRef

from conftest import REPO, build_args, make_site_project

CONFIG = REPO / "mkdocs.yml"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    shutil.copytree(REPO / "source", folder)
    return folder


def prepare(source: Path, cache: Path | None, **options: object) -> pipeline.Prepared:
    return pipeline.prepare(source, CONFIG, jobs=1, cache_dir=cache, **options)  # type: ignore[arg-type]


def read_count(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files ``load_article`` is asked to read, in order."""
    seen: list[str] = []
    original = pipeline.load_article

    def counting(file: pipeline.SourceFile, **kwargs: object) -> object:
        seen.append(file.relative)
        return original(file, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "load_article", counting)
    return seen


def test_second_build_reads_nothing_and_gives_the_same_pages(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    uncached = prepare(source, None)
    first = prepare(source, cache)
    assert (cache / CACHE_FILE).is_file()
    reads = read_count(monkeypatch)
    second = prepare(source, cache)
    assert reads == []
    assert second.articles == first.articles == uncached.articles
    assert second.collected.problems == uncached.collected.problems
    assert list(second.pages()) == list(uncached.pages())


def test_an_edited_file_is_read_again(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    prepare(source, cache)
    edited = sorted(source.rglob("*.md"))[0]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.rstrip("\n") + "\n\nفقرة مضافة بعد التعديل.\n", encoding="utf-8")
    reads = read_count(monkeypatch)
    rebuilt = prepare(source, cache)
    assert reads == [edited.relative_to(source).as_posix()]
    article = next(a for a in rebuilt.articles if a.source_path == reads[0])
    assert "فقرة مضافة بعد التعديل" in article.body


def test_added_files_are_read_and_deleted_ones_dropped(source: Path, tmp_path: Path) -> None:
    """Files are matched by path, size and modification time: an added file is read, a deleted one dropped."""
    cache = tmp_path / "cache"
    before = prepare(source, cache)
    victim = sorted(source.rglob("*.md"))[1]
    victim_path = victim.relative_to(source).as_posix()
    victim.unlink()
    (source / "2024" / "2024-05-01-new.txt").write_text("عنوان جديد\n\nنص الخبر الجديد عن مصر.\n", encoding="utf-8")
    after = prepare(source, cache)
    paths = {a.source_path for a in after.articles}
    assert victim_path in {a.source_path for a in before.articles}
    assert victim_path not in paths
    assert "2024/2024-05-01-new.txt" in paths


def test_a_touched_file_with_the_same_bytes_is_read_again(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    prepare(source, cache)
    touched = sorted(source.rglob("*.md"))[2]
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    reads = read_count(monkeypatch)
    prepare(source, cache)
    assert reads == [touched.relative_to(source).as_posix()]


def test_other_flags_do_not_use_the_cache(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unknown keys are warnings in one run and errors in the next: nothing cached may leak across."""
    cache = tmp_path / "cache"
    prepare(source, cache)
    reads = read_count(monkeypatch)
    prepare(source, cache, strict=True)
    assert len(reads) == len(list(source.rglob("*.*")))


def test_a_damaged_cache_is_ignored(source: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / CACHE_FILE).write_bytes(b"\x80\x05 not a pickle at all")
    prepared = prepare(source, cache)
    assert prepared.articles == prepare(source, None).articles
    assert (cache / CACHE_FILE).read_bytes()[:1] == b"\x80"  # rewritten as a real pickle
    assert prepare(source, cache).articles == prepared.articles


def test_the_cli_keeps_the_cache_next_to_the_report_unless_told_not_to(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "with", REPO / "source")
    assert main(build_args(project, "generate")) == 0
    assert (project["report"].parent / "cache" / CACHE_FILE).is_file()

    bare = make_site_project(tmp_path / "without", REPO / "source")
    assert main([*build_args(bare, "generate"), "--no-cache"]) == 0
    assert not (bare["report"].parent / "cache").exists()

    elsewhere = tmp_path / "elsewhere"
    assert main([*build_args(bare, "generate"), "--cache-dir", str(elsewhere)]) == 0
    assert (elsewhere / CACHE_FILE).is_file()


def test_entries_are_stored_in_chunks_and_read_back_whole(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "CHUNK", 3)  # the sample corpus spans several chunks
    cache = tmp_path / "cache"
    first = prepare(source, cache)
    reads = read_count(monkeypatch)
    assert prepare(source, cache).articles == first.articles
    assert reads == []


def test_a_truncated_cache_is_ignored(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "CHUNK", 3)
    cache = tmp_path / "cache"
    first = prepare(source, cache)
    stored = (cache / CACHE_FILE).read_bytes()
    (cache / CACHE_FILE).write_bytes(stored[: len(stored) // 2])
    reads = read_count(monkeypatch)
    assert prepare(source, cache).articles == first.articles
    assert len(reads) == first.collected.inputs - len(first.collected.ignored)  # all read again


def test_pickling_an_article_does_not_grow_its_text_in_memory() -> None:
    # CPython keeps a UTF-8 copy inside a non-ASCII str once it is pickled as
    # one: the cache would double every body the build holds.
    article = Article("a.md", "a", "عنوان", "نص الإحاطة " * 500, "ملخص", tags=("وسم",))
    before = sys.getsizeof(article.body), sys.getsizeof(article.title), sys.getsizeof(article.summary)
    copy = pickle.loads(pickle.dumps(article))
    assert copy == article
    assert (sys.getsizeof(article.body), sys.getsizeof(article.title), sys.getsizeof(article.summary)) == before


def test_tags_unpickled_from_many_articles_are_shared() -> None:
    ref = EntityRef("country", "قطر", "قطر")
    first, second = (pickle.loads(pickle.dumps(ref)) for _ in range(2))
    assert first == ref and first is second
