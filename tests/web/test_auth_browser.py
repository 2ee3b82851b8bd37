"""Sign in, switch language, make a token and sign out in headless Chromium, with no CSP errors."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from servtrade.accounts.registration import create_admin
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.config import Settings
from servtrade.db import make_engine, make_session_factory

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery"
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def live_url(migrated_settings: Settings) -> Iterator[str]:
    from servtrade.web.app import create_app

    engine = make_engine(migrated_settings.resolved_database_url)
    create_admin(make_session_factory(engine), AccountsRuntime(), "root@example.org", PASSWORD)
    engine.dispose()
    port = _free_port()
    config = uvicorn.Config(
        create_app(migrated_settings), host="127.0.0.1", port=port, log_level="error"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_account_journey_in_both_languages(live_url: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make browser installs it when root)")
    from playwright.sync_api import sync_playwright

    console: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        page = browser.new_page()
        page.on("console", lambda m: console.append(m.text))
        page.goto(live_url + "/account")
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
        browser.close()
    assert [m for m in console if "Content Security Policy" in m] == []
