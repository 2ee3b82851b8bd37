"""Object-level access: for every object endpoint, another participant or role gets 403 or 404.

One synthetic fair; users made through invitations: two exhibitors of different
organisations (``a``, ``b``), a buyer (``c``), the fair's organiser, the organiser of another
fair, an analyst and a public account. 404 means the caller may not even know the object
exists; 403 that it may see it but not do this.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from access_support import bearer
from fastapi.testclient import TestClient

from servtrade.accounts.roles import Role
from servtrade.config import load_settings
from servtrade.db import upgrade
from servtrade.market import models as m
from servtrade.market import services

CSV = b"external_id,name,economy\norg-x,X Ltd,CHN\n"


def _people(factory: Any, fair_id: int, role: str) -> list[m.Participant]:
    with factory() as session:
        return list(
            session.scalars(
                sa.select(m.Participant)
                .join(m.ParticipantRole, m.ParticipantRole.participant_id == m.Participant.id)
                .where(m.Participant.fair_id == fair_id, m.ParticipantRole.role == role)
                .where(m.Participant.visibility == "public")
                .order_by(m.Participant.id)
            )
        )


def _user(app: Any, email: str, role: Role, who: m.Participant | None, fair: int) -> dict[str, str]:
    links: dict[str, int | None] = {"fair_id": fair}
    if who is not None:
        links |= {"organisation_id": who.organisation_id, "participant_id": who.id}
    return bearer(app, email, role, **links)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from servtrade.web.app import create_app

    root = tmp_path_factory.mktemp("objects")
    settings = load_settings(data_dir=root / "data", shared_dir=root / "no-shared")
    settings.data_dir.mkdir(parents=True)
    upgrade(settings.resolved_database_url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        app: Any = client.app
        factory = app.state.session_factory
        fair = services.generate_fair(factory, 30, 6, 5).id
        other_fair = services.generate_fair(factory, 8, 3, 11).id
        exhibitors = _people(factory, fair, "exhibitor")
        a = exhibitors[0]
        b = next(p for p in exhibitors if p.organisation_id != a.organisation_id)
        c = next(p for p in _people(factory, fair, "buyer") if p.consent_matchmaking)
        hidden = next(
            p for p in exhibitors if p.organisation_id not in (a.organisation_id, b.organisation_id)
        )
        with factory() as session, session.begin():
            session.get(m.Participant, hidden.id).visibility = "hidden"  # type: ignore[union-attr]
            session.get(m.Participant, b.id).email = "bo@b.example"  # type: ignore[union-attr]
        yield {
            "client": client,
            "factory": factory,
            "fair": fair,
            "a": a,
            "b": b,
            "c": c,
            "hidden": hidden,
            "as_a": _user(app, "a@example.org", Role.EXHIBITOR, a, fair),
            "as_b": _user(app, "b@example.org", Role.EXHIBITOR, b, fair),
            "as_c": _user(app, "c@example.org", Role.BUYER, c, fair),
            "organiser": _user(app, "org@example.org", Role.ORGANISER, None, fair),
            "stranger": _user(app, "org2@example.org", Role.ORGANISER, None, other_fair),
            "analyst": bearer(app, "analyst@example.org", Role.ANALYST),
            "public": bearer(app, "public@example.org", Role.PUBLIC),
        }


def _status(site: dict[str, Any], who: str, method: str, url: str, **kw: Any) -> int:
    response = site["client"].request(method, url, headers=site[who], **kw)
    if response.status_code >= 400:
        body = response.json()  # always the one JSON shape
        assert body["ok"] is False and body["status"] == response.status_code
    return int(response.status_code)


def test_recommendations_requests_and_agendas_are_private(site: dict[str, Any]) -> None:
    a = site["a"].id
    for path in ("recommendations", "requests", "agenda", "agenda.ics"):
        url = f"/api/market/participants/{a}/{path}"
        assert _status(site, "as_a", "GET", url) == 200, path
        assert _status(site, "organiser", "GET", url) == 200, path
        for other in ("as_b", "as_c", "stranger", "analyst", "public"):
            assert _status(site, other, "GET", url) == 404, (path, other)


def test_hidden_participants_are_not_found_and_not_listed(site: dict[str, Any]) -> None:
    client, fair, hidden = site["client"], site["fair"], site["hidden"].id
    assert _status(site, "as_a", "GET", f"/api/market/participants/{hidden}") == 404
    assert _status(site, "organiser", "GET", f"/api/market/participants/{hidden}") == 200
    for url in (
        f"/api/market/fairs/{fair}/participants?limit=500",
        f"/api/market/fairs/{fair}/exhibitors?limit=500",
    ):
        key = "id" if "participants" in url else "participant_id"
        seen = {x[key] for x in client.get(url, headers=site["as_a"]).json()["items"]}
        staff = {x[key] for x in client.get(url, headers=site["organiser"]).json()["items"]}
        assert hidden not in seen and hidden in staff
    recommended = client.get(
        f"/api/market/participants/{site['a'].id}/recommendations?k=100", headers=site["as_a"]
    ).json()["recommendations"]
    assert hidden not in {r["participant_id"] for r in recommended}


def test_contact_details_need_consent(site: dict[str, Any]) -> None:
    client, b = site["client"], site["b"].id
    own = client.get(f"/api/market/participants/{b}", headers=site["as_b"]).json()
    assert own["email"]
    for other in ("as_a", "organiser"):  # not even the organiser without consent
        seen = client.get(f"/api/market/participants/{b}", headers=site[other]).json()
        assert seen["email"] is None, other
    shared = client.put(
        "/api/accounts/me/contact-consent", json={"share_contact": True}, headers=site["as_b"]
    )
    assert shared.status_code == 200, shared.text
    seen = client.get(f"/api/market/participants/{b}", headers=site["as_a"]).json()
    assert seen["email"] == own["email"]
    client.put(
        "/api/accounts/me/contact-consent", json={"share_contact": False}, headers=site["as_b"]
    )


def test_requests_only_by_and_for_their_sides(site: dict[str, Any]) -> None:
    client, a, c = site["client"], site["a"].id, site["c"].id
    on_behalf = {"recipient_id": c, "requester_id": site["b"].id}
    assert _status(site, "as_a", "POST", "/api/market/requests", json=on_behalf) in (403, 404)
    assert _status(site, "analyst", "POST", "/api/market/requests", json={"recipient_id": c}) in (
        403,
        422,
    )
    hidden = {"recipient_id": site["hidden"].id}
    assert _status(site, "as_a", "POST", "/api/market/requests", json=hidden) == 404
    made = client.post(
        "/api/market/requests", json={"recipient_id": c, "message": "hi"}, headers=site["as_a"]
    )
    if made.status_code == 409:  # the synthetic fair already holds this request
        found = client.get(f"/api/market/participants/{a}/requests", headers=site["as_a"])
        rid = next(r["id"] for r in found.json()["outgoing"] if r["recipient"]["id"] == c)
    else:
        assert made.status_code == 201, made.text
        rid = made.json()["id"]
    for verb in ("accept", "decline"):
        url = f"/api/market/requests/{rid}/{verb}"
        assert _status(site, "as_a", "POST", url) == 403, verb  # the requester cannot answer
        assert _status(site, "as_b", "POST", url) == 404, verb  # a third party cannot see it
        assert _status(site, "stranger", "POST", url) == 404, verb
    incoming = client.get(f"/api/market/participants/{c}/requests", headers=site["as_c"]).json()
    assert rid in {r["id"] for r in incoming["incoming"]}


def test_meetings_and_bookings_only_for_their_parties(site: dict[str, Any]) -> None:
    client, fair, factory = site["client"], site["fair"], site["factory"]
    ran = client.post(
        f"/api/market/fairs/{fair}/schedule", json={"time_limit": 2}, headers=site["organiser"]
    )
    assert ran.status_code == 200, ran.text
    meeting = ran.json()["meetings"][0]
    with factory() as session:
        parties = {
            o
            for (o,) in session.execute(
                sa.select(m.Participant.organisation_id)
                .join(m.MeetingAttendee, m.MeetingAttendee.participant_id == m.Participant.id)
                .where(m.MeetingAttendee.meeting_id == meeting["meeting_id"])
            )
        }
        outsider = next(
            p
            for p in _people(factory, fair, "exhibitor")
            if p.organisation_id not in parties and p.id != site["hidden"].id
        )
    as_outsider = _user(client.app, "outsider@example.org", Role.EXHIBITOR, outsider, fair)
    site["as_outsider"] = as_outsider
    cancel = f"/api/market/meetings/{meeting['meeting_id']}/cancel"
    assert _status(site, "as_outsider", "POST", cancel) == 404
    assert _status(site, "stranger", "POST", cancel) == 404
    book = {"request_id": meeting["request_id"], "slot_id": meeting["slot_id"]}
    assert _status(site, "as_outsider", "POST", "/api/market/meetings", json=book) == 404
    with factory() as session:
        colleagues = set(
            session.scalars(
                sa.select(m.Participant.id).where(
                    m.Participant.organisation_id == outsider.organisation_id
                )
            )
        )
    listed = client.get(f"/api/market/fairs/{fair}/schedule?limit=500", headers=as_outsider)
    items = listed.json()["items"]
    assert all(colleagues & {p["id"] for p in x["participants"]} for x in items)
    assert meeting["meeting_id"] not in {x["meeting_id"] for x in items}


def test_organiser_work_only_for_the_fairs_organiser(site: dict[str, Any]) -> None:
    fair = site["fair"]
    run = f"/api/market/fairs/{fair}/schedule"
    for other in ("as_a", "as_c", "analyst", "public"):
        assert _status(site, other, "POST", run, json={}) == 403, other
    assert _status(site, "stranger", "POST", run, json={}) == 403
    upload = {"file": ("orgs.csv", CSV, "text/csv")}
    url = f"/api/market/fairs/{fair}/import/organisations"
    for other in ("as_a", "stranger", "analyst"):
        assert _status(site, other, "POST", url, files=upload) == 403, other
    assert _status(site, "organiser", "POST", url, files=upload) in (200, 422)


def test_loading_datasets_is_for_analysts(site: dict[str, Any]) -> None:
    upload = {"file": ("x.csv", b"Country Name,Country Code,Year,Value\n", "text/csv")}
    for other in ("as_a", "as_c", "organiser", "public"):
        assert _status(site, other, "POST", "/api/stats/ingest", files=upload) == 403, other


def test_pages_follow_the_same_rules(site: dict[str, Any]) -> None:
    client, fair, a = site["client"], site["fair"], site["a"].id
    mine = client.get(f"/fair/participants/{a}", headers=site["as_a"])
    assert mine.status_code == 200
    assert client.get(f"/fair/participants/{a}", headers=site["as_b"]).status_code == 404
    assert client.get(f"/fair/schedule?fair={fair}", headers=site["as_a"]).status_code == 403
    assert client.get(f"/fair/schedule?fair={fair}", headers=site["organiser"]).status_code == 200
    assert client.get(f"/fair/schedule?fair={fair}", headers=site["stranger"]).status_code == 403


def test_accounts_objects_belong_to_their_user(site: dict[str, Any]) -> None:
    client = site["client"]
    theirs = client.get("/api/accounts/tokens", headers=site["as_b"]).json()
    token_id = theirs[0]["id"]
    assert _status(site, "as_a", "DELETE", f"/api/accounts/tokens/{token_id}") == 404
    assert client.get("/api/accounts/tokens", headers=site["as_b"]).status_code == 200
    for other in ("as_a", "organiser", "analyst"):
        assert _status(site, other, "GET", "/api/accounts/users") == 403, other
        assert _status(site, other, "GET", "/api/accounts/audit") == 403, other
        assert _status(
            site, other, "PUT", "/api/accounts/users/1/role", json={"role": "admin"}
        ) in (
            403,
            404,
        )
    assert _status(site, "as_a", "POST", "/api/accounts/invitations", json={"role": "buyer"}) == 403
