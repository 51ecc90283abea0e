"""The link checker, on a small site whose links say what they should be found to be.

Each link of ``tests/fixtures/publish/linkcheck_site`` carries ``data-expect``:
``broken``, ``offline-broken`` (a folder link: fine on a server, broken from
``file://``), ``external``, or nothing (must resolve). In the stylesheet, a
``url()`` on a line with ``data-expect=broken`` must be reported.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
from lxml import html

from builder.linkcheck import add_parser, check_site, scan_site

from .helpers import FIXTURES

SITE = FIXTURES / "linkcheck_site"


def expected(kind: str) -> set[tuple[str, str]]:
    """(page, url) of every link in the fixture marked ``data-expect=kind``."""
    found: set[tuple[str, str]] = set()
    for page in SITE.rglob("*.html"):
        document = html.document_fromstring(page.read_bytes())
        for element in document.xpath(f"//*[@data-expect='{kind}']"):
            url = element.get("href") if element.get("href") is not None else element.get("src")
            found.add((page.relative_to(SITE).as_posix(), url))
    if kind == "broken":
        for sheet in SITE.rglob("*.css"):
            for line in sheet.read_text(encoding="utf-8").splitlines():
                if "data-expect=broken" in line:
                    url = line.split("url(", 1)[1].split(")", 1)[0].strip("'\"")
                    found.add((sheet.relative_to(SITE).as_posix(), url))
    return found


def test_fixture_marks_links_of_every_kind() -> None:
    assert expected("broken") and expected("offline-broken") and expected("external")


def test_reports_exactly_the_broken_links() -> None:
    assert {(b.page, b.target) for b in check_site(SITE)} == expected("broken")


def test_offline_also_rejects_folder_links() -> None:
    found = {(b.page, b.target) for b in check_site(SITE, offline=True)}
    assert found == expected("broken") | expected("offline-broken")


def test_absolute_paths_resolve_against_the_base_path() -> None:
    rooted = {(b.page, b.target) for b in check_site(SITE, base_path="/archive/")}
    absolute = {(page, url) for page, url in expected("broken") | expected("offline-broken") if url.startswith("/")}
    assert absolute and absolute <= rooted


def test_external_links_are_listed_not_fetched() -> None:
    report = scan_site(SITE)
    assert {(e.page, e.url) for e in report.external} == expected("external")
    assert report.pages == len(list(SITE.rglob("*.html")))


def test_broken_links_name_the_line() -> None:
    for link in check_site(SITE):
        assert link.line is not None and link.line > 0
        source = (SITE / link.page).read_text(encoding="utf-8").splitlines()[link.line - 1]
        assert link.target in source or link.target in source.replace("&amp;", "&")


def test_removing_a_target_breaks_the_links_to_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    assert not any(b.target == "search/search.js" for b in check_site(site))
    (site / "search" / "search.js").unlink()
    assert any(b.page == "index.html" and b.target == "search/search.js" for b in check_site(site))


def test_missing_site_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="build the site first"):
        check_site(tmp_path / "nope")


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["linkcheck", *argv])
    return int(args.func(args))


def test_cli_fails_on_broken_links_and_names_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("--site-dir", str(SITE)) == 1
    captured = capsys.readouterr()
    assert "articles/missing.html" in captured.err
    assert f"{len(check_site(SITE))} broken links" in captured.out


def test_cli_passes_a_clean_site(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("--site-dir", str(FIXTURES / "bundle_site"), "--offline") == 0
    assert "0 broken links" in capsys.readouterr().out


def test_cli_reports_a_missing_folder_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("--site-dir", str(tmp_path / "nope")) == 2
    assert "Traceback" not in capsys.readouterr().err
