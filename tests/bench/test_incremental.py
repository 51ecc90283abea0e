"""`build --dirty` gives the same site/ as a clean build.

Each scenario builds a small corpus (the sample articles plus synthetic ones)
cleanly, changes the source (edit, add, delete), rebuilds with ``--dirty``,
builds the same source again from scratch into another folder, and compares
the two trees byte for byte, excluding nothing. ``SOURCE_DATE_EPOCH`` pins the
date MkDocs stamps into the sitemap, so two builds a midnight apart agree too.

Pages whose Markdown did not change keep their inode: proof that the dirty
build did not quietly re-render everything (which would make the comparison
trivially pass).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sys
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.cli import main
from builder.writer import OWNED_FILES, OWNED_FOLDERS

from conftest import REPO, build_args, make_site_project

sys.path.insert(0, str(REPO / "bench"))
import synth  # the benchmark's generator (bench/ is not a package)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SYNTHETIC = 10
EDITED = "2023/بلينكن-في-الدوحة-لبحث-التصعيد-في-غزة.md"
DELETED = "2024/غروندبرغ-في-مسقط-لبحث-خارطة-الطريق-اليمنية.md"
ANY_PAGE = "articles/synth-0000003/index.html"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same_tree(incremental: Path, clean: Path) -> None:
    left, right = tree(incremental), tree(clean)
    only_left = sorted(set(left) - set(right))
    only_right = sorted(set(right) - set(left))
    differ = sorted(k for k in set(left) & set(right) if left[k] != right[k])
    assert not (only_left or only_right or differ), (
        f"incremental site differs from a clean build: only incremental {only_left[:5]}, "
        f"only clean {only_right[:5]}, different bytes {differ[:5]}"
    )


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file: a rewritten file changes one of them."""
    return {p.relative_to(root).as_posix(): inode(p) for p in root.rglob("*") if p.is_file()}


def inode(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    built = make_site_project(tmp_path / "incremental", REPO / "source")
    synth.write_corpus(SYNTHETIC, built["source"], synth.default_material())
    assert main(build_args(built)) == 0
    return built


def clean_copy(project: dict[str, Path], root: Path) -> dict[str, Path]:
    """The same project (config, overrides, assets, source) with nothing built:
    copied from the project, not the repository, which may change meanwhile."""
    clean = make_site_project(root)
    for name in ("overrides", "docs"):
        shutil.rmtree(clean["root"] / name)
    shutil.copytree(project["root"] / "overrides", clean["root"] / "overrides")
    generated = shutil.ignore_patterns(*OWNED_FOLDERS, *OWNED_FILES)
    top = str(project["docs"])
    shutil.copytree(project["docs"], clean["docs"], ignore=lambda d, names: generated(d, names) if d == top else set())
    shutil.copy(project["config"], clean["config"])
    shutil.copytree(project["source"], clean["source"])
    return clean


def clean_build_of(project: dict[str, Path], root: Path) -> Path:
    clean = clean_copy(project, root)
    assert main(build_args(clean)) == 0
    return clean["site"]


def dirty_build(project: dict[str, Path]) -> None:
    assert main([*build_args(project), "--dirty"]) == 0


def edit(source: Path) -> None:
    path = source / EDITED
    addition = (FIXTURES / "edited_paragraph.md").read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + addition, encoding="utf-8")


def add(source: Path) -> None:
    shutil.copy(FIXTURES / "added_article.md", source / "2023" / "added_article.md")


def delete(source: Path) -> None:
    (source / DELETED).unlink()


@pytest.mark.slow
@pytest.mark.parametrize("change", [edit, add, delete], ids=["edit", "add", "delete"])
def test_dirty_build_equals_clean_build(
    project: dict[str, Path], tmp_path: Path, change: Callable[[Path], None]
) -> None:
    docs_before = stamps(project["docs"] / "articles")
    site_before = stamps(project["site"] / "articles")
    change(project["source"])
    dirty_build(project)
    assert_same_tree(project["site"], clean_build_of(project, tmp_path / "clean"))
    # Pages whose Markdown the builder left alone were not re-rendered.
    docs_after = stamps(project["docs"] / "articles")
    untouched = [Path(k).stem for k, v in docs_after.items() if docs_before.get(k) == v]
    assert untouched, "precondition: most articles are untouched by one change"
    site_after = stamps(project["site"] / "articles")
    rerendered = [s for s in untouched if site_after[f"{s}/index.html"] != site_before[f"{s}/index.html"]]
    assert not rerendered, f"pages re-rendered although their Markdown did not change: {rerendered[:5]}"


@pytest.mark.slow
def test_a_name_a_new_article_teaches_reaches_older_articles_in_a_dirty_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entity discovery works over the whole archive: a new article that names someone
    with strong evidence (a role) makes the name a tag, and an older article that named
    them with weak evidence only gets the tag too, in a --dirty build as in a clean one."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = make_site_project(tmp_path / "taught", REPO / "source")
    shutil.copy(FIXTURES / "older_mention.md", project["source"] / "2023" / "older_mention.md")
    assert main(build_args(project)) == 0
    tag_page = project["site"] / "tags" / "person" / "أوراسيو-كوستاماغنا" / "index.html"
    assert not tag_page.exists(), "precondition: one weak mention makes no tag"
    shutil.copy(FIXTURES / "teaching_article.md", project["source"] / "2023" / "teaching_article.md")
    dirty_build(project)
    assert_same_tree(project["site"], clean_build_of(project, tmp_path / "clean"))
    listed = tag_page.read_text(encoding="utf-8")
    assert "سفراء يلتقون في الدوحة لبحث المساعدات" in listed, "the older article carries the learned tag"
    assert "المبعوث الأممي يختتم جولته الإقليمية" in listed
    assert "المبعوث الأممي" in listed, "the tag page says who it is"


