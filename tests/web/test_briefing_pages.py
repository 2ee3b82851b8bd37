"""The economy profile page and its downloads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from servtrade.config import Settings
from servtrade.db import upgrade


@pytest.fixture
def profile_client(loaded_settings: Settings) -> Iterator[TestClient]:
    from servtrade.web.app import create_app

    upgrade(loaded_settings.resolved_database_url)
    with TestClient(create_app(loaded_settings), raise_server_exceptions=False) as client:
        yield client


def test_profile_page_embeds_the_profile(profile_client: TestClient) -> None:
    page = profile_client.get("/observatory/profile", params={"economy": "China", "year": 2024})
    assert page.status_code == 200
    assert "<h1>China" in page.text and "3,175.6 billion yuan" in page.text
    assert "<style>" not in page.text  # the CSP forbids inline style; the page uses the stylesheet
    assert 'href="/observatory/profile.pdf?economy=CHN&amp;year=2024"' in page.text


def test_profile_html_download(profile_client: TestClient) -> None:
    got = profile_client.get("/observatory/profile.html", params={"economy": "CHN", "year": 2024})
    assert (got.status_code, got.headers["content-disposition"]) == (
        200,
        'attachment; filename="servtrade-profile-CHN-2024.html"',
    )
    assert got.text.startswith("<!doctype html>")


def test_profile_rejects_unknown_economy_and_bad_year(profile_client: TestClient) -> None:
    unknown = profile_client.get("/observatory/profile", params={"economy": "Atlantis"})
    assert unknown.status_code == 404
    assert "Atlantis" in unknown.text
    bad_year = profile_client.get("/observatory/profile", params={"economy": "CHN", "year": 99999})
    assert bad_year.status_code == 422
