"""``POST /api/stats/ingest``: analysts load a file as a new vintage; errors name the upload."""

from __future__ import annotations

import pytest
from access_support import bearer
from fastapi.testclient import TestClient

from servtrade.accounts.roles import Role

GOOD = "Country Name,Country Code,Year,Value\nKenya,KEN,2022,1000000\nKenya,KEN,2023,1500000\n"
BROKEN = GOOD + 'Kenya,KEN,"2024\n'


@pytest.fixture
def analyst(client: TestClient) -> dict[str, str]:
    return bearer(client.app, "analyst@example.org", Role.ANALYST)


def _upload(client: TestClient, headers: dict[str, str], text: str, **form: str) -> object:
    files = {"file": ("kenya_royl.csv", text.encode(), "text/csv")}
    return client.post("/api/stats/ingest", files=files, data=form, headers=headers)


def test_an_analyst_loads_a_file_and_the_value_answers(
    client: TestClient, analyst: dict[str, str]
) -> None:
    response = _upload(client, analyst, GOOD, series="BX.GSR.ROYL.CD")
    body = response.json()  # type: ignore[attr-defined]
    assert response.status_code == 200, body  # type: ignore[attr-defined]
    assert (body["file"], body["rows_read"], body["rows_stored"]) == ("kenya_royl.csv", 2, 2)
    value = client.get(
        "/api/stats/query/value?reporter=KEN&item=SH&flow=exports&period=2023"
    ).json()
    assert value["results"][0]["value"] == pytest.approx(1_500_000)


def test_errors_name_the_uploaded_file_not_the_scratch_copy(
    client: TestClient, analyst: dict[str, str]
) -> None:
    response = _upload(client, analyst, BROKEN, series="BX.GSR.ROYL.CD")
    text = response.text  # type: ignore[attr-defined]
    assert 400 <= response.status_code < 500, text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["ok"] is False and "servtrade-upload" not in text
    assert any(e.get("file") == "kenya_royl.csv" for e in body["errors"]) or (
        "kenya_royl.csv" in body["error"]
    )


def test_codes_in_the_form_are_checked(client: TestClient, analyst: dict[str, str]) -> None:
    response = _upload(client, analyst, GOOD, series="BX GSR; DROP")
    assert response.status_code == 422  # type: ignore[attr-defined]
