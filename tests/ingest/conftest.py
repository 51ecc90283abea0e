"""Shared helpers for the ingest tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
# The shared corpora sit next to the repository: <repo>/../shared/corpora.
CORPORA = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora"


def corpus(name: str) -> Path:
    """A shared corpus folder, or skip the test with the reason."""
    path = CORPORA / name
    if not path.is_dir():
        pytest.skip(f"shared corpus {name!r} not found at {path} (it lives outside the repository)")
    return path


@pytest.fixture
def inputs(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy named fixture files into a fresh input folder and return it."""

    def copy(*names: str) -> Path:
        folder = tmp_path / "in"
        folder.mkdir(exist_ok=True)
        for name in names:
            shutil.copyfile(FIXTURES / name, folder / name)
        return folder

    return copy
