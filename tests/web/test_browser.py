"""The landing page as a person sees it: headless Chromium renders the three areas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from servtrade.config import Settings

pytestmark = pytest.mark.browser


@pytest.fixture
def live_url(migrated_settings: Settings, app_server: Callable[[Settings], str]) -> str:
    return app_server(migrated_settings)


@pytest.fixture
def page(live_url: str, browser_page: object) -> object:
    return browser_page


def test_landing_page_shows_the_three_areas(page: object, live_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(live_url + "/")
    headings = page.locator(".area h2").all_inner_texts()
    assert headings == ["Observatory", "Rules", "Fair"]
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    assert (tmp_path / "home.png").stat().st_size > 10_000
    page.click("text=Check a case")
    assert page.url == live_url + "/rules"
    assert failed == []