@pytest.mark.slow
def test_deleted_article_disappears_everywhere(project: dict[str, Path], tmp_path: Path) -> None:
    slug = Path(DELETED).stem
    title = (project["source"] / DELETED).read_text(encoding="utf-8").split("title:", 1)[1].splitlines()[0].strip()
    # As written, percent-encoded in links, and \u-escaped in the JSON search index.
    forms = {
        variant
        for text in (slug, title)
        for variant in (text, urllib.parse.quote(text), json.dumps(text)[1:-1], html.escape(text))
    }

    def mentions() -> set[str]:
        found = set()
        for path in project["site"].rglob("*"):
            if path.is_file() and path.suffix in {".html", ".json", ".xml"}:
                text = path.read_text(encoding="utf-8", errors="replace")
                if any(form in text for form in forms):
                    found.add(path.relative_to(project["site"]).as_posix())
        return found

    before = mentions()
    # The test means something only if the article was listed around the site.
    assert "index.html" in before, "precondition: the article is on the home page"
    assert any(p.startswith("archive/2024/") for p in before), "precondition: in its archive pages"
    assert any(p.startswith("articles/") and slug not in p for p in before), "precondition: a neighbour links it"
    delete(project["source"])
    dirty_build(project)
    assert mentions() == set()
    assert not (project["site"] / "articles" / slug).exists()


@pytest.mark.slow
def test_nothing_changed_rewrites_nothing(project: dict[str, Path]) -> None:
    before = {p: inode(p) for p in project["site"].rglob("*") if p.is_file()}
    dirty_build(project)
    after = {p: inode(p) for p in project["site"].rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.slow
def test_configuration_change_forces_a_full_build(project: dict[str, Path], tmp_path: Path) -> None:
    config = project["config"]
    text = config.read_text(encoding="utf-8")
    assert "\nsite_name: " in text, "precondition: mkdocs.yml names the site"
    config.write_text(text.replace("\nsite_name: ", "\nsite_name: أرشيف التجربة ", 1), encoding="utf-8")
    dirty_build(project)
    assert "أرشيف التجربة" in (project["site"] / ANY_PAGE).read_text(encoding="utf-8")
    assert_same_tree(project["site"], clean_build_of(project, tmp_path / "clean"))


@pytest.mark.slow
def test_failed_dirty_build_leaves_the_previous_site_intact(project: dict[str, Path]) -> None:
    before = tree(project["site"])
    edit(project["source"])  # the edited page would be written before MkDocs gives up,
    add(project["source"])  # and a new one created
    (project["docs"] / "broken.md").write_text("# صفحة\n\n[رابط](missing.md)\n", encoding="utf-8")
    assert main([*build_args(project), "--dirty"]) == 1
    assert tree(project["site"]) == before


@pytest.mark.slow
def test_asset_restored_with_an_old_date_is_copied(project: dict[str, Path]) -> None:
    asset = project["docs"] / "assets" / "stylesheets" / "archive.css"
    asset.write_text(asset.read_text(encoding="utf-8") + "\n/* restored from a backup */\n", encoding="utf-8")
    os.utime(asset, (946684800, 946684800))  # 2000-01-01: older than the built copy
    dirty_build(project)
    assert (project["site"] / "assets" / "stylesheets" / "archive.css").read_bytes() == asset.read_bytes()


def feed_stamps(root: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every tag's feed under ``root`` (docs/ or site/)."""
    return {p.relative_to(root).as_posix(): inode(p) for p in root.glob("tags/*/*/feed.xml")}


@pytest.mark.slow
def test_adding_a_briefing_rewrites_only_the_feeds_of_its_tags(project: dict[str, Path]) -> None:
    docs_before, site_before = feed_stamps(project["docs"]), feed_stamps(project["site"])
    add(project["source"])
    dirty_build(project)
    docs_after, site_after = feed_stamps(project["docs"]), feed_stamps(project["site"])
    assert set(docs_before) <= set(docs_after)
    page = (project["docs"] / "articles" / "added-article.md").read_text(encoding="utf-8")
    its_feeds = {f"tags/{kind}/{slug}/feed.xml" for kind, slug in re.findall(r"tags/(\w+)/([^/)]+)\.md\)", page)}
    assert len(its_feeds) >= 3, "precondition: the added briefing has several tags"
    title = "مقال مضاف لاختبار البناء التزايدي"
    listing = {p for p in its_feeds if title in (project["docs"] / p).read_text(encoding="utf-8")}
    assert listing, "precondition: the briefing is among the newest 20 of some of its tags"
    for before, after in ((docs_before, docs_after), (site_before, site_after)):
        changed = {p for p, stamp in after.items() if before.get(p) != stamp}
        # Its tags' feeds that now list it, and no other feed: not another tag's,
        # nor one of its own tags whose newest 20 it does not enter.
        assert changed == listing
        assert len(after) > len(changed)
