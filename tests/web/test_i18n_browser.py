"""The language switch in headless Chromium: one click in the header turns the page Chinese,
returns to the same page, and (signed in) is kept on the account; screenshots of the main
pages in Chinese for a person to look at."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from servtrade.accounts.registration import create_admin
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.config import Settings, load_settings
from servtrade.db import make_engine, make_session_factory, upgrade
from servtrade.market import services
from servtrade.stats.bundled import load_bundled

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
SHOTS = ("/", "/observatory", "/fair")


@pytest.fixture
def live_url(
    tmp_path: Path, loaded_settings: Settings, app_server: Callable[[Settings], str]
) -> str:
    settings = load_settings(data_dir=tmp_path / "data", shared_dir=loaded_settings.shared_dir)
    load_bundled(settings)
    upgrade(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    factory = make_session_factory(engine)
    services.generate_fair(factory, 30, 6, 5)
    create_admin(factory, AccountsRuntime(), "root@example.org", PASSWORD)
    engine.dispose()
    return app_server(settings)


def _state(page: Any) -> tuple[str, str, str]:
    """The page's ``<html lang>``, its first heading and its first navigation label."""
    return (
        page.get_attribute("html", "lang"),
        page.locator("main h1").first.inner_text(),
        page.locator("header.site nav a").first.inner_text(),
    )


def test_switch_language_from_the_header(live_url: str, browser_page: Any, tmp_path: Path) -> None:
    page, console = browser_page, []
    page.on("console", lambda m: console.append(m.text))
    here = f"{live_url}/observatory?economy=USA&item=S&flow=imports"
    page.goto(here)
    assert _state(page) == ("en", "Observatory", "Home")
    page.click("header.site form.lang-switch button")
    assert (page.url, _state(page)) == (here, ("zh-CN", "数据观测", "首页"))
    # signed in, the account's language applies; switching stores it on the account
    page.goto(f"{live_url}/login?next=/fair")
    page.fill("input[name=email]", "root@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    assert (page.url, _state(page)[0]) == (f"{live_url}/fair", "en")
    page.click("header.site form.lang-switch button")
    assert (page.url, _state(page)[0], _state(page)[2]) == (f"{live_url}/fair", "zh-CN", "首页")
    page.context.clear_cookies(name="servtrade_lang")
    shots = []
    for path in SHOTS:
        page.goto(live_url + path)
        assert _state(page)[0] == "zh-CN", path
        shot = tmp_path / f"zh-{path.strip('/') or 'home'}.png"
        page.screenshot(path=str(shot), full_page=True)
        shots.append(shot.stat().st_size > 10_000)
    assert shots == [True] * len(SHOTS)
    assert [m for m in console if "Content Security Policy" in m] == []
