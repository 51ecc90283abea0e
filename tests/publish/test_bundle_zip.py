"""Packing a built site into the offline zip: reproducible, portable names, checked links."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import shutil
import stat
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.bundle import (
    MAX_ENTRY_LENGTH,
    BundleError,
    add_parser,
    bundle_entries,
    bundle_filename,
    name_problems,
    newest_date,
    pack_site,
    write_zip,
)
from builder.slugs import slugify

from .helpers import FIXTURES

SITE = FIXTURES / "bundle_site"
BROKEN_SITE = FIXTURES / "linkcheck_site"
STAMP = dt.date(2024, 3, 7)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_tree_gives_the_same_zip_whatever_the_file_times_and_modes(tmp_path: Path) -> None:
    first = tmp_path / "a" / "x.zip"
    write_zip(SITE, first, root_folder="x", stamp=STAMP)
    copy = tmp_path / "copy"
    shutil.copytree(SITE, copy)
    for path in copy.rglob("*"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
        if path.is_file():
            path.chmod(0o600)
    second = tmp_path / "b" / "x.zip"
    write_zip(copy, second, root_folder="x", stamp=STAMP)
    assert sha256(first) == sha256(second)


def test_zip_entries_are_sorted_utf8_flagged_stamped_and_portable(tmp_path: Path) -> None:
    out = tmp_path / "x.zip"
    count = write_zip(SITE, out, root_folder="x", stamp=STAMP)
    with zipfile.ZipFile(out) as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names)
    assert count == sum(1 for p in SITE.rglob("*") if p.is_file())
    assert any(not n.isascii() for n in names)
    for info in infos:
        assert info.flag_bits & 0x800, info.filename
        assert info.date_time == (STAMP.year, STAMP.month, STAMP.day, 0, 0, 0)
        assert unicodedata.is_normalized("NFC", info.filename)
        mode = info.external_attr >> 16
        assert stat.S_IMODE(mode) == (0o755 if info.is_dir() else 0o644)
        assert info.filename.startswith("x/")


def test_zip_unpacks_to_the_same_files(tmp_path: Path) -> None:
    out = tmp_path / "x.zip"
    write_zip(SITE, out, root_folder="x", stamp=STAMP)
    with zipfile.ZipFile(out) as archive:
        archive.extractall(tmp_path / "unpacked")
    unpacked = tmp_path / "unpacked" / "x"
    for original in SITE.rglob("*"):
        if original.is_file():
            assert (unpacked / original.relative_to(SITE)).read_bytes() == original.read_bytes()


def test_dates_before_1980_are_stamped_1980(tmp_path: Path) -> None:
    out = tmp_path / "x.zip"
    write_zip(SITE, out, root_folder="x", stamp=dt.date(1970, 5, 1))
    with zipfile.ZipFile(out) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_pack_refuses_a_site_with_broken_links(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="do not resolve") as caught:
        pack_site(BROKEN_SITE, tmp_path / "x.zip", stamp=STAMP)
    assert "articles/missing.html" in str(caught.value)
    assert not (tmp_path / "x.zip").exists()


def test_pack_writes_the_zip_and_reports_its_size(tmp_path: Path) -> None:
    result = pack_site(SITE, tmp_path / "dist" / "n-offline-2024-03-07.zip", stamp=STAMP)
    assert result.size == result.path.stat().st_size > 0
    with zipfile.ZipFile(result.path) as archive:
        assert archive.namelist()[0] == "n-offline-2024-03-07/"


def test_bundle_is_named_by_the_newest_article() -> None:
    dates = [dt.date(2023, 1, 2), None, dt.date(2024, 2, 29), dt.date(2024, 1, 1)]
    assert bundle_filename("n", newest_date(dates)) == "n-offline-2024-02-29.zip"
    assert bundle_filename("n", newest_date([None])) == "n-offline-undated.zip"


@pytest.mark.parametrize(
    "names",
    [
        ["a/b:c.html"],
        ["a/con.html"],
        ["a/x. "],
        ["Index.html", "index.html"],
        [unicodedata.normalize("NFD", "أخبار.html")],
        ["articles/" + "خ" * MAX_ENTRY_LENGTH + ".html"],
    ],
)
def test_names_that_break_on_some_system_are_refused(names: list[str]) -> None:
    assert name_problems(names)


def test_entries_refuse_symbolic_links(tmp_path: Path) -> None:
    tree = tmp_path / "t"
    shutil.copytree(SITE, tree)
    (tree / "link.html").symlink_to(tree / "index.html")
    with pytest.raises(BundleError, match=r"link\.html"):
        bundle_entries(tree)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=5, unique=True))
def test_every_slug_is_a_portable_file_name(titles: list[str]) -> None:
    slugs = {slugify(t) for t in titles} - {""}
    names = [f"articles/{s}.html" for s in slugs]
    assert name_problems(names, prefix="arabic-briefing-archive-offline-2024-12-31/") == []


def test_bundle_cli_reports_a_missing_source_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["bundle", "--source", str(tmp_path / "nope"), "--out", str(tmp_path / "x.zip")])
    assert args.func(args) == 2
    err = capsys.readouterr().err
    assert "source folder not found" in err and "Traceback" not in err
    assert not (tmp_path / "x.zip").exists()
