"""The API under generated requests (schemathesis, in process): no server error, and every
error answer in the one JSON error shape. A small run of ``bench/api_fuzz.py``; the bugs the
full run found are locked here as plain regression tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import _apifuzz as fuzzing  # the shared helper lives in bench/

HUGE = 10**22  # beyond any 64-bit id


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[fuzzing.Site]:
    with fuzzing.open_site(tmp_path_factory.mktemp("fuzz")) as opened:
        yield opened


def _shape(response: Any) -> list[str]:
    content_type = response.headers.get("content-type", "")
    return fuzzing.error_shape_problems(response.status_code, content_type, response.content)


@pytest.mark.slow
def test_generated_requests_meet_no_server_error_and_one_error_shape(site: fuzzing.Site) -> None:
    tally = fuzzing.fuzz(site, per_family=0, min_per_operation=24, seed=9)
    found = fuzzing.summary(tally, 0.0)
    ops = fuzzing.operations(site)
    assert {o.label for o in ops} <= set(found["operations"]), "an operation got no request"
    assert {o.family for o in ops} >= {"health", "vocab", "stats", "claims", "rules", "market"}
    shown = "\n".join(f"{f['operation']} {f['status']}: {f['problem']}" for f in found["findings"])
    assert (found["server_errors"], found["shape_violations"]) == (0, 0), shown
    statuses = {s for fam in found["families"].values() for s in fam["statuses"]}
    assert {"200", "401", "404", "422"} <= statuses  # reached handlers, auth and validation


def test_the_checker_refuses_other_shapes() -> None:
    good = b'{"ok": false, "error": "x", "errors": [{"message": "m"}], "status": 404, "code": "n"}'
    assert fuzzing.error_shape_problems(404, "application/json", good) == []
    assert fuzzing.error_shape_problems(404, "text/html; charset=utf-8", b"<p>") == [
        "content type is 'text/html; charset=utf-8', not application/json"
    ]
    assert fuzzing.error_shape_problems(400, "application/json", good) == [
        "status field 404 differs from HTTP 400"
    ]
    assert fuzzing.error_shape_problems(422, "application/json", b'{"detail": []}') == [
        "body: 'ok' is a required property",
        "body: 'error' is a required property",
        "body: 'errors' is a required property",
        "body: 'status' is a required property",
        "body: 'code' is a required property",
        "body: Additional properties are not allowed ('detail' was unexpected)",
        "status field None differs from HTTP 422",
    ]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/api/market/fairs/{HUGE}/exhibitors"),
        ("GET", f"/api/market/fairs/{HUGE}/kpis"),
        ("GET", f"/api/market/participants/{HUGE}/recommendations"),
        ("GET", f"/api/market/listings?offset={HUGE}"),
        ("GET", f"/api/market/fairs/{HUGE}/schedule"),
        ("POST", f"/api/market/meetings/{HUGE}/cancel"),
        ("DELETE", f"/api/accounts/tokens/{HUGE}"),
    ],
)
def test_a_number_beyond_64_bits_is_a_422_not_a_crash(
    site: fuzzing.Site, method: str, path: str
) -> None:
    got = site.client.request(method, path, headers=site.admin)
    body = got.json()
    assert (got.status_code, body["code"], _shape(got)) == (422, "validation_error", [])
    assert body["error"] == "invalid request: a number is out of range"


def test_a_booking_with_a_huge_request_id_is_a_422(site: fuzzing.Site) -> None:
    got = site.client.post(
        "/api/market/meetings", json={"request_id": HUGE, "slot_id": 1}, headers=site.admin
    )
    assert (got.status_code, got.json()["code"], _shape(got)) == (422, "validation_error", [])


def test_an_invitation_to_a_missing_fair_is_a_404_naming_the_field(site: fuzzing.Site) -> None:
    got = site.client.post(
        "/api/accounts/invitations", json={"role": "buyer", "fair_id": 987654}, headers=site.admin
    )
    body = got.json()
    assert (got.status_code, body["code"], _shape(got)) == (404, "not_found", [])
    assert body["error"] == (
        "no fair with id 987654 (leave out fair_id, or use the id of an existing fair)"
    )
    assert body["errors"] == [{"message": "no such fair", "field": "fair_id", "value": "987654"}]


def test_the_exact_solver_takes_any_whole_seed(site: fuzzing.Site) -> None:
    fair = max(site.known["fair_id"])
    got = site.client.post(
        f"/api/market/fairs/{fair}/schedule",
        json={"solver": "exact", "seed": 22956755516878, "time_limit": 2},
        headers=site.admin,
    )
    assert (got.status_code, got.json()["solver"]) == (200, "exact")
