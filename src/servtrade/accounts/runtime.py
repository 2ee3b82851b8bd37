"""Process-wide account settings that tests and the app may choose: hasher, limits, lifetimes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from argon2 import PasswordHasher

from servtrade.accounts.passwords import default_hasher
from servtrade.accounts.ratelimit import Clock, SlidingWindow
from servtrade.db import utcnow

# OWASP authentication cheat sheet: throttle guessing per account and per source address.
LOGIN_LIMIT = (10, 300.0)  # 10 attempts per 5 minutes for one email or one address
WRITE_LIMIT = (120, 60.0)  # 120 writes per minute for one caller
SESSION_LIFETIME = timedelta(days=7)
INVITATION_LIFETIME = timedelta(days=14)


@dataclass
class AccountsRuntime:
    """What the account use cases need besides the database; one per app."""

    hasher: PasswordHasher = field(default_factory=default_hasher)
    clock: Clock = time.monotonic
    now: Callable[[], datetime] = utcnow
    session_lifetime: timedelta = SESSION_LIFETIME
    invitation_lifetime: timedelta = INVITATION_LIFETIME
    login_limiter: SlidingWindow = field(init=False)
    write_limiter: SlidingWindow = field(init=False)

    def __post_init__(self) -> None:
        self.login_limiter = SlidingWindow(*LOGIN_LIMIT, name="sign-in attempts", clock=self.clock)
        self.write_limiter = SlidingWindow(*WRITE_LIMIT, name="write requests", clock=self.clock)
