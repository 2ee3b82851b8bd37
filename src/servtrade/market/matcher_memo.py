"""Matchers kept between recommendations, keyed by everything they are built from.

Building a :class:`~servtrade.market.matching.Matcher` (text model, code similarities,
market table) costs most of a recommendation (bench/api_load.py), and every participant of a
fair asks the same fair's matcher. The key holds the fair's matching rows themselves (as a
digest), the date, the prohibited-pairs switch and the statistics store's state: a change to
any of them builds a new matcher. A kept matcher only memoises rules verdicts while it answers,
so callers in several threads may share it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from servtrade.market.matching import Matcher

KEPT = 8  # fairs at once


def digest(rows: Any) -> str:
    """A fingerprint of plain rows (tuples, lists, numbers, strings, dates)."""
    return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()


class MatcherMemo:
    """The last :data:`KEPT` matchers, by key."""

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, Matcher] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], Matcher]) -> Matcher:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        made = build()  # outside the lock: another fair need not wait
        with self._lock:
            self._kept[key] = made
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
