"""Search records kept on disk between reading and indexing.

Every article's ``SearchRecord`` is computed while it is read, but the index is
built only after every page is rendered. At 100k articles the records are
about 450 MB, which held in memory would sit under the build's peak (the index
build's own postings). A ``RecordSpool`` writes them to an unnamed temporary
file as they come and reads each back when the index asks for it.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Mapping

from builder.search.index import SearchRecord


class RecordSpool(Mapping[str, SearchRecord]):
    """A read-only mapping of key → ``SearchRecord`` whose bytes live in a
    temporary file (removed by the system when the spool is dropped)."""

    def __init__(self, records: Iterable[tuple[str, SearchRecord]]) -> None:
        handle = tempfile.TemporaryFile(prefix="search-records-")  # noqa: SIM115 - closed by the finalizer
        self._finalizer = weakref.finalize(self, handle.close)
        self._where: dict[str, tuple[int, int, int]] = {}  # key → (offset, size, length)
        offset = 0
        for key, record in records:
            handle.write(record.packed)
            self._where[key] = (offset, len(record.packed), record.length)
            offset += len(record.packed)
        handle.flush()
        self._fd = handle.fileno()

    def __getitem__(self, key: str) -> SearchRecord:
        offset, size, length = self._where[key]
        return SearchRecord(length, os.pread(self._fd, size, offset))

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def close(self) -> None:
        self._finalizer()
