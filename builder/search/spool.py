"""Search records kept on disk between reading and indexing.

Every article's ``SearchRecord`` is computed while it is read, but the index is
built only after every page is rendered. At 100k articles the records are
about 450 MB, which held in memory would sit under the build's peak. A
``RecordSpool`` appends them to a temporary file as they come (``add``) and
reads each back when asked. The process building the index (``background``)
opens the same file (``path``). On Linux the file has no name at all, so
nothing is left behind however the build ends; elsewhere it keeps a temporary
name until the spool is closed or dropped.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from builder.search.index import SearchRecord

Location = tuple[int, int, int]  # offset, size, length (the record's BM25 document length)


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


def _remove(descriptor: int, name: str | None) -> None:
    os.close(descriptor)
    if name is not None:
        Path(name).unlink(missing_ok=True)


class RecordSpool(Mapping[str, SearchRecord]):
    """A mapping of key → ``SearchRecord`` whose bytes live in a temporary
    file. Adding a key again replaces its record (the old bytes stay unused)."""

    def __init__(self, records: Iterable[tuple[str, SearchRecord]] = ()) -> None:
        self._fd, self.path, name = shared_temporary_file("search-records-")
        self._finalizer = weakref.finalize(self, _remove, self._fd, name)
        self._owner: RecordSpool | None = None  # for a view: the spool whose file it reads
        self._where: dict[str, Location] = {}
        self._end = 0
        for key, record in records:
            self.add(key, record)

    def only(self, keys: Iterable[str]) -> RecordSpool:
        """A read-only view of the records of ``keys`` (those it has), on the same file."""
        view = object.__new__(RecordSpool)
        view._fd, view.path, view._end = self._fd, self.path, self._end
        view._owner = self._owner or self  # keeps the file open while the view lives
        view._where = {key: self._where[key] for key in keys if key in self._where}
        return view

    def discard(self, key: str) -> None:
        self._where.pop(key, None)

    def add(self, key: str, record: SearchRecord) -> None:
        if self._owner is not None:
            raise TypeError("a view of a spool is read-only")
        written = os.pwrite(self._fd, record.packed, self._end)
        if written != len(record.packed):
            raise OSError("short write to the search records' temporary file")
        self._where[key] = (self._end, written, record.length)
        self._end += written

    def location(self, key: str) -> Location:
        return self._where[key]

    def __getitem__(self, key: str) -> SearchRecord:
        return read_record(self._fd, self._where[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def close(self) -> None:
        if self._owner is None:  # a view leaves the file to its owner
            self._finalizer()


def read_record(descriptor: int, location: Location) -> SearchRecord:
    offset, size, length = location
    return SearchRecord(length, os.pread(descriptor, size, offset))
