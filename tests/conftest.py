"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from servtrade.config import Settings, load_settings
from servtrade.db import upgrade

pytest_plugins = ["briefing_fixtures"]

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's SERVTRADE_* settings."""
    import os

    for name in list(os.environ):
        if name.startswith("SERVTRADE_") and name != "SERVTRADE_TEST_DATABASE_URL":
            monkeypatch.delenv(name)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh data directory and SQLite database."""
    return load_settings(data_dir=tmp_path / "data", shared_dir=tmp_path / "no-shared")


@pytest.fixture
def migrated_settings(settings: Settings) -> Settings:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    return settings


@pytest.fixture
def client(migrated_settings: Settings) -> Iterator[TestClient]:
    """The web app on a migrated SQLite database."""
    from servtrade.web.app import create_app

    with TestClient(create_app(migrated_settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The public datasets beside the checkout; tests that need them skip without them."""
    if not SHARED.is_dir():
        pytest.skip(f"public datasets not found at {SHARED} (../shared beside the checkout)")
    return SHARED
