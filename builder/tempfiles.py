"""Bulk data of a build kept in temporary files instead of memory.

``ByteSpool`` appends byte strings to a temporary file and reads each back by
where it went; the search records (``builder.search.spool``) and MkDocs' pages
between its two passes (``builder.mkdocs_hooks``) wait in one. Another process
of this user can open the file by its ``path`` while the spool is open (the
search index process does). On Linux the file has no name at all, so nothing is
left behind however the build ends; elsewhere it keeps a temporary name until
the spool is closed or dropped.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from pathlib import Path

Where = tuple[int, int]  # offset, size


def shared_temporary_file(prefix: str) -> tuple[int, str, str | None]:
    """A new temporary file open for reading and writing: its descriptor, a path
    by which another process of this user can open it while this one keeps it
    open, and the name to remove when done (None: it has none). On Linux the
    name is removed at once and ``/proc/<pid>/fd/<n>`` reopens the file."""
    descriptor, name = tempfile.mkstemp(prefix=prefix)
    reopen = f"/proc/{os.getpid()}/fd/{descriptor}"
    if Path(reopen).exists():
        Path(name).unlink()
        return descriptor, reopen, None
    return descriptor, name, name


def _close(descriptor: int, name: str | None) -> None:
    os.close(descriptor)
    if name is not None:
        Path(name).unlink(missing_ok=True)


def read_at(descriptor: int, where: Where) -> bytes:
    offset, size = where
    return os.pread(descriptor, size, offset)


class ByteSpool:
    """Byte strings appended to a temporary file, each read back by ``Where``."""

    def __init__(self, prefix: str) -> None:
        self.descriptor, self.path, name = shared_temporary_file(prefix)
        self._finalizer = weakref.finalize(self, _close, self.descriptor, name)
        self._end = 0

    def append(self, data: bytes) -> Where:
        written = os.pwrite(self.descriptor, data, self._end)
        if written != len(data):
            raise OSError(f"short write to the temporary file {self.path}")
        where = (self._end, written)
        self._end += written
        return where

    def read(self, where: Where) -> bytes:
        return read_at(self.descriptor, where)

    def close(self) -> None:
        self._finalizer()
