"""One writer at a time: an advisory lock on the folder a command writes into.

``build``, ``generate`` and ``bundle`` lock the project folder (where
``mkdocs.yml`` lives); ``ingest`` locks its ``--into`` folder. The lock is
``flock`` on the folder itself, so no lock file is left behind, and the kernel
drops it when the process ends however it ends: a lock left by a killed run
never blocks the next one.

A second run fails at once (exit code 75, "try again later") instead of
waiting. Two runs at once are almost always a duplicate trigger (an overlapping
cron job, two CI jobs, a double start); waiting would queue builds that redo the
same work and hide the overlap, while a distinct exit code lets a scheduler
retry on its own terms.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from builder.errors import BuilderError

if sys.platform != "win32":
    import fcntl


class BusyError(BuilderError):
    """Another run holds the lock on the folder."""


_HELD: set[int] = set()


def _close_in_child() -> None:
    # A forked worker must not keep the lock alive after its parent is killed.
    for descriptor in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(descriptor)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


@contextlib.contextmanager
def folder_lock(folder: Path, command: str) -> Iterator[None]:
    """Hold the lock on ``folder`` (created when missing) while the block runs."""
    if sys.platform == "win32":  # no advisory locks there: runs are not serialised
        yield
        return
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(
                f"{folder}: another build, generate, bundle or ingest is writing here; "
                f"run {command} again when it has finished"
            ) from None
        _HELD.add(descriptor)
        try:
            yield
        finally:
            _HELD.discard(descriptor)
            if created:  # a run that wrote nothing (an ingest that refused) leaves no empty folder behind
                with contextlib.suppress(OSError):
                    folder.rmdir()
    finally:
        os.close(descriptor)  # closing the last descriptor releases the lock
