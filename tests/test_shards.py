"""MkDocs in shards (builder.shards): ``build --jobs N`` on every core and
``build --shard K/N`` + ``merge-shards`` across machines give the site, byte
for byte, that one MkDocs process gives; a failing shard fails the build and
leaves the previous site."""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_ready_html import assert_same_tree, tree_digest

from builder import shards
from builder.cli import main

from conftest import REPO, build_args, make_site_project

sys.path.insert(0, str(REPO / "bench"))
import synth  # bench/ is not a package


def build(project: dict[str, Path], *extra: str) -> int:
    return main([*build_args(project), *extra])


def recording_shards(
    monkeypatch: pytest.MonkeyPatch, log: Path, fail: Callable[[shards.Shard], None] | None = None
) -> None:
    """Every shard that runs (in this process or a forked one) appends ``K/N`` to ``log``."""
    original = shards.build_shard

    def build_shard(config: Any, shard: shards.Shard) -> None:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"{shard}\n")
        if fail is not None:
            fail(shard)
        original(config, shard)

    monkeypatch.setattr(shards, "build_shard", build_shard)


def ran(log: Path) -> list[str]:
    shards_run = sorted(log.read_text(encoding="utf-8").split()) if log.is_file() else []
    log.unlink(missing_ok=True)
    return shards_run


# --- the partition -------------------------------------------------------------------------


def test_shard_is_parsed_as_k_of_n() -> None:
    assert shards.Shard.parse("2/3") == shards.Shard(2, 3)
    assert shards.Shard.parse("1/1").owner
    for bad in ("0/2", "3/2", "2", "a/b", "1/0", "/2", "-1/2"):
        with pytest.raises(ValueError, match="K/N"):
            shards.Shard.parse(bad)


def test_partition_is_complete_balanced_and_pure() -> None:
    pages = [(f"articles/{i:04d}.md", 500 + (i * 7919) % 20000) for i in range(1000)]
    owned = {"articles/0000.md", "articles/0001.md"}
    for count in (1, 2, 3, 5):
        shard_of = shards.partition(pages, count, owned)
        assert set(shard_of) == {path for path, _ in pages}
        assert set(shard_of.values()) == set(range(1, count + 1))
        assert all(shard_of[path] == 1 for path in owned)
        loads = [0] * count
        for path, size in pages:
            loads[shard_of[path] - 1] += size + shards.PAGE_COST
        heaviest = max(size for _, size in pages) + shards.PAGE_COST
        assert max(loads) - min(loads) <= heaviest, loads
        # The same pages in any order give the same shards: separate machines agree.
        assert shards.partition(list(reversed(pages)), count, owned) == shard_of
    assert shards.identity(pages, 2, owned) == shards.identity(list(reversed(pages)), 2, owned)
    assert shards.identity(pages, 2, owned) != shards.identity(pages, 3, owned)
    assert shards.identity(pages, 2, owned) != shards.identity([*pages[:-1], ("articles/0999.md", 1)], 2, owned)


# --- the same site for any N ----------------------------------------------------------------


@pytest.mark.slow
def test_sample_site_is_byte_identical_for_1_2_and_3_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_site_project(tmp_path / "p", REPO / "source")
    log = tmp_path / "shards.log"
    recording_shards(monkeypatch, log)
    assert build(project, "--jobs", "1") == 0
    assert ran(log) == [], "one process: MkDocs as before"
    single = tree_digest(project["site"])
    for count in (2, 3):
        assert build(project, "--jobs", str(count)) == 0
        assert ran(log) == [f"{k}/{count}" for k in range(1, count + 1)]
        assert tree_digest(project["site"]) == single, f"--jobs {count}"
        assert not (project["site"] / shards.PIECES).exists()


@pytest.mark.slow
def test_synthetic_archive_is_byte_identical_for_1_2_and_3_processes(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "p")
    synth.write_corpus(300, project["source"], synth.default_material())
    assert build(project, "--jobs", "1") == 0
    single = tmp_path / "single"
    shutil.copytree(project["site"], single)
    for count in (2, 3):
        assert build(project, "--jobs", str(count)) == 0
        assert_same_tree(single, project["site"])


PLAIN_MKDOCS_YML = """\
site_name: plain
site_url: https://example.org/archive/
theme:
  name: material
  language: ar
  direction: rtl
  font: false
nav:
  - index.md
plugins:
  - search
validation:
  links:
    not_found: ignore  # the articles link to tag pages this site has not
markdown_extensions:
  - attr_list
  - md_in_html
  - toc:
      permalink: true
"""


