"""``POST /api/stats/check``."""

from __future__ import annotations

import pytest
from access_support import bearer
from fastapi.testclient import TestClient

from servtrade.accounts.roles import Role

ACCEPTANCE_1 = (
    "China's services exports were $219.1 bn in 2014 and $445.9 bn in 2024, with "
    "average annual growth of 7.3 percent."
)


@pytest.fixture(autouse=True)
def _signed_in(request: pytest.FixtureRequest) -> None:
    """These pages and routes are for signed-in users: the shared client carries a token."""
    if "client" in request.fixturenames:
        client = request.getfixturevalue("client")
        client.headers.update(bearer(client.app, "user@example.org", Role.ANALYST))


def test_check_one_text(client: TestClient) -> None:
    response = client.post("/api/stats/check", json={"text": ACCEPTANCE_1, "date": "2025-03-12"})
    body = response.json()
    assert (response.status_code, body["ok"], body["summary"], body["sources"]) == (
        200,
        True,
        {"consistent": 0, "within_rounding": 1, "inconsistent": 0, "not_checkable": 2},
        [],
    )
    claim = body["documents"][0]["claims"][2]
    assert {k: claim[k] for k in ("id", "span", "kind", "verdict")} == {
        "id": "text:3",
        "span": {"start": ACCEPTANCE_1.index("average"), "end": len(ACCEPTANCE_1) - 1},
        "kind": "average_growth",
        "verdict": "within_rounding",
    }
    assert (round(claim["computed"], 2), round(claim["difference"], 2)) == (7.36, 0.06)


def test_documents_are_checked_together(client: TestClient) -> None:
    docs = [
        {"name": "a", "text": "In 2024, services trade reached 7.5 trillion yuan."},
        {"name": "a", "text": "In 2024, services trade reached 7.52 trillion yuan."},
    ]
    response = client.post(
        "/api/stats/check", json={"documents": docs, "date": "2025-02-01", "observatory": False}
    )
    names = [d["name"] for d in response.json()["documents"]]
    checks = [c["check"] for d in response.json()["documents"] for c in d["claims"][0]["checks"]]
    assert (names, checks) == (["a1", "a2"], ["across_documents", "across_documents"])


def test_errors_use_the_one_json_shape(client: TestClient) -> None:
    empty = client.post("/api/stats/check", json={})
    assert (empty.status_code, empty.json()["ok"], empty.json()["code"]) == (
        422,
        False,
        "validation_error",
    )
    huge = client.post(
        "/api/stats/check",
        content=b'{"text": "' + b"a" * 1_000_001 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert (huge.status_code, huge.json()["code"], huge.json()["errors"][0]["field"]) == (
        413,
        "payload_too_large",
        "body",
    )


def test_checks_against_the_loaded_observatory(migrated_settings: object) -> None:
    from servtrade.config import Settings
    from servtrade.stats.bundled import load_bundled
    from servtrade.web.app import create_app

    assert isinstance(migrated_settings, Settings)
    load_bundled(migrated_settings)
    text = "Since 2012, China's services trade has grown at an average annual rate of 6.7%."
    with TestClient(create_app(migrated_settings)) as client:
        client.headers.update(bearer(client.app, "root@example.org", Role.ADMIN))
        body = client.post("/api/stats/check", json={"text": text, "date": "2025-09-12"}).json()
    claim = body["documents"][0]["claims"][0]
    assert (body["sources"], claim["verdict"], claim["checks"][0]["data"]["periods"]) == (
        ["observatory series"],
        "inconsistent",
        ["2012", "2024"],
    )
