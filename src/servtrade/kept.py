"""Answers kept in a server process: a bounded store, least recently used dropped first, where
callers asking for the same answer while it is computed wait for that one computation.

Each user says what its key holds (the question and the state its answer was computed from):
``stats.pool`` (per statistics store state), ``market.matcher_memo`` (per fingerprint of a
fair's matching rows) and ``db.kept_read`` (per PostgreSQL snapshot). Nothing here expires by
time: a key that names the state can never serve an answer older than a fresh one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
WAIT_SECONDS = 30.0  # a caller waits this long for another's computation of the same answer


class Kept:
    """At most ``size`` answers by key. Errors are never kept; kept answers are shared, so
    callers must not change them."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    def answer(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The kept answer under ``key``, else ``compute()`` kept. Callers asking for the same
        key meanwhile wait for that one computation instead of repeating it (after a write,
        every request of a busy page would otherwise recompute it at once)."""
        while True:
            with self._lock:
                if key in self._kept:
                    self._kept.move_to_end(key)
                    found: T = self._kept[key]
                    return found
                running = self._running.get(key)
                if running is None:
                    running = self._running[key] = threading.Event()
                    break
            if not running.wait(WAIT_SECONDS):  # stuck: compute it here as well
                return compute()
        try:
            made = compute()
            with self._lock:
                self._kept[key] = made
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
            return made
        finally:  # an error is not kept: a waiting caller computes (and may raise) itself
            with self._lock:
                del self._running[key]
            running.set()

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
