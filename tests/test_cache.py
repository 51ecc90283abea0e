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
from builder.cache import CACHE_FILE, SECRET_ENV, SECRET_SIZE, load_secret, secret_notice
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
    assert (cache / CACHE_FILE).read_bytes().startswith(b"builder-cache\0")  # rewritten as a real cache
    assert prepare(source, cache).articles == prepared.articles


def test_the_cli_keeps_the_cache_in_the_project_unless_told_not_to(tmp_path: Path) -> None:
    """``build/cache`` next to the configuration file, wherever the report goes."""
    project = make_site_project(tmp_path / "with", REPO / "source")
    report = tmp_path / "reports" / "report.json"
    assert main([*build_args(project, "generate"), "--report", str(report)]) == 0
    assert (project["root"] / "build" / "cache" / CACHE_FILE).is_file()
    assert not (report.parent / "cache").exists()

    bare = make_site_project(tmp_path / "without", REPO / "source")
    assert main([*build_args(bare, "generate"), "--no-cache"]) == 0
    assert not (bare["root"] / "build" / "cache").exists()

    elsewhere = tmp_path / "elsewhere"
    assert main([*build_args(bare, "generate"), "--cache-dir", str(elsewhere)]) == 0
    assert (elsewhere / CACHE_FILE).is_file()


class _Payload:
    """Unpickling this creates ``marker``: what a planted cache would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_a_planted_pickle_never_runs_where_the_old_or_the_new_code_reads(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "project", REPO / "source")
    report = tmp_path / "reports" / "report.json"
    marker = tmp_path / "ran"
    planted = pickle.dumps(_Payload(marker))
    cache = project["root"] / "build" / "cache"
    for path in (report.parent / "cache" / "articles.pickle", cache / "articles.pickle", cache / CACHE_FILE):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(planted)
    assert main([*build_args(project, "generate"), "--report", str(report)]) == 0
    assert not marker.exists()
    assert (cache / CACHE_FILE).read_bytes().startswith(b"builder-cache\0")
    assert not (cache / "articles.pickle").exists()  # the old format's file is removed, unread
    # Planted after a good cache was written, with the right header: still refused.
    (cache / CACHE_FILE).write_bytes((cache / CACHE_FILE).read_bytes()[:32] + planted)
    assert main([*build_args(project, "generate"), "--report", str(report)]) == 0
    assert not marker.exists()


@pytest.mark.parametrize("where", [0.02, 0.5, 0.98])
def test_a_tampered_byte_costs_a_full_read(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: float
) -> None:
    monkeypatch.setattr(cache_module, "CHUNK", 3)  # several frames: the last one is checked too
    cache = tmp_path / "cache"
    first = prepare(source, cache)
    stored = bytearray((cache / CACHE_FILE).read_bytes())
    stored[int(len(stored) * where)] ^= 0x01
    (cache / CACHE_FILE).write_bytes(bytes(stored))
    reads = read_count(monkeypatch)
    assert prepare(source, cache).articles == first.articles
    assert len(reads) == first.collected.inputs - len(first.collected.ignored)


def test_a_cache_made_under_another_secret_or_for_another_folder_is_refused(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = prepare(source, cache)
    everything = first.collected.inputs - len(first.collected.ignored)
    moved = tmp_path / "other-project" / "cache"
    moved.mkdir(parents=True)
    shutil.copy(cache / CACHE_FILE, moved / CACHE_FILE)
    reads = read_count(monkeypatch)
    prepare(source, moved)
    assert len(reads) == everything  # same user, another folder: refused

    monkeypatch.setenv(SECRET_ENV, str(tmp_path / "another-user" / "cache-secret"))
    reads.clear()
    assert prepare(source, cache).articles == first.articles
    assert len(reads) == everything
    reads.clear()
    prepare(source, cache)
    assert reads == []  # rewritten under the new secret, and used


def test_the_secret_is_private_and_outside_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "config" / "builder" / "cache-secret"
    monkeypatch.setenv(SECRET_ENV, str(secret))
    made = load_secret()
    assert made is not None and len(made) == SECRET_SIZE
    assert secret.stat().st_mode & 0o777 == 0o600
    assert load_secret() == made  # kept, not replaced
    secret.chmod(0o644)  # others could read it, so forge a cache: not used
    assert load_secret() is None


def test_without_a_usable_secret_the_build_goes_without_a_cache(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(SECRET_ENV, str(blocker / "cache-secret"))  # cannot be created
    cache = tmp_path / "cache"
    assert prepare(source, cache).articles == prepare(source, None).articles
    assert not (cache / CACHE_FILE).exists()


def test_a_cache_turned_off_by_an_unusable_secret_is_said_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "cache-secret"
    monkeypatch.setenv(SECRET_ENV, str(secret))
    assert secret_notice() is None  # made on first use: the cache works
    secret.chmod(0o644)
    notice = secret_notice()
    assert notice is not None and str(secret) in notice and "chmod 600" in notice and SECRET_ENV in notice


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
