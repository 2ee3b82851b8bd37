"""Matchers kept between recommendations, keyed by everything they are built from.

Building a :class:`~servtrade.market.matching.Matcher` (text model, code similarities,
market table) costs most of a recommendation (bench/api_load.py), and every participant of a
fair asks the same fair's matcher. The key holds the fair's matching rows themselves (as a
fingerprint the database computes, :func:`~servtrade.market.queries.match_fingerprint`), the
date, the prohibited-pairs switch and the statistics store's state: a change to any of them
builds a new matcher. A kept matcher only memoises rules verdicts while it answers,
so callers in several threads may share it. A matcher's answers (one participant's
recommendations among the counterparts a viewer may see) are kept too, under the matcher's key,
so a changed fair never serves an old answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from servtrade.market.matching import Matcher

T = TypeVar("T")
KEPT = 8  # fairs at once
ANSWERS = 4096  # recommendation lists kept, least recently used dropped first


class MatcherMemo:
    """The last :data:`KEPT` matchers, by key."""

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, Matcher] = OrderedDict()
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
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

    def answer(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or its result kept under ``key`` (which must start with the
        matcher's own key). Kept results are shared: callers must not change them."""
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                found: T = self._answers[key]
                return found
        made = compute()
        with self._lock:
            self._answers[key] = made
            while len(self._answers) > ANSWERS:
                self._answers.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._answers.clear()