@pytest.mark.slow
def test_plain_material_site_with_search_and_sitemap_is_the_same_in_shards(
    sample_site: dict[str, Path], tmp_path: Path
) -> None:
    """Material's search index (merged in one run's page order) and MkDocs'
    sitemap (every page, from the owner) on the configuration of ``bench``'s
    plain MkDocs: no hooks, no sitemap of the builder."""
    from builder.publish import PublishOptions, build_site, publish_shards

    plain = tmp_path / "plain"
    shutil.copytree(sample_site["docs"] / "articles", plain / "docs" / "articles")
    (plain / "docs" / "index.md").write_text("# الرئيسية\n", encoding="utf-8")
    (plain / "mkdocs.yml").write_text(PLAIN_MKDOCS_YML, encoding="utf-8")

    def options(site: Path, **more: Any) -> PublishOptions:
        return PublishOptions(plain / "mkdocs.yml", plain / "docs", site, strict=False, **more)

    assert build_site(options(plain / "one")).processes == 1
    index = (plain / "one" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert index.count('"location":"articles/') > 10
    assert (plain / "one" / "sitemap.xml").read_text(encoding="utf-8").count("<loc>") > 10
    assert build_site(options(plain / "three", processes=3)).processes == 3
    assert_same_tree(plain / "one", plain / "three")

    folders = [plain / f"shard-{k}" for k in (1, 2)]
    for number, folder in enumerate(folders, 1):
        build_site(options(folder, shard=shards.Shard(number, 2)))
    assert not (folders[1] / "search").exists(), "the owner alone writes the index"
    publish_shards(folders, plain / "merged", check_links=False)  # (links to tag pages it has not)
    assert_same_tree(plain / "one", plain / "merged")


# --- failures --------------------------------------------------------------------------------


def _raise_in_shard_2(shard: shards.Shard) -> None:
    if shard.number == 2:
        raise RuntimeError("shard 2 broke")


def _killed_in_shard_2(shard: shards.Shard) -> None:
    if shard.number == 2:
        os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.parametrize("failure", [_raise_in_shard_2, _killed_in_shard_2], ids=["error", "killed"])
def test_a_failing_shard_fails_the_build_and_leaves_the_previous_site(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failure: Callable[[shards.Shard], None],
) -> None:
    project = make_site_project(tmp_path / "p", REPO / "source")
    assert build(project, "--jobs", "1") == 0
    before = tree_digest(project["site"])
    capsys.readouterr()
    recording_shards(monkeypatch, tmp_path / "shards.log", failure)
    assert build(project, "--jobs", "3") == 1
    error = capsys.readouterr().err
    assert "shard 2/3" in error and "the previous site is left as it was" in error
    assert ("shard 2 broke" in error) if failure is _raise_in_shard_2 else ("signal 9" in error)
    assert tree_digest(project["site"]) == before
    leftovers = [p.name for p in project["root"].iterdir() if p.name.startswith(".site.")]
    assert leftovers == [".site.fingerprint"], leftovers


# --- one shard per machine, then merge-shards ---------------------------------------------------


@pytest.mark.slow
def test_shards_built_apart_and_merged_give_the_same_site(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "p", REPO / "source")
    assert build(project, "--jobs", "1") == 0
    single = tree_digest(project["site"])
    folders = []
    for number in (1, 2, 3):
        # As on separate runners: each its own checkout and cache.
        runner = make_site_project(tmp_path / f"runner{number}", REPO / "source")
        folder = tmp_path / f"shard-{number}"
        assert main([*build_args(runner), "--shard", f"{number}/3", "--site-dir", str(folder)]) == 0
        assert (folder / shards.PIECES).is_dir()
        folders.append(folder)
    target = tmp_path / "merged" / "site"
    target.parent.mkdir()
    assert main(["merge-shards", *map(str, folders), "--site-dir", str(target), "-q"]) == 0
    assert tree_digest(target) == single

    # A missing shard, a shard given twice, a shard of another N: refused, the merged site stays.
    assert main(["merge-shards", *map(str, folders[:2]), "--site-dir", str(target)]) == 1
    assert main(["merge-shards", *map(str, [*folders, folders[2]]), "--site-dir", str(target)]) == 1
    other = tmp_path / "other"
    assert main([*build_args(project), "--shard", "3/4", "--site-dir", str(other)]) == 0
    assert main(["merge-shards", *map(str, [*folders[:2], other]), "--site-dir", str(target)]) == 1
    assert main(["merge-shards", str(project["site"]), "--site-dir", str(target)]) == 1, "not a shard folder"
    assert tree_digest(target) == single


def test_shard_and_dirty_do_not_go_together(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "p")
    with pytest.raises(SystemExit) as exited:
        build(project, "--shard", "1/2", "--dirty")
    assert exited.value.code == 2
    with pytest.raises(SystemExit):
        build(project, "--shard", "3/2")
