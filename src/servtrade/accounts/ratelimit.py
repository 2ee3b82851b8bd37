"""An in-process sliding-window rate limiter, one window per key, with an injectable clock.

One process serves one machine (DESIGN: scale-out moves the database, not this); several
worker processes each keep their own window, so the effective limit is per worker.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from servtrade.errors import ErrorDetail, RateLimitedError

Clock = Callable[[], float]


@dataclass
class SlidingWindow:
    """At most ``limit`` hits per ``window`` seconds for each key."""

    limit: int
    window: float
    name: str = "requests"
    clock: Clock = time.monotonic
    max_keys: int = 100_000  # bound memory under a flood of distinct keys
    _hits: dict[str, deque[float]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self.max_keys:
                self._prune(now)
            hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def _prune(self, now: float) -> None:
        stale = [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]
        for key in stale:
            del self._hits[key]
        if len(self._hits) >= self.max_keys:  # still full: forget the oldest half
            for key in list(self._hits)[: self.max_keys // 2]:
                del self._hits[key]

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may try again (0 when it may now)."""
        with self._lock:
            now = self.clock()
            hits = self._recent(key, now)
            if len(hits) < self.limit:
                return 0.0
            return max(0.0, hits[0] + self.window - now)

    def hit(self, key: str) -> None:
        """Count one attempt for ``key``; raise :class:`RateLimitedError` when over the limit."""
        with self._lock:
            now = self.clock()
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                wait = math.ceil(hits[0] + self.window - now)
                raise RateLimitedError(
                    f"too many {self.name}: at most {self.limit} per {self.window:g} s",
                    errors=[ErrorDetail("rate limited", field="retry_after", value=str(wait))],
                    hint=f"try again in {wait} s",
                )
            hits.append(now)

    def reset(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)
