"""A store holding the bundled China releases (and WDI IP charges when ../shared is present)."""

from __future__ import annotations

from pathlib import Path

import pytest

from servtrade.config import Settings, load_settings
from servtrade.stats.bundled import load_bundled

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def loaded_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("briefing")
    shared = SHARED if SHARED.is_dir() else root / "no-shared"
    settings = load_settings(data_dir=root / "data", shared_dir=shared)
    load_bundled(settings)
    return settings
