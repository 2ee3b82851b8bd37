"""The journey pages without a browser: My fair (/fair/me and its request forms), the
organiser's desk (/fair/organise) and the analyst's upload (/observatory/load).

Every form post needs a session (401), its CSRF token (403) and the right to the object
(404 when the caller may not even see a request, 403 when it may see but not answer it);
bad uploads are listed row by row and import nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from access_support import PASSWORD, bearer
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient

from servtrade.accounts.policy import Actor
from servtrade.accounts.roles import Role
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.config import load_settings
from servtrade.db import upgrade
from servtrade.market import models as m
from servtrade.market import requests, schedule_agenda, services

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CJK = re.compile(r"[\u4e00-\u9fff]")
OUR_KEYS = re.compile(r"(?<![\w/.@-])(?:myfair|organise|dataload)\.[a-z_]+")
ACCOUNTS = ("exhibitor", "buyer", "stranger", "organiser", "analyst", "public")
WDI = "Country Name,Country Code,Year,Value\n"
COUNTS = ("read", "stored", "rejected")


def _actor(person: m.Participant, role: Role) -> Actor:
    return Actor(
        role=role,
        organisation_id=person.organisation_id,
        participant_id=person.id,
        fair_id=person.fair_id,
    )


def _people(factory: Any) -> dict[str, m.Participant]:
    """The first exhibitor, a buyer it has not asked yet, and a buyer of a third organisation
    with no request either way (a stranger to their requests)."""
    with factory() as session:
        exhibitor = session.get(m.Participant, 1)
        assert exhibitor is not None
        known = requests.requests_of(factory, exhibitor.id)
        near = {r["recipient"]["id"] for r in known["outgoing"]}
        near |= {r["requester"]["id"] for r in known["incoming"]}
        buyers = session.scalars(
            sa.select(m.Participant)
            .join(m.ParticipantRole)
            .where(m.ParticipantRole.role == "buyer", m.Participant.id.not_in(near))
            .where(m.Participant.organisation_id != exhibitor.organisation_id)
            .order_by(m.Participant.id)
        ).all()
        buyer = buyers[0]
        stranger = next(b for b in buyers[1:] if b.organisation_id != buyer.organisation_id)
        for person in (exhibitor, buyer, stranger):
            session.expunge(person)
    return {"exhibitor": exhibitor, "buyer": buyer, "stranger": stranger}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One app, a small synthetic fair, and one signed-in client per account."""
    from servtrade.web.app import create_app

    root = tmp_path_factory.mktemp("journeypages")
    settings = load_settings(data_dir=root / "data", shared_dir=root / "no-shared")
    settings.data_dir.mkdir(parents=True)
    upgrade(settings.resolved_database_url)
    app = create_app(settings)
    app.state.accounts = AccountsRuntime(hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
    with TestClient(app, raise_server_exceptions=False) as anonymous:
        factory = app.state.session_factory
        fair = services.generate_fair(factory, 30, 6, 5)
        people = _people(factory)
        for name in ("exhibitor", "buyer", "stranger"):
            person, role = people[name], Role.EXHIBITOR if name == "exhibitor" else Role.BUYER
            bearer(
                app,
                f"{name}@example.org",
                role,
                organisation_id=person.organisation_id,
                participant_id=person.id,
                fair_id=fair.id,
            )
        bearer(app, "organiser@example.org", Role.ORGANISER, fair_id=fair.id)
        bearer(app, "analyst@example.org", Role.ANALYST)
        bearer(app, "public@example.org", Role.PUBLIC)
        clients = {name: _signed_in(app, f"{name}@example.org") for name in ACCOUNTS}
        yield {
            "app": app,
            "factory": factory,
            "fair": fair,
            "anonymous": anonymous,
            "people": people,
            **clients,
        }


def _signed_in(app: Any, email: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    login = client.get("/login")
    done = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": _csrf(login.text), "next": "/"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return client


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _token(client: TestClient) -> str:
    return _csrf(client.get("/account").text)


def _count(factory: Any, model: Any, *where: Any) -> int:
    with factory() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)))


def _status(factory: Any, request_id: int) -> str:
    with factory() as session:
        found = session.get(m.MeetingRequest, request_id)
        assert found is not None
        return found.status


def _ask(site: dict[str, Any], requester: str, recipient: str) -> int:
    made = requests.request_meeting(
        site["factory"], site["people"][recipient].id, requester_id=site["people"][requester].id
    )
    return int(made["id"])


def _csv(name: str, text: str) -> dict[str, Any]:
    return {"file": (name, text.encode(), "text/csv")}


