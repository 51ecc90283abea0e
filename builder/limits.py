"""Limits a source file must meet, shared by the build (which refuses) and ingest
(which must never write what the build would refuse)."""

from __future__ import annotations

import math

MAX_FILE_BYTES = 5 * 1024 * 1024  # far above any real article, far below a dump
_MB = 1024 * 1024


def megabytes(size: int) -> str:
    """``size`` in MB with one decimal, rounded up: a file over the limit never shows as the limit."""
    return f"{math.ceil(size * 10 / _MB) / 10:.1f} MB"


def size_problem(size: int) -> str | None:
    """Why a source file of ``size`` bytes is too large for the build, or None."""
    if size <= MAX_FILE_BYTES:
        return None
    return f"file is {megabytes(size)}; articles are limited to {MAX_FILE_BYTES // _MB} MB"
