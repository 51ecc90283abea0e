"""Build the search index on the other core while the pages are rendered.

The index is the largest single step of the builder's output (a third of it at
10k articles) and needs nothing but the search records, in document order, and
those are on disk already (``spool``). So a second process builds it while the
parent renders the article, archive and tag pages, and hands the files over
through a temporary file; the parent yields them, in the order and with the
bytes ``iter_index_files`` gives in-process, once its own pages are done.

The process is *spawned*, not forked: a fresh interpreter that holds only the
index it builds. A forked child would share the parent's pages, and every page
it touched (or the allocator reused) would be copied: at 100k articles that
doubled the index's cost in memory.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

from builder.model import GeneratedFile
from builder.search.index import SearchRecord, iter_index_files
from builder.search.spool import Location, RecordSpool, read_record
from builder.tempfiles import shared_temporary_file


class BackgroundIndex:
    """``iter_index_files`` of ``records[key] for key in keys``, computed in a
    spawned process from the moment this is created; ``files()`` waits for it."""

    def __init__(self, keys: Sequence[str], records: RecordSpool, base_note: str) -> None:
        # The child writes it through ``output_path``; closed (and, where it has a
        # name, removed) in files() or cancel().
        descriptor, output_path, self._output_name = shared_temporary_file("search-files-")
        self._output_file = os.fdopen(descriptor, "w+b")
        locations = [records.location(key) for key in keys]
        context = multiprocessing.get_context("spawn")
        self._process = context.Process(
            target=_build, args=(records.path, locations, base_note, output_path), daemon=True
        )
        self._process.start()

    def files(self) -> Iterator[GeneratedFile]:
        try:
            self._process.join()
            handle = self._output_file
            handle.seek(0)
            if self._process.exitcode != 0:
                message = handle.read().decode("utf-8", "replace") or f"exit code {self._process.exitcode}"
                raise RuntimeError(f"the search index process failed:\n{message}")
            while True:
                try:
                    path, content = pickle.load(handle)  # noqa: S301 - written by our own child process
                except EOFError:
                    return
                yield GeneratedFile(path, content)
        finally:
            self._close()

    def cancel(self) -> None:
        """Stop the child (the caller gave up before ``files()``)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._close()

    def _close(self) -> None:
        self._output_file.close()
        if self._output_name is not None:
            Path(self._output_name).unlink(missing_ok=True)


def _build(spool_path: str, locations: Sequence[Location], base_note: str, output_path: str) -> None:
    descriptor = os.open(spool_path, os.O_RDONLY)
    with Path(output_path).open("wb") as output:
        try:
            records: Iterator[SearchRecord] = (read_record(descriptor, where) for where in locations)
            for file in iter_index_files(records, base_note=base_note):
                pickle.dump((file.path, file.content), output, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            output.seek(0)
            output.truncate()
            output.write(traceback.format_exc().encode("utf-8", "replace"))
            output.flush()
            os._exit(1)
