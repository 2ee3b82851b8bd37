"""`/api/rules`: evaluate one case or a batch, list editions, show a measure; one error shape."""

from __future__ import annotations

from fastapi.testclient import TestClient

CASE = {
    "provider_economy": "USA",
    "provider_type": "individual",
    "buyer_economy": "CHN",
    "service": "gbt4754:F5182",
    "mode": 4,
    "on": "2024-05-01",
}


def test_evaluate_one_case(client: TestClient) -> None:
    response = client.post("/api/rules/evaluate", json={"case": CASE, "stri": False})
    assert response.status_code == 200
    verdict = response.json()["verdict"]
    assert (verdict["outcome"], verdict["measure_ids"], verdict["trace"]["node"]) == (
        "prohibited",
        ["CN-NAT-2024-005"],
        "case",
    )


def test_evaluate_a_batch_with_a_bad_case(client: TestClient) -> None:
    body = {
        "cases": [CASE, {**CASE, "mode": 3}, {**CASE, "service": "cpc:0"}],
        "explain": False,
        "stri": False,
    }
    response = client.post("/api/rules/evaluate", json=body)
    data = response.json()
    assert (response.status_code, data["count"]) == (200, 3)
    assert [v.get("outcome") for v in data["verdicts"]] == ["prohibited", "out_of_scope", None]
    assert data["verdicts"][2]["code"] == "unknown_code"
    assert "trace" not in data["verdicts"][0]


def test_evaluate_errors_use_the_one_error_shape(client: TestClient) -> None:
    response = client.post("/api/rules/evaluate", json={"case": {**CASE, "service": "SH"}})
    assert response.status_code == 404
    body = response.json()
    assert (body["ok"], body["code"], body["errors"][0]["field"]) == (
        False,
        "unknown_code",
        "service",
    )
    both = client.post("/api/rules/evaluate", json={"case": CASE, "cases": [CASE]})
    assert (both.status_code, both.json()["ok"]) == (422, False)
    too_many = client.post("/api/rules/evaluate", json={"cases": [CASE] * 1001})
    assert (too_many.status_code, too_many.json()["ok"]) == (422, False)


def test_lists_and_measures(client: TestClient) -> None:
    lists = client.get("/api/rules/lists", params={"on": "2021-09-01"}).json()["lists"]
    assert {entry["id"]: entry["status"] for entry in lists}["CN-HN-2021"] == "in force"
    one = client.get("/api/rules/lists/CN-FTZ-2024").json()
    assert (one["list"]["coverage"], one["measures"]) == (
        "CN-FTZ-2024: 0 of 68 measures encoded",
        [],
    )
    measure = client.get("/api/rules/measures/CN-NAT-2024-060").json()["measure"]
    assert (measure["item"], measure["binds"], measure["sector"]["whole"]) == (
        "60",
        ["individual"],
        ["w120:1.A.i", "cpc:932"],
    )
    missing = client.get("/api/rules/measures/CN-NAT-2024-999")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
