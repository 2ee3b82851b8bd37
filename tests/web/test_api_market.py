"""``/api/market``: pagination, the one error shape, explained recommendations, no N+1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from access_support import bearer
from fastapi.testclient import TestClient
from sqlalchemy import event

from servtrade.accounts.roles import Role
from servtrade.config import load_settings
from servtrade.db import make_engine, make_session_factory, upgrade
from servtrade.market import services


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
        # an admin sees the whole fair; per-role views are in test_access_objects.py
        client.headers.update(bearer(client.app, "root@example.org", Role.ADMIN))
        yield client, fair.id


def _statements(client: TestClient, url: str) -> tuple[int, Any]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen), response


def test_fairs_and_kpis(fair_client: tuple[TestClient, int]) -> None:
    client, fair_id = fair_client
    fairs = client.get("/api/market/fairs").json()
    assert [(f["id"], f["synthetic"]) for f in fairs] == [(fair_id, True)]
    kpis = client.get(f"/api/market/fairs/{fair_id}/kpis").json()
    assert (kpis["exhibitors"], kpis["economies"], kpis["synthetic"]) == (30, 6, True)
    assert kpis["top_economies"]["available"] is False
    assert client.get(f"/api/market/fairs/{fair_id}").json()["name"] == fairs[0]["name"]


def test_exhibitor_pages_and_filters(fair_client: tuple[TestClient, int]) -> None:
    client, fair_id = fair_client
    first = client.get(f"/api/market/fairs/{fair_id}/exhibitors?limit=10&offset=0").json()
    second = client.get(f"/api/market/fairs/{fair_id}/exhibitors?limit=10&offset=10").json()
    assert (first["total"], first["limit"], first["offset"], len(first["items"])) == (30, 10, 0, 10)
    ids = {e["participant_id"] for e in first["items"]}
    assert ids.isdisjoint(e["participant_id"] for e in second["items"])
    economy = first["items"][0]["economy"]
    only = client.get(
        f"/api/market/fairs/{fair_id}/exhibitors?economy={economy.lower()}&limit=500"
    ).json()
    assert {e["economy"] for e in only["items"]} == {economy}


def test_list_endpoints_do_not_grow_with_the_page(fair_client: tuple[TestClient, int]) -> None:
    client, fair_id = fair_client
    client.get("/api/market/fairs")  # the token's first use of the run records its last use
    counts = []
    for url in (
        f"/api/market/fairs/{fair_id}/exhibitors?limit={{n}}",
        f"/api/market/fairs/{fair_id}/participants?limit={{n}}",
        "/api/market/listings?limit={n}",
    ):
        small, r1 = _statements(client, url.format(n=1))
        large, r2 = _statements(client, url.format(n=100))
        assert (r1.status_code, r2.status_code) == (200, 200)
        assert len(r2.json()["items"]) > len(r1.json()["items"]) == 1
        counts.append((small, large))
    # one statement resolves the token, one the fair, one the contact consents of the page
    assert all(small == large <= 6 for small, large in counts), counts


def test_recommendations_add_up_and_are_marked_synthetic(
    fair_client: tuple[TestClient, int],
) -> None:
    client, fair_id = fair_client
    buyers = client.get(f"/api/market/fairs/{fair_id}/participants?role=buyer&limit=1").json()
    buyer = buyers["items"][0]["id"]
    body = client.get(f"/api/market/participants/{buyer}/recommendations?k=5").json()
    assert (body["participant_id"], body["fair_id"], body["synthetic"]) == (buyer, fair_id, True)
    assert len(body["recommendations"]) == 5
    for rec in body["recommendations"]:
        assert abs(sum(f["contribution"] for f in rec["factors"]) - rec["score"]) < 1e-6


def test_errors_have_the_one_shape(fair_client: tuple[TestClient, int]) -> None:
    client, _ = fair_client
    missing = client.get("/api/market/participants/987654/recommendations")
    assert missing.status_code == 404
    assert missing.json() == {
        "ok": False,
        "error": "no participant with id 987654 (list participants with `servtrade market "
        "exhibitors` or /api/market/participants)",
        "errors": [],
        "status": 404,
        "code": "not_found",
    }
    bad = client.get("/api/market/fairs/1/exhibitors?limit=0")
    assert (bad.status_code, bad.json()["code"], bad.json()["errors"][0]["field"]) == (
        422,
        "validation_error",
        "query.limit",
    )


def test_marketplace_search(fair_client: tuple[TestClient, int]) -> None:
    client, _ = fair_client
    every = client.get("/api/market/listings?limit=500").json()
    category = every["items"][0]["category"]
    some = client.get(f"/api/market/listings?category={category}&limit=500").json()
    assert {x["category"] for x in some["items"]} == {category}
    assert some["total"] == sum(1 for x in every["items"] if x["category"] == category)
