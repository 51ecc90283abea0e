"""Build the search index on the other core while the pages are rendered.

The index is the largest single step of the builder's output (a third of it at
10k articles) and needs nothing but the search records, in document order, and
those are on disk already (``spool``). So a forked process builds it while the
parent renders the article, archive and tag pages, and hands the files over
through an unnamed temporary file; the parent yields them, in the order and with
the bytes ``iter_index_files`` gives in-process, once its own pages are done.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import tempfile
import traceback
from collections.abc import Iterator, Mapping, Sequence
from typing import BinaryIO

from builder.model import GeneratedFile
from builder.search.index import SearchRecord, iter_index_files


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class BackgroundIndex:
    """``iter_index_files`` of ``records[key] for key in keys``, computed in a
    forked process from the moment this is created; ``files()`` waits for it."""

    def __init__(self, keys: Sequence[str], records: Mapping[str, SearchRecord], base_note: str) -> None:
        self._output = tempfile.TemporaryFile(prefix="search-files-")  # noqa: SIM115 - closed in files()
        context = multiprocessing.get_context("fork")
        # The child never touches the parent's objects but its garbage collector
        # would walk them all, copying every page they sit on: freeze them first.
        gc.freeze()
        try:
            self._process = context.Process(
                target=_build, args=(keys, records, base_note, self._output.fileno()), daemon=True
            )
            self._process.start()
        finally:
            gc.unfreeze()

    def files(self) -> Iterator[GeneratedFile]:
        try:
            self._process.join()
            self._output.seek(0)
            if self._process.exitcode != 0:
                raise RuntimeError(f"the search index process failed:\n{_error(self._output)}")
            while True:
                try:
                    path, content = pickle.load(self._output)  # noqa: S301 - written by our own child process
                except EOFError:
                    return
                yield GeneratedFile(path, content)
        finally:
            self._output.close()

    def cancel(self) -> None:
        """Stop the child (the caller gave up before ``files()``)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._output.close()


def _build(keys: Sequence[str], records: Mapping[str, SearchRecord], base_note: str, descriptor: int) -> None:
    with os.fdopen(os.dup(descriptor), "wb") as output:
        try:
            for file in iter_index_files((records[key] for key in keys), base_note=base_note):
                pickle.dump((file.path, file.content), output, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            output.seek(0)
            output.truncate()
            output.write(traceback.format_exc().encode("utf-8", "replace"))
            output.flush()
            os._exit(1)


def _error(output: BinaryIO) -> str:
    return output.read().decode("utf-8", "replace")
