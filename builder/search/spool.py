"""Search records kept on disk between reading and indexing.

Every article's ``SearchRecord`` is computed while it is read, but the index is
built only after every page is rendered. At 100k articles the records are
about 450 MB, which held in memory would sit under the build's peak. A
``RecordSpool`` appends them to a temporary file as they come (``add``) and
reads each back when asked. The process building the index (``background``)
opens the same file (``path``); it is closed when the spool is closed or
dropped (see ``builder.tempfiles``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from builder.search.index import SearchRecord
from builder.tempfiles import ByteSpool, read_at

Location = tuple[int, int, int]  # offset, size, length (the record's BM25 document length)


class RecordSpool(Mapping[str, SearchRecord]):
    """A mapping of key → ``SearchRecord`` whose bytes live in a temporary
    file (``builder.tempfiles``). Adding a key again replaces its record (the
    old bytes stay unused)."""

    def __init__(self, records: Iterable[tuple[str, SearchRecord]] = ()) -> None:
        self._bytes = ByteSpool("search-records-")
        self.path = self._bytes.path  # for the search index process to open
        self._where: dict[str, Location] = {}
        self._read_only = False
        for key, record in records:
            self.add(key, record)

    def only(self, keys: Iterable[str]) -> RecordSpool:
        """A read-only view of the records of ``keys`` (those it has), on the same file."""
        view = object.__new__(RecordSpool)
        view._bytes, view.path, view._read_only = self._bytes, self.path, True
        view._where = {key: self._where[key] for key in keys if key in self._where}
        return view

    def discard(self, key: str) -> None:
        self._where.pop(key, None)

    def add(self, key: str, record: SearchRecord) -> None:
        if self._read_only:
            raise TypeError("a view of a spool is read-only")
        offset, size = self._bytes.append(record.packed)
        self._where[key] = (offset, size, record.length)

    def location(self, key: str) -> Location:
        return self._where[key]

    def __getitem__(self, key: str) -> SearchRecord:
        return read_record(self._bytes.descriptor, self._where[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def close(self) -> None:
        if not self._read_only:  # a view leaves the file to the spool it came from
            self._bytes.close()


def read_record(descriptor: int, location: Location) -> SearchRecord:
    offset, size, length = location
    return SearchRecord(length, read_at(descriptor, (offset, size)))
