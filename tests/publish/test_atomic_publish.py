"""Fast cases of atomic publishing: the lock, recovery and the swap."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.locking import BusyError, folder_lock
from builder.publish import _Folders, _link_tree, _swap_in, recover


def test_a_second_lock_on_a_folder_fails_at_once(tmp_path: Path) -> None:
    with (
        folder_lock(tmp_path, "build"),
        pytest.raises(BusyError, match="another build"),
        folder_lock(tmp_path, "build"),
    ):
        pass
    with folder_lock(tmp_path, "build"):  # released when the first run ended
        pass


def make_tree(root: Path, text: str) -> None:
    (root / "a").mkdir(parents=True)
    (root / "a" / "index.html").write_text(text, encoding="utf-8")


def test_recover_puts_back_a_site_left_aside_between_two_renames(tmp_path: Path) -> None:
    folders = _Folders.of(tmp_path / "site")
    make_tree(folders.previous, "old")
    make_tree(folders.staging, "new, maybe incomplete")
    recover(folders)
    assert (folders.site / "a" / "index.html").read_text(encoding="utf-8") == "old"
    assert not folders.previous.exists() and not folders.staging.exists()


def test_recover_never_removes_the_only_complete_site(tmp_path: Path) -> None:
    folders = _Folders.of(tmp_path / "site")
    make_tree(folders.site, "current")
    make_tree(folders.previous, "older")
    recover(folders)
    assert (folders.site / "a" / "index.html").read_text(encoding="utf-8") == "current"
    assert not folders.previous.exists()


def test_swap_replaces_the_site_in_one_step(tmp_path: Path) -> None:
    folders = _Folders.of(tmp_path / "site")
    make_tree(folders.site, "old")
    make_tree(folders.staging, "new")
    _swap_in(folders)
    assert (folders.site / "a" / "index.html").read_text(encoding="utf-8") == "new"
    assert not folders.staging.exists() and not folders.previous.exists()


def test_a_linked_copy_shares_files_and_writes_nothing_through(tmp_path: Path) -> None:
    source, target = tmp_path / "site", tmp_path / "copy"
    make_tree(source, "old")
    assert _link_tree(source, target) == 1
    copy = target / "a" / "index.html"
    assert copy.stat().st_ino == (source / "a" / "index.html").stat().st_ino
    copy.unlink()  # what the dirty guard does before MkDocs writes a page
    copy.write_text("new", encoding="utf-8")
    assert (source / "a" / "index.html").read_text(encoding="utf-8") == "old"
