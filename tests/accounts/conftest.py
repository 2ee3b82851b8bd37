"""Fixtures of the accounts tests: a migrated database, a cheap hasher and a fake clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.runtime import AccountsRuntime
from servtrade.config import Settings
from servtrade.db import make_engine, make_session_factory

from .support import FakeClock, cheap_hasher


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def runtime(clock: FakeClock) -> AccountsRuntime:
    return AccountsRuntime(hasher=cheap_hasher(), clock=clock, now=clock.now)


@pytest.fixture
def factory(migrated_settings: Settings) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(migrated_settings.resolved_database_url)
    yield make_session_factory(engine)
    engine.dispose()
