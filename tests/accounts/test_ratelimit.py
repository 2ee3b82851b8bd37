"""The sliding window: limits per key, frees up as time passes, bounded memory."""

from __future__ import annotations

import pytest

from servtrade.accounts.ratelimit import SlidingWindow
from servtrade.errors import RateLimitedError

from .support import FakeClock


def test_limit_per_key_and_window_slides() -> None:
    clock = FakeClock()
    window = SlidingWindow(limit=3, window=60, name="sign-in attempts", clock=clock)
    for _ in range(3):
        window.hit("ip:1")
        clock.advance(10)
    window.hit("ip:2")  # another key has its own window
    with pytest.raises(RateLimitedError) as info:
        window.hit("ip:1")
    assert info.value.to_dict() == {
        "ok": False,
        "error": "too many sign-in attempts: at most 3 per 60 s (try again in 30 s)",
        "errors": [{"message": "rate limited", "field": "retry_after", "value": "30"}],
        "status": 429,
        "code": "rate_limited",
    }
    assert window.retry_after("ip:1") == 30
    clock.advance(30)  # the first hit (t=0) leaves the window at t=60
    assert window.retry_after("ip:1") == 0
    window.hit("ip:1")
    window.reset("ip:1")
    assert window.retry_after("ip:1") == 0


def test_many_keys_are_pruned() -> None:
    clock = FakeClock()
    window = SlidingWindow(limit=1, window=1, clock=clock, max_keys=4)
    for n in range(4):
        window.hit(f"k{n}")
    clock.advance(2)
    window.hit("new")  # the stale keys are dropped to make room
    assert window.retry_after("new") == 1
    for n in range(10):  # all fresh: the oldest half goes
        window.hit(f"fresh{n}")
    assert window.retry_after("fresh9") == 1
