"""``/api/market`` scheduler routes: run, page, agenda.ics, book, accept, cancel; auth rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from access_support import bearer
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient

from servtrade.accounts.roles import Role
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.config import load_settings
from servtrade.db import upgrade
from servtrade.market import models as m
from servtrade.market import services


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from servtrade.web.app import create_app

    root = tmp_path_factory.mktemp("schedapi")
    settings = load_settings(data_dir=root / "data", shared_dir=root / "no-shared")
    settings.data_dir.mkdir(parents=True)
    upgrade(settings.resolved_database_url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        app: Any = client.app
        app.state.accounts = AccountsRuntime(
            hasher=PasswordHasher.from_parameters(profiles.CHEAPEST)
        )
        factory = app.state.session_factory
        fair = services.generate_fair(factory, 30, 6, 5)
        yield {
            "client": client,
            "factory": factory,
            "fair": fair.id,
            "organiser": bearer(app, "org@example.org", Role.ORGANISER, fair_id=fair.id),
            "buyer": bearer(app, "buyer@example.org", Role.BUYER),
        }


def test_run_needs_an_organiser_and_returns_the_schedule(site: dict[str, Any]) -> None:
    client, fair = site["client"], site["fair"]
    anonymous = client.post(f"/api/market/fairs/{fair}/schedule", json={})
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "unauthenticated")
    buyer = client.post(f"/api/market/fairs/{fair}/schedule", json={}, headers=site["buyer"])
    assert (buyer.status_code, buyer.json()["code"]) == (403, "forbidden")
    bad = client.post(
        f"/api/market/fairs/{fair}/schedule", json={"solver": "magic"}, headers=site["organiser"]
    )
    assert bad.status_code == 422
    ran = client.post(
        f"/api/market/fairs/{fair}/schedule", json={"time_limit": 2}, headers=site["organiser"]
    )
    body = ran.json()
    assert (ran.status_code, body["fair_id"], body["solver"]) == (200, fair, "fast")
    theirs = client.get(f"/api/market/fairs/{fair}/schedule", headers=site["buyer"]).json()
    assert theirs["total"] == 0  # a buyer without an organisation has no meetings to see
    page = client.get(
        f"/api/market/fairs/{fair}/schedule?limit=5&offset=2", headers=site["organiser"]
    )
    listed = page.json()
    assert (listed["total"], listed["limit"], listed["offset"]) == (len(body["meetings"]), 5, 2)
    assert len(listed["items"]) == 5
    ids = sorted((x["starts_at"], x["table"], x["meeting_id"]) for x in body["meetings"])
    assert [x["meeting_id"] for x in listed["items"]] == [i for *_k, i in ids[2:7]]
    assert client.get(f"/api/market/fairs/{fair}/schedule").status_code == 401


def test_agenda_ics_is_a_calendar(site: dict[str, Any]) -> None:
    client, fair = site["client"], site["fair"]
    first = client.get(
        f"/api/market/fairs/{fair}/schedule?limit=1", headers=site["organiser"]
    ).json()
    person = first["items"][0]["participants"][0]["id"]
    got = client.get(f"/api/market/participants/{person}/agenda.ics", headers=site["organiser"])
    assert got.headers["content-type"] == "text/calendar; charset=utf-8"
    assert got.headers["content-disposition"] == f'attachment; filename="agenda-{person}.ics"'
    assert got.text.startswith("BEGIN:VCALENDAR\r\n") and got.text.endswith("END:VCALENDAR\r\n")
    assert f"UID:servtrade-meeting-{first['items'][0]['meeting_id']}@servtrade" in got.text
    missing = client.get("/api/market/participants/999999/agenda.ics", headers=site["organiser"])
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_accept_book_cancel(site: dict[str, Any]) -> None:
    client, fair, factory = site["client"], site["fair"], site["factory"]
    with factory() as session, session.begin():
        req = session.scalars(
            sa.select(m.MeetingRequest).where(
                m.MeetingRequest.fair_id == fair, m.MeetingRequest.status == "requested"
            )
        ).first()
        assert req is not None
        rid = req.id
        recipient = session.get(m.Participant, req.recipient_id)
        assert recipient is not None
        org = recipient.organisation_id
    side = bearer(
        client.app, "recipient@example.org", Role.BUYER,
        organisation_id=org, participant_id=req.recipient_id, fair_id=fair,
    )  # fmt: skip
    accepted = client.post(f"/api/market/requests/{rid}/accept?place=false", headers=side)
    assert accepted.json() == {
        "request_id": rid,
        "request_status": "accepted",
        "meetings": [],
        "moved": 0,
    }
    with factory() as session:
        busy = {
            (a.slot_id, a.participant_id) for a in session.scalars(sa.select(m.MeetingAttendee))
        }
        used = Counter(session.scalars(sa.select(m.Meeting.slot_id)))
        tables = session.scalar(
            sa.select(sa.func.count(m.MeetingTable.id)).where(m.MeetingTable.fair_id == fair)
        )
        slots = list(
            session.scalars(sa.select(m.MeetingSlot.id).where(m.MeetingSlot.fair_id == fair))
        )
    slot = next(
        s
        for s in slots
        if used[s] < tables
        and (s, req.requester_id) not in busy
        and (s, req.recipient_id) not in busy
    )
    booked = client.post(
        "/api/market/meetings", json={"request_id": rid, "slot_id": slot}, headers=side
    )
    meeting = booked.json()
    assert (booked.status_code, meeting["request_id"], meeting["slot_id"]) == (201, rid, slot)
    again = client.post(
        "/api/market/meetings", json={"request_id": rid, "slot_id": slot}, headers=side
    )
    assert (again.status_code, again.json()["error"]) == (
        409,
        f"request {rid} already has a meeting (cancel it first)",
    )
    cancelled = client.post(f"/api/market/meetings/{meeting['meeting_id']}/cancel", headers=side)
    assert (cancelled.status_code, cancelled.json()["cancelled"]) == (200, meeting["meeting_id"])
    assert cancelled.json()["moved"] == 0
    gone = client.post(f"/api/market/meetings/{meeting['meeting_id']}/cancel", headers=side)
    assert gone.status_code == 404
