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


def test_a_folder_the_lock_created_is_removed_when_the_run_left_it_empty(tmp_path: Path) -> None:
    empty, used, existing = tmp_path / "empty", tmp_path / "used", tmp_path / "existing"
    existing.mkdir()
    with folder_lock(empty, "ingest"):
        assert empty.is_dir()
    with folder_lock(used, "ingest"):
        (used / "a.md").write_text("x", encoding="utf-8")
    with folder_lock(existing, "ingest"):
        pass
    assert not empty.exists()  # an ingest that refused leaves no empty --into folder
    assert (used / "a.md").is_file()
    assert existing.is_dir()  # never removes a folder it did not create


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


def test_an_unusable_site_folder_is_one_line_and_leaves_the_site(
    sample_site: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from builder.cli import main

    from conftest import build_args

    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    project = {**sample_site, "site": blocker / "site"}
    assert main(build_args(project)) == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and error[0].startswith("error: cannot ") and str(blocker) in error[0]
    assert "Traceback" not in capsys.readouterr().err


def test_environment_messages_name_the_path_and_what_to_do() -> None:
    import errno

    from builder.errors import environment_message

    assert "read-only" in environment_message(OSError(errno.EROFS, "Read-only file system", "/x/site"))
    assert "free some space" in environment_message(OSError(errno.ENOSPC, "No space left", "/x/docs/a.md"))
    assert "/x/docs/a.md" in environment_message(OSError(errno.ENOSPC, "No space left", "/x/docs/a.md"))
