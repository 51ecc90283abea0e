"""Named points where a fault test can stop a run and kill it there.

With ``ARCHIVE_PAUSE_AT=<point>`` and ``ARCHIVE_PAUSE_FILE=<path>`` in the
environment, a run that reaches ``<point>`` writes its process id to ``<path>``
and waits until the file is removed. A test then knows exactly where the run
is (no sleep races) and either kills it or lets it go on. Without the two
variables a pause point costs one dictionary look-up.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

POLL_SECONDS = 0.02


def pause_point(name: str) -> None:
    if os.environ.get("ARCHIVE_PAUSE_AT") != name:
        return
    marker = os.environ.get("ARCHIVE_PAUSE_FILE")
    if not marker:
        return
    path = Path(marker)
    path.write_text(f"{os.getpid()}\n", encoding="utf-8")
    while path.exists():
        time.sleep(POLL_SECONDS)
