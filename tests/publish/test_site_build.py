"""The built sample site: no broken link, reproducible, swapped in only when the build succeeded."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
from lxml import etree

from builder.bundle import build_bundle
from builder.cli import main
from builder.feeds import SITEMAP_NS
from builder.linkcheck import check_site, scan_site

from .helpers import Bundle
from conftest import REPO, build_args, make_site_project

pytestmark = pytest.mark.slow


def tree_hashes(root: Path) -> dict[str, str]:
    """Every file under ``root`` by relative path, with the SHA-256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def build(tmp: Path, *extra: str) -> tuple[int, dict[str, Path]]:
    project = make_site_project(tmp, REPO / "source")
    return main([*build_args(project), *extra]), project


def test_sample_site_has_no_broken_link(sample_site: dict[str, Path]) -> None:
    report = scan_site(sample_site["site"])
    assert report.pages > 3
    assert report.broken == (), "\n".join(map(str, report.broken))


def copy_of(sample_site: dict[str, Path], tmp: Path) -> dict[str, Path]:
    """A built project to break, without building it again."""
    shutil.copytree(sample_site["root"], tmp, symlinks=True)
    return {name: tmp / path.relative_to(sample_site["root"]) for name, path in sample_site.items()}


def test_two_builds_give_byte_identical_sites(sample_site: dict[str, Path], tmp_path: Path) -> None:
    # Another folder on purpose: no absolute path of the build machine may leak into the site.
    code, second = build(tmp_path / "elsewhere" / "two")
    assert code == 0
    one, two = tree_hashes(sample_site["site"]), tree_hashes(second["site"])
    assert one.keys() == two.keys()
    differing = sorted(name for name in one if one[name] != two[name])
    assert differing == [], f"files that differ between two builds of the same input: {differing}"
    for path in second["site"].rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".js", ".css"):
            assert str(second["root"]) not in path.read_text(encoding="utf-8", errors="replace"), path


def test_two_bundles_are_identical(offline_bundle: Bundle, sample_site: dict[str, Path], tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "two", REPO / "source")
    second = build_bundle(project["source"], None, config_file=project["config"], dist=tmp_path / "dist")
    first = offline_bundle.result
    assert first.path.name == second.path.name
    assert first.path.read_bytes() == second.path.read_bytes()


def test_bundle_links_stay_inside_it(offline_bundle: Bundle) -> None:
    unpacked = offline_bundle.root
    assert check_site(unpacked, offline=True) == []
    assert not (unpacked / "404.html").exists()
    # The bundle's feed and sitemap point at files inside it.
    links = [e.link for e in feedparser.parse((unpacked / "feed.xml").read_bytes()).entries]
    root = etree.fromstring((unpacked / "sitemap.xml").read_bytes())
    locs = [e.text or "" for e in root.iter(f"{{{SITEMAP_NS}}}loc")]
    assert links and locs
    for link in [*links, *locs]:
        assert (unpacked / unquote(link)).is_file(), link


def test_failed_mkdocs_build_leaves_the_previous_site(sample_site: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(sample_site, tmp_path / "p")
    before = tree_hashes(project["site"])
    # A hand-written page with a link to nothing: MkDocs' strict mode refuses to build.
    (project["docs"] / "broken.md").write_text("# صفحة\n\n[رابط](لا-وجود-لها.md)\n", encoding="utf-8")
    assert main(build_args(project)) != 0
    assert tree_hashes(project["site"]) == before
    staging = {".site.building", ".site.previous"}
    assert [p.name for p in project["site"].parent.iterdir() if p.name in staging] == []


def test_rejected_input_in_strict_mode_leaves_the_previous_site(sample_site: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(sample_site, tmp_path / "p")
    before = tree_hashes(project["site"])
    victim = sorted(project["source"].rglob("*.md"))[0]
    text = victim.read_text(encoding="utf-8")
    # An unknown front-matter key: a warning normally, a rejection with --strict.
    victim.write_text(text.replace("---\n", "---\nnot_a_known_key: 1\n", 1), encoding="utf-8")
    assert main([*build_args(project), "--strict"]) != 0
    assert tree_hashes(project["site"]) == before, "a strict build with a rejected input replaced the site"


def test_built_site_carries_our_feed_and_sitemap(sample_site: dict[str, Path]) -> None:
    site = sample_site["site"]
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo and parsed.entries
    root = etree.fromstring((site / "sitemap.xml").read_bytes())
    lastmods = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}lastmod")]
    assert lastmods, "sitemap.xml has no lastmod: MkDocs' own sitemap was not replaced"
