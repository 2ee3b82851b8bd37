"""The fair as a person uses it in headless Chromium: overview, directory filter, explanations."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from servtrade.config import Settings
from servtrade.db import make_engine, make_session_factory
from servtrade.market import services

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.browser


@pytest.fixture
def live_url(migrated_settings: Settings) -> Iterator[str]:
    from servtrade.web.app import create_app

    engine = make_engine(migrated_settings.resolved_database_url)
    services.generate_fair(make_session_factory(engine), 30, 6, 5)
    engine.dispose()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(migrated_settings), host="127.0.0.1", port=port, log_level="error"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(live_url: str) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.base_url = live_url  # type: ignore[attr-defined]
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.console_errors = errors  # type: ignore[attr-defined]
        yield tab
        browser.close()


def test_overview_directory_and_recommendations(page: Any) -> None:
    page.goto(page.base_url + "/fair")
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
