"""The fair pages: overview with KPIs and charts, directory, recommendations, marketplace."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from access_support import bearer
from fastapi.testclient import TestClient

from servtrade.accounts.roles import Role
from servtrade.config import load_settings
from servtrade.db import make_engine, make_session_factory, upgrade
from servtrade.market import services


@pytest.fixture(autouse=True)
def _signed_in(request: pytest.FixtureRequest) -> None:
    """These pages and routes are for signed-in users: the shared client carries a token."""
    if "client" in request.fixturenames:
        client = request.getfixturevalue("client")
        client.headers.update(bearer(client.app, "user@example.org", Role.ANALYST))


@pytest.fixture(scope="module")
def fair_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, int]]:
    """One app on one migrated database with a small synthetic fair; the tests only read."""
    from servtrade.web.app import create_app

    root = tmp_path_factory.mktemp("fairweb")
    settings = load_settings(data_dir=root / "data", shared_dir=root / "no-shared")
    settings.data_dir.mkdir(parents=True)
    upgrade(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    fair = services.generate_fair(make_session_factory(engine), 30, 6, 5)
    engine.dispose()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.headers.update(bearer(client.app, "root@example.org", Role.ADMIN))
        yield client, fair.id


def test_overview_without_a_fair_says_how_to_get_one(client: TestClient) -> None:
    page = client.get("/fair")
    assert page.status_code == 200
    assert 'id="no-fair"' in page.text and "servtrade market generate" in page.text


def test_overview_shows_kpis_charts_and_the_synthetic_label(
    fair_client: tuple[TestClient, int],
) -> None:
    client, fair_id = fair_client
    page = client.get(f"/fair?fair={fair_id}")
    assert page.status_code == 200
    assert 'id="synthetic-banner"' in page.text
    kpis = re.search(r"<th>Exhibitors</th><td class=\"num\">([\d,]+)</td>", page.text)
    assert kpis is not None and kpis.group(1) == "30"
    assert page.text.count("<svg") == 4
    assert "<script" not in page.text and "style=" not in page.text


def test_directory_filters_and_links_to_recommendations(
    fair_client: tuple[TestClient, int],
) -> None:
    client, fair_id = fair_client
    everyone = client.get(f"/fair/exhibitors?fair={fair_id}")
    assert "30 exhibitor(s), showing 1–25." in everyone.text
    assert (
        f"/fair/exhibitors?fair={fair_id}&zone=&economy=&service=&offset=25"
        in everyone.text.replace("&amp;", "&")
    )
    participant = re.search(r'href="/fair/participants/(\d+)"', everyone.text)
    assert participant is not None
    api = client.get(f"/api/market/fairs/{fair_id}/exhibitors?service=SI&limit=500").json()
    filtered = client.get(f"/fair/exhibitors?fair={fair_id}&service=SI")
    assert f"{api['total']} exhibitor(s)" in filtered.text
    recs = client.get(f"/fair/participants/{participant.group(1)}")
    assert recs.status_code == 200
    assert recs.text.count('class="card recommendation"') == 10
    assert "Evidence" in recs.text and "EBOPS 2010" in recs.text
    flagged = client.get(f"/fair/participants/{participant.group(1)}?flag_prohibited=true")
    assert "leave out pairs the rules prohibit" in flagged.text


def test_marketplace_page_searches(fair_client: tuple[TestClient, int]) -> None:
    client, _ = fair_client
    every = client.get("/api/market/listings?limit=500").json()
    word = every["items"][0]["title"].split(":")[-1].strip().split()[0]
    page = client.get(f"/fair/marketplace?q={word}")
    assert page.status_code == 200
    found = client.get(f"/api/market/listings?q={word}&limit=500").json()
    assert f"{found['total']} listing(s)." in page.text
    assert "Nothing found." in client.get("/fair/marketplace?q=zzzzqqqq").text


def test_unknown_participant_page_is_a_404_page(fair_client: tuple[TestClient, int]) -> None:
    client, _ = fair_client
    page = client.get("/fair/participants/987654")
    assert page.status_code == 404
    assert "no participant with id 987654" in page.text
