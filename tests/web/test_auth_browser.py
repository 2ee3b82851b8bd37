"""Sign in, switch language, make a token and sign out in headless Chromium, with no CSP errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from servtrade.accounts.registration import create_admin
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.config import Settings
from servtrade.db import make_engine, make_session_factory

PASSWORD = "correct horse battery"
pytestmark = pytest.mark.browser


@pytest.fixture
def live_url(migrated_settings: Settings, app_server: Callable[[Settings], str]) -> str:
    engine = make_engine(migrated_settings.resolved_database_url)
    create_admin(make_session_factory(engine), AccountsRuntime(), "root@example.org", PASSWORD)
    engine.dispose()
    return app_server(migrated_settings)


def test_account_journey_in_both_languages(live_url: str, browser_page: Any) -> None:
    console: list[str] = []
    page = browser_page
    page.on("console", lambda m: console.append(m.text))
    signed_out = page.goto(live_url + "/account")
    assert signed_out is not None and signed_out.status == 401
    page.click("#sign-in")
    assert page.url == live_url + "/login?next=/account"
    page.fill("input[name=email]", "root@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    assert (page.url, page.locator("h1").inner_text()) == (live_url + "/account", "My account")
    page.select_option("select[name=lang]", "zh")
    page.click("form.language button")
    assert page.locator("h1").inner_text() == "我的账户"
    page.fill("input[name=name]", "notebook")
    page.click("#tokens form.inline button")
    assert page.locator("#new-token").inner_text().startswith("st_")
    page.click("#account form button")
    assert page.url == live_url + "/"
    assert [m for m in console if "Content Security Policy" in m] == []