def test_signed_out_pages_and_posts_answer_401(site: dict[str, Any]) -> None:
    client = site["anonymous"]
    for path in ("/fair/me", "/fair/organise", "/observatory/load"):
        page = client.get(path)
        assert (path, page.status_code, 'id="sign-in"' in page.text) == (path, 401, True)
    posts = [
        "/fair/requests",
        "/fair/requests/1/accept",
        "/fair/requests/1/decline",
        "/fair/organise/import",
        "/fair/organise/schedule",
        "/observatory/load",
    ]
    answers = [client.post(path, data={"recipient_id": "2"}).status_code for path in posts]
    assert answers == [401] * len(posts)


def test_every_form_post_needs_its_csrf_token(site: dict[str, Any]) -> None:
    factory, fair = site["factory"], site["fair"]
    pending = _ask(site, "stranger", "exhibitor")
    before = (_count(factory, m.MeetingRequest), _count(factory, m.Organisation))
    posts = [
        ("exhibitor", "/fair/requests", {"recipient_id": str(site["people"]["buyer"].id)}, None),
        ("exhibitor", f"/fair/requests/{pending}/accept", {}, None),
        ("exhibitor", f"/fair/requests/{pending}/decline", {}, None),
        (
            "organiser",
            "/fair/organise/import",
            {"fair": str(fair.id), "kind": "organisations"},
            _csv("o.csv", "external_id,name\ncsrf-1,Nobody\n"),
        ),
        ("organiser", "/fair/organise/schedule", {"fair": str(fair.id)}, None),
        (
            "analyst",
            "/observatory/load",
            {"series": "BX.GSR.ROYL.CD"},
            _csv("x.csv", WDI + "Kenya,KEN,2020,1\n"),
        ),
    ]
    for who, path, data, files in posts:
        for token in (None, "forged-token"):
            sent = data if token is None else {**data, "csrf_token": token}
            answer = site[who].post(path, data=sent, files=files)
            assert (path, token, answer.status_code) == (path, token, 403)
            assert "CSRF" in answer.text
    after = (_count(factory, m.MeetingRequest), _count(factory, m.Organisation))
    assert (after, _status(factory, pending)) == (before, "requested")


def test_my_fair_lists_recommendations_requests_and_meetings(site: dict[str, Any]) -> None:
    exhibitor, factory = site["people"]["exhibitor"], site["factory"]
    page = site["exhibitor"].get("/fair/me")
    assert page.status_code == 200
    expected = services.recommend(
        factory, exhibitor.id, 10, actor=_actor(exhibitor, Role.EXHIBITOR)
    )
    shown = [
        int(x) for x in re.findall(r'<li class="card recommendation" id="rec-(\d+)">', page.text)
    ]
    assert shown == [r.participant_id for r in expected.recommendations]
    assert page.text.count('<table class="factors">') == len(shown)
    mine = requests.requests_of(factory, exhibitor.id)
    answerable = [r["id"] for r in mine["incoming"] if r["status"] == "requested"]
    accept_forms = [int(x) for x in re.findall(r'action="/fair/requests/(\d+)/accept"', page.text)]
    assert accept_forms == answerable
    asked = {r["recipient"]["id"] for r in mine["outgoing"]} | {
        r["requester"]["id"] for r in mine["incoming"]
    }
    forms = [int(x) for x in re.findall(r'name="recipient_id" value="(\d+)"', page.text)]
    assert forms == [p for p in shown if p not in asked]
    meetings = schedule_agenda.agenda(factory, exhibitor.id)["meetings"]
    section = page.text.split('<section id="meetings">')[1].split("</section>")[0]
    listed = [int(x) for x in re.findall(r'<td class="num">(\d+)</td></tr>', section)]
    assert listed == [x["request_id"] for x in meetings] and listed
    assert f'href="/api/market/participants/{exhibitor.id}/agenda.ics"' in page.text
    assert 'href="/fair/me" id="my-fair-link"' in page.text
    assert "<script" not in page.text and " style=" not in page.text


