"""A time bound on one item's reading, so no single input can stall a run."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class OverBudget(BaseException):
    """The time bound ran out. A BaseException, so no ``except Exception`` in the
    code being bounded (a parser's, a reader's) can swallow it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`OverBudget` in the block once ``seconds`` have passed.

    A real-time alarm interrupts pure-Python loops and regular expressions alike.
    Only the main thread receives signals: elsewhere (or without SIGALRM) the
    block runs unbounded, as before, and the structural bounds still apply."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not usable:
        yield
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise OverBudget

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
