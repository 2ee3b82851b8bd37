"""Stores kept between calls, for servers: one call at a time uses each.

Opening a :class:`~servtrade.stats.store.Store` connects DuckDB, and its first query of a
shape compiles it: together far more than a small query costs (bench/api_load.py measured
~45 ms against ~6 ms). A server keeps its stores and hands each to one caller at a time (a
DuckDB connection is never used by two threads at once). A kept store still sees new vintages:
it re-reads a dataset's manifests when the dataset's folder changes, and a view is keyed by the
files it reads.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from servtrade.config import Settings
from servtrade.stats.store import Store, open_store

MAX_KEPT_DIRS = 4  # store folders kept at once (a test process serves many)

_KEPT: dict[Path, queue.SimpleQueue[Store]] = {}
_LOCK = threading.Lock()


@contextmanager
def kept_store(settings: Settings) -> Iterator[Store]:
    """A store of ``settings``: an idle kept one, else a new one; kept again afterwards."""
    with _LOCK:
        idle = _KEPT.get(settings.store_dir)
        if idle is None:
            if len(_KEPT) >= MAX_KEPT_DIRS:
                del _KEPT[next(iter(_KEPT))]
            idle = _KEPT[settings.store_dir] = queue.SimpleQueue()
    try:
        store = idle.get_nowait()
    except queue.Empty:
        store = open_store(settings)
    try:
        yield store
    finally:
        idle.put(store)