def test_request_accept_and_who_may_answer(site: dict[str, Any]) -> None:
    factory, people = site["factory"], site["people"]
    exhibitor, buyer = site["exhibitor"], site["buyer"]
    token = _token(exhibitor)
    sent = exhibitor.post(
        "/fair/requests",
        data={"csrf_token": token, "recipient_id": str(people["buyer"].id), "message": "Hello"},
        follow_redirects=False,
    )
    assert (sent.status_code, sent.headers["location"]) == (303, "/fair/me?done=requested")
    [made] = [
        r
        for r in requests.requests_of(factory, people["buyer"].id)["incoming"]
        if r["requester"]["id"] == people["exhibitor"].id
    ]
    assert (made["status"], made["message"]) == ("requested", "Hello")
    flash = exhibitor.get("/fair/me?done=requested").text
    assert '<p class="flash ok" role="status" id="flash">Your meeting request was sent.' in flash
    again = exhibitor.post(
        "/fair/requests", data={"csrf_token": token, "recipient_id": str(people["buyer"].id)}
    )
    assert (again.status_code, f"already asked {people['buyer'].id}" in again.text) == (409, True)
    # the requester may see its request but not answer it; a stranger may not even see it
    own = exhibitor.post(f"/fair/requests/{made['id']}/accept", data={"csrf_token": token})
    stranger = site["stranger"]
    hidden = stranger.post(
        f"/fair/requests/{made['id']}/accept", data={"csrf_token": _token(stranger)}
    )
    assert (own.status_code, hidden.status_code, _status(factory, made["id"])) == (
        403,
        404,
        "requested",
    )
    accepted = buyer.post(
        f"/fair/requests/{made['id']}/accept",
        data={"csrf_token": _token(buyer)},
        follow_redirects=False,
    )
    assert (accepted.status_code, accepted.headers["location"]) == (303, "/fair/me?done=accepted")
    agenda = schedule_agenda.agenda(factory, people["buyer"].id)["meetings"]
    assert [x["request_id"] for x in agenda if x["request_id"] == made["id"]] == [made["id"]]
    assert _status(factory, made["id"]) == "accepted"


def test_decline_once(site: dict[str, Any]) -> None:
    factory, buyer = site["factory"], site["buyer"]
    pending = _ask(site, "stranger", "buyer")
    token = _token(buyer)
    url = f"/fair/requests/{pending}/decline"
    first = buyer.post(url, data={"csrf_token": token}, follow_redirects=False)
    assert (first.status_code, first.headers["location"]) == (303, "/fair/me?done=declined")
    second = buyer.post(url, data={"csrf_token": token})
    assert (second.status_code, 'id="error"' in second.text) == (422, True)
    assert _status(factory, pending) == "declined"


def test_an_unlinked_account_is_told_why(site: dict[str, Any]) -> None:
    page = site["analyst"].get("/fair/me")
    assert (page.status_code, 'id="unlinked"' in page.text) == (200, True)
    assert "Your account is not linked to a participant" in page.text
    assert 'href="/observatory/load"' in page.text and "/fair/requests" not in page.text
    public = site["public"]
    asked = public.post("/fair/requests", data={"csrf_token": _token(public), "recipient_id": "2"})
    assert (asked.status_code, "not linked to a participant" in asked.text) == (422, True)


def test_only_known_flash_codes_are_shown(site: dict[str, Any]) -> None:
    page = site["exhibitor"].get("/fair/me?done=%3Cb%3Ebold%3C%2Fb%3E")
    shown = (page.status_code, 'id="flash"' in page.text, "<b>bold" in page.text)
    assert shown == (200, False, False)


def test_organiser_page_is_for_the_organiser(site: dict[str, Any]) -> None:
    answers = [site[who].get("/fair/organise").status_code for who in ("exhibitor", "analyst")]
    page = site["organiser"].get("/fair/organise")
    forms = re.findall(r'<form class="card stack" [^>]*id="import-(\w+)"', page.text)
    assert (answers, page.status_code, forms) == (
        [403, 403],
        200,
        ["organisations", "participants", "offers", "needs"],
    )


def test_upload_errors_are_listed_and_nothing_is_imported(site: dict[str, Any]) -> None:
    factory, fair, organiser = site["factory"], site["fair"], site["organiser"]
    form = {"csrf_token": _token(organiser), "fair": str(fair.id), "kind": "participants"}
    before = _count(factory, m.Participant)
    bad = (
        "external_id,person_name,organisation,roles\n"
        "up-1,Ada,syn-30x6s5-EXO00000,exhibitor\n"
        "up-2,Ben,no-such-org,buyer\n"
        "up-3,,syn-30x6s5-EXO00000,juggler\n"
    )
    page = organiser.post("/fair/organise/import", data=form, files=_csv("people.csv", bad))
    assert page.status_code == 422
    rows = re.findall(
        r"<tr><td>people\.csv</td><td class=\"num\">(\d+)</td><td><code>(\w+)</code>", page.text
    )
    assert sorted(rows) == [("4", "person_name"), ("4", "roles")]
    assert _count(factory, m.Participant) == before
    unknown = organiser.post(
        "/fair/organise/import",
        data=form,
        files=_csv("people.csv", bad.replace("up-3,,syn-30x6s5-EXO00000,juggler\n", "")),
    )
    assert (unknown.status_code, _count(factory, m.Participant)) == (422, before)
    assert re.search(r'<td class="num">3</td><td><code>organisation</code></td>', unknown.text)
    binary = organiser.post(
        "/fair/organise/import",
        data=form,
        files={"file": ("p.csv", b"\x89PNG\r\n\x00", "text/csv")},
    )
    assert (binary.status_code, "not csv, xlsx" in binary.text) == (422, True)
    good = "external_id,person_name,organisation,roles\nup-1,Ada,syn-30x6s5-EXO00000,exhibitor\n"
    done = organiser.post("/fair/organise/import", data=form, files=_csv("people.csv", good))
    cells = re.findall(r'<td class="num">(\d+)</td>', done.text.split('id="import-report"')[1])
    assert (done.status_code, cells[:4], _count(factory, m.Participant)) == (
        200,
        ["1", "1", "0", "0"],
        before + 1,
    )


