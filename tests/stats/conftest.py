"""Stats fixtures: a fresh store per test and the small files in ``fixtures/`` (written for
these tests in the official layouts; their numbers are made up unless a test says otherwise)."""

from __future__ import annotations

from pathlib import Path

import pytest

from servtrade.config import Settings
from servtrade.stats.store import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def store(settings: Settings) -> Store:
    return open_store(settings)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
