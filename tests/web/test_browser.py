"""The landing page as a person sees it: headless Chromium renders the three areas."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from servtrade.config import Settings

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def live_url(migrated_settings: Settings) -> Iterator[str]:
    from servtrade.web.app import create_app

    port = _free_port()
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
def page(live_url: str) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make browser installs it when root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()


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
