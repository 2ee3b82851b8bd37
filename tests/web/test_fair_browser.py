"""The fair as a person uses it in headless Chromium: overview, directory filter, explanations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from access_support import PASSWORD, browser_sign_in

from servtrade.accounts.registration import create_admin
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.config import Settings
from servtrade.db import make_engine, make_session_factory
from servtrade.market import services

pytestmark = pytest.mark.browser


@pytest.fixture
def live_url(migrated_settings: Settings, app_server: Callable[[Settings], str]) -> str:
    engine = make_engine(migrated_settings.resolved_database_url)
    factory = make_session_factory(engine)
    services.generate_fair(factory, 30, 6, 5)
    create_admin(factory, AccountsRuntime(), "root@example.org", PASSWORD)
    engine.dispose()
    return app_server(migrated_settings)


@pytest.fixture
def page(live_url: str, browser_page: Any) -> Any:
    browser_page.base_url = live_url
    errors: list[str] = []
    browser_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browser_page.console_errors = errors
    return browser_page


def test_overview_directory_and_recommendations(page: Any) -> None:
    browser_sign_in(page, page.base_url, "root@example.org", then="/fair")
    assert page.locator("#synthetic-banner").inner_text().startswith("SYNTHETIC")
    assert page.locator("#charts svg").count() == 4
    page.click("text=Exhibitor directory")
    assert page.locator("#count").inner_text().startswith("30 exhibitor(s)")
    zone = page.locator("select[name=zone] option").nth(1).inner_text()
    page.select_option("select[name=zone]", zone)
    page.click("button:has-text('Filter')")
    zones = page.locator("#exhibitors tbody tr td:nth-child(3)").all_inner_texts()
    assert zones and set(zones) == {zone}
    page.locator("#exhibitors a:has-text('buyers for them')").first.click()
    cards = page.locator("#recommendations .recommendation")
    assert cards.count() == 10
    first = cards.first.locator("table.factors tbody tr")
    assert first.count() == 9  # eight factors and the score row
    assert page.console_errors == []
