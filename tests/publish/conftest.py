"""Fixtures shared by the publication tests: the offline bundle, built once."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from builder.bundle import build_bundle

from .helpers import Bundle


@pytest.fixture(scope="session")
def offline_bundle(sample_site: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """The sample corpus packed as the offline bundle, and unzipped."""
    work = tmp_path_factory.mktemp("offline")
    result = build_bundle(
        sample_site["source"],
        None,
        config_file=sample_site["config"],
        docs_dir=sample_site["docs"],
        dist=work / "dist",
    )
    with zipfile.ZipFile(result.path) as archive:
        archive.extractall(work / "unpacked")
    (root,) = (work / "unpacked").iterdir()
    return Bundle(result, root)
