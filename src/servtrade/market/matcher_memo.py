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

from collections.abc import Callable, Hashable
from typing import TypeVar

from servtrade.kept import Kept
from servtrade.market.matching import Matcher

T = TypeVar("T")
KEPT = 8  # fairs at once
ANSWERS = 4096  # recommendation lists kept, least recently used dropped first


class MatcherMemo:
    """The last :data:`KEPT` matchers, by key, and their answers (a matcher is built once,
    however many callers ask for it meanwhile)."""

    def __init__(self, size: int = KEPT) -> None:
        self._kept = Kept(size=size)
        self._answers = Kept(size=ANSWERS)

    def get(self, key: Hashable, build: Callable[[], Matcher]) -> Matcher:
        return self._kept.answer(key, build)

    def answer(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or its result kept under ``key`` (which must start with the
        matcher's own key). Kept results are shared: callers must not change them."""
        return self._answers.answer(key, compute)

    def clear(self) -> None:
        self._kept.clear()
        self._answers.clear()
