"""Stores kept between calls, for servers: one call at a time uses each.

Opening a :class:`~servtrade.stats.store.Store` connects DuckDB, and its first query of a
shape compiles it: together far more than a small query costs (bench/api_load.py measured
~45 ms against ~6 ms). A server keeps a few stores per folder and hands each to one caller at a
time (a DuckDB connection is never used by two threads at once); when all are busy, a caller
waits for one rather than opening and warming yet another. A kept store still sees new
vintages: it re-reads a dataset's manifests when the dataset's folder changes, and a view is
keyed by the files it reads.

Answers are kept too (:func:`kept_answer`): a query's result depends only on the store's
published vintages, and publishing renames a vintage folder into its dataset's folder, which
changes that folder's modification time. :func:`store_stamp` reads those times (one directory
listing), so a kept answer is used only while no vintage was published or removed since.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from servtrade.config import Settings
from servtrade.kept import Kept
from servtrade.stats.store import Store, open_store

T = TypeVar("T")

MAX_KEPT_DIRS = 4  # store folders kept at once (a test process serves many)
STORES_PER_DIR = 4  # DuckDB runs a query outside the GIL: a few stores serve a few at once
WAIT_SECONDS = 30.0  # then open one more rather than wait on a stuck query
KEPT_ANSWERS = 512  # answers kept per process, least recently used dropped first


@dataclass
class _Kept:
    idle: queue.Queue[Store] = field(default_factory=queue.Queue)
    opened: int = 0


_KEPT: dict[Path, _Kept] = {}
_LOCK = threading.Lock()


def _take(settings: Settings) -> tuple[_Kept, Store | None]:
    with _LOCK:
        kept = _KEPT.get(settings.store_dir)
        if kept is None:
            if len(_KEPT) >= MAX_KEPT_DIRS:
                del _KEPT[next(iter(_KEPT))]
            kept = _KEPT[settings.store_dir] = _Kept()
        try:
            return kept, kept.idle.get_nowait()
        except queue.Empty:
            if kept.opened < STORES_PER_DIR:
                kept.opened += 1
                return kept, None
    try:
        return kept, kept.idle.get(timeout=WAIT_SECONDS)
    except queue.Empty:
        return kept, None


@contextmanager
def kept_store(settings: Settings) -> Iterator[Store]:
    """A store of ``settings``: an idle kept one, a new one while fewer than
    :data:`STORES_PER_DIR` exist, else the next one freed; kept again afterwards."""
    kept, store = _take(settings)
    if store is None:
        store = open_store(settings)
    try:
        yield store
    finally:
        kept.idle.put(store)


Stamp = tuple[tuple[str, int], ...]


def store_stamp(settings: Settings) -> Stamp:
    """The store's published state: each dataset folder with its modification time in
    nanoseconds (empty when there is none). Publishing or removing a vintage changes it."""
    try:
        with os.scandir(settings.store_dir / "parquet") as found:
            return tuple(sorted((e.name, e.stat().st_mtime_ns) for e in found if e.is_dir()))
    except FileNotFoundError:
        return ()


_ANSWERS = Kept(size=KEPT_ANSWERS)


def kept_answer(settings: Settings, key: Hashable, compute: Callable[[Store], T]) -> T:
    """``compute(store)``, or the answer kept from an earlier call with the same ``key`` on the
    same store state. ``key`` names the question fully (every argument that shapes the answer);
    errors are raised, never kept. Answers are shared between callers: they must not be
    changed."""

    def computed() -> T:
        with kept_store(settings) as store:
            return compute(store)

    return _ANSWERS.answer((settings.store_dir.resolve(), store_stamp(settings), key), computed)
