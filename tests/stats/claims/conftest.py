"""Fixtures of the claim checker's tests."""

from __future__ import annotations

import pytest

from servtrade.config import Settings, load_settings


@pytest.fixture(scope="session")
def loaded_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A data directory whose store holds the bundled cn-mofcom-releases dataset."""
    from servtrade.stats.bundled import load_bundled

    root = tmp_path_factory.mktemp("observatory")
    settings = load_settings(data_dir=root / "data", shared_dir=root / "no-shared")
    load_bundled(settings)
    return settings