def test_running_the_schedule_shows_its_summary(site: dict[str, Any]) -> None:
    factory, fair, organiser = site["factory"], site["fair"], site["organiser"]
    form = {
        "csrf_token": _token(organiser),
        "fair": str(fair.id),
        "solver": "fast",
        "time_limit": "2",
    }
    page = organiser.post("/fair/organise/schedule", data=form)
    placed = _count(factory, m.Meeting, m.Meeting.fair_id == fair.id)
    assert page.status_code == 200 and placed > 0
    assert f"<strong>{placed} meeting(s) scheduled; 0 accepted request(s)" in page.text
    assert f'href="/fair/schedule?fair={fair.id}" id="open-grid"' in page.text
    refused = site["exhibitor"].post(
        "/fair/organise/schedule", data={**form, "csrf_token": _token(site["exhibitor"])}
    )
    assert refused.status_code == 403


def test_load_page_for_analysts(site: dict[str, Any]) -> None:
    analyst = site["analyst"]
    answers = [site[who].get("/observatory/load").status_code for who in ("exhibitor", "public")]
    assert (answers, analyst.get("/observatory/load").status_code) == ([403, 403], 200)
    form = {"csrf_token": _token(analyst), "series": "BX.GSR.ROYL.CD"}
    rows = "".join(f"Kenya,KEN,{y},{y * 1000}\n" for y in range(2015, 2024))
    atlantis = WDI + rows + "Atlantis,ATL,2020,5\n"
    bad = analyst.post("/observatory/load", data=form, files=_csv("ken.csv", atlantis))
    assert bad.status_code == 422
    assert re.search(
        r"<tr><td>ken\.csv</td><td class=\"num\">11</td><td><code>Country Code</code></td>"
        r"<td><code>ATL</code></td>",
        bad.text,
    )
    assert "servtrade-upload-" not in bad.text  # the file by its name, not its scratch copy
    code = analyst.post(
        "/observatory/load", data={**form, "series": "BX GSR"}, files=_csv("ken.csv", WDI + rows)
    )
    assert (code.status_code, "series &#39;BX GSR&#39; is not a code" in code.text) == (422, True)
    good = analyst.post("/observatory/load", data=form, files=_csv("ken.csv", WDI + rows))
    counts = [re.search(rf'id="rows-{k}">([\d,]+)<', good.text) for k in COUNTS]
    assert [c.group(1) if c else None for c in counts] == ["9", "9", "0"]
    assert "<h2>ken.csv loaded into wdi</h2>" in good.text


def test_the_pages_in_chinese(site: dict[str, Any]) -> None:
    for who, path in (
        ("exhibitor", "/fair/me"),
        ("organiser", "/fair/organise"),
        ("analyst", "/observatory/load"),
        ("public", "/fair/me"),
    ):
        client = site[who]
        token = _token(client)
        client.post("/language", data={"csrf_token": token, "lang": "zh", "next": path})
        try:
            page = client.get(path).text
        finally:
            client.post("/language", data={"csrf_token": token, "lang": "en", "next": path})
        [heading] = re.findall(r"<h1>(.*?)</h1>", page)
        assert (path, '<html lang="zh-CN">' in page, OUR_KEYS.findall(page)) == (path, True, [])
        assert CJK.search(heading), heading


def test_an_xlsx_file_imports_like_a_csv(site: dict[str, Any]) -> None:
    from openpyxl import Workbook

    factory, fair, organiser = site["factory"], site["fair"], site["organiser"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (("external_id", "name", "economy"), ("xl-1", "Workbook Trading", "FRA")):
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    form = {"csrf_token": _token(organiser), "fair": str(fair.id), "kind": "organisations"}
    done = organiser.post(
        "/fair/organise/import", data=form, files={"file": ("orgs.xlsx", data.getvalue(), xlsx)}
    )
    assert "<h2>Organisations imported from orgs.xlsx</h2>" in done.text
    assert _count(factory, m.Organisation, m.Organisation.external_id == "xl-1") == 1
