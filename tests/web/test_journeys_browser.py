"""The fair's main journeys as people make them, in headless Chromium (issue 9).

One app server and one browser for the module, a fresh browser context (cookies) per test:
(a) the organiser imports organisations and participants and runs the schedule;
(b) an exhibitor reads a recommendation's factors and requests a meeting with a buyer;
(c) that buyer accepts it and finds the meeting in the agenda;
(d) an analyst loads two WDI files and opens the economy profile's IP-charges chart;
(e) the language switch on My fair shows Chinese and survives a reload.
No page may log a console error (a Content Security Policy violation among them).

Set ``JOURNEY_SHOTS=/some/dir`` to keep a full-page screenshot of every step.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import uvicorn
from access_support import bearer, browser_sign_in, runtime_of

from servtrade.accounts.policy import Actor
from servtrade.accounts.roles import Role
from servtrade.config import load_settings
from servtrade.db import upgrade
from servtrade.market import models as m
from servtrade.market import requests, services

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
ORGANISATIONS = (
    "external_id,name,economy,kind,size,sectors\n"
    "jr-org-1,Lakeside Legal Partners,KEN,enterprise,small,SJ\n"
    "jr-org-2,Harbour Data Services,SGP,enterprise,medium,SI\n"
)
PARTICIPANTS = (
    "external_id,person_name,organisation,roles,email,visibility\n"
    "jr-p-1,Amina Otieno,jr-org-1,exhibitor,amina@example.org,public\n"
    "jr-p-2,Wei Lin,jr-org-2,buyer;exhibitor,wei@example.org,participants\n"
)
# World Bank WDI, long layout (Country Name, Country Code, Year, Value); test values in US$
RECEIPTS = "Country Name,Country Code,Year,Value\n" + "".join(
    f"Kenya,KEN,{year},{value}\n"
    for year, value in zip(
        range(2016, 2024), (51e6, 49e6, 62e6, 60e6, 44e6, 57e6, 70e6, 75e6), strict=True
    )
)
PAYMENTS = "Country Name,Country Code,Year,Value\n" + "".join(
    f"Kenya,KEN,{year},{value}\n"
    for year, value in zip(
        range(2016, 2024), (98e6, 110e6, 121e6, 130e6, 117e6, 139e6, 150e6, 161e6), strict=True
    )
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _participant(factory: Any, participant_id: int) -> m.Participant:
    with factory() as session:
        found = session.get(m.Participant, participant_id)
        assert found is not None
        session.expunge(found)
        return found


def _pick_pair(factory: Any, fair_id: int) -> tuple[m.Participant, m.Participant]:
    """The first exhibitor and the best-recommended buyer it has no request with yet."""
    exhibitor = _participant(factory, 1)
    actor = Actor(
        role=Role.EXHIBITOR,
        organisation_id=exhibitor.organisation_id,
        participant_id=exhibitor.id,
        fair_id=fair_id,
    )
    known = requests.requests_of(factory, exhibitor.id)
    asked = {r["recipient"]["id"] for r in known["outgoing"]}
    asked |= {r["requester"]["id"] for r in known["incoming"]}
    shown = services.recommend(factory, exhibitor.id, 10, actor=actor).recommendations
    buyer = next(r.participant_id for r in shown if r.participant_id not in asked)
    return exhibitor, _participant(factory, buyer)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One server for the module: a 30-exhibitor synthetic fair and one account per role."""
    from servtrade.web.app import create_app

    with pytest.MonkeyPatch.context() as env:
        for name in [n for n in os.environ if n.startswith("SERVTRADE_")]:
            if name != "SERVTRADE_TEST_DATABASE_URL":
                env.delenv(name)
        root = tmp_path_factory.mktemp("journeys")
        settings = load_settings(data_dir=root / "data", shared_dir=root / "no-shared")
    settings.data_dir.mkdir(parents=True)
    upgrade(settings.resolved_database_url)
    app = create_app(settings)
    runtime_of(app)  # a cheap password hasher, so signing in stays quick
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.05)
    try:
        factory = app.state.session_factory
        fair = services.generate_fair(factory, 30, 6, 5)
        exhibitor, buyer = _pick_pair(factory, fair.id)
        other = _participant(factory, 2)
        for email, role, who in (
            ("exhibitor@example.org", Role.EXHIBITOR, exhibitor),
            ("buyer@example.org", Role.BUYER, buyer),
            ("linguist@example.org", Role.EXHIBITOR, other),
        ):
            bearer(
                app,
                email,
                role,
                organisation_id=who.organisation_id,
                participant_id=who.id,
                fair_id=fair.id,
            )
        bearer(app, "organiser@example.org", Role.ORGANISER, fair_id=fair.id)
        bearer(app, "analyst@example.org", Role.ANALYST)
        yield {
            "url": f"http://127.0.0.1:{port}",
            "factory": factory,
            "fair": fair,
            "exhibitor": exhibitor,
            "buyer": buyer,
        }
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make browser installs it when root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, site: dict[str, Any]) -> Iterator[Any]:
    """A tab in a fresh context (no cookies) that records console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.base_url = site["url"]
    tab.console_errors = []
    tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.console_errors.append(str(e)))
    yield tab
    context.close()


def shot(page: Any, name: str) -> None:
    folder = os.environ.get("JOURNEY_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def submit(page: Any, button: Any) -> None:
    """Click and wait until the next page has loaded (a locator read before then would see
    the page that is being left)."""
    with page.expect_navigation():
        button.click()


def _upload(page: Any, form: str, name: str, text: str) -> None:
    page.set_input_files(
        f"{form} input[type=file]",
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}],
    )
    submit(page, page.locator(f"{form} button[type=submit]"))


def _count(factory: Any, model: Any, *where: Any) -> int:
    with factory() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)))


def test_a_organiser_imports_participants_and_runs_the_schedule(
    page: Any, site: dict[str, Any]
) -> None:
    fair = site["fair"]
    browser_sign_in(page, page.base_url, "organiser@example.org", then="/fair/organise")
    assert page.locator("h1").inner_text() == f"Organise: {fair.name}"
    _upload(page, "#import-organisations", "organisations.csv", ORGANISATIONS)
    report = page.locator("#import-report")
    assert report.locator("h2").inner_text() == "Organisations imported from organisations.csv"
    assert report.locator("tbody td").all_inner_texts() == ["2", "2", "0", "0"]
    broken = PARTICIPANTS.replace("jr-org-2,buyer", "jr-org-9,buyer")
    _upload(page, "#import-participants", "participants.csv", broken)
    errors = page.locator("#import-errors tbody tr td")
    assert errors.all_inner_texts()[:4] == ["participants.csv", "3", "organisation", "jr-org-9"]
    shot(page, "a1-organise-rejected")
    imported = m.Participant.external_id.in_(["jr-p-1", "jr-p-2"])
    assert _count(site["factory"], m.Participant, imported) == 0
    _upload(page, "#import-participants", "participants.csv", PARTICIPANTS)
    assert report.locator("tbody td").all_inner_texts() == ["2", "2", "0", "0"]
    shot(page, "a2-organise-imported")
    assert _count(site["factory"], m.Participant, imported, m.Participant.fair_id == fair.id) == 2
    page.select_option("#schedule-form select[name=solver]", "fast")
    page.fill("#schedule-form input[name=time_limit]", "2")
    submit(page, page.locator("#schedule-form button[type=submit]"))
    summary = page.locator("#schedule-result strong").inner_text()
    placed = _count(site["factory"], m.Meeting, m.Meeting.fair_id == fair.id)
    assert summary.startswith(f"{placed} meeting(s) scheduled;") and placed > 0
    shot(page, "a3-organise-scheduled")
    submit(page, page.locator("#open-grid"))
    assert page.url == f"{page.base_url}/fair/schedule?fair={fair.id}"
    assert page.locator("#grid td.busy").count() > 0
    shot(page, "a4-schedule-grid")
    # the rejected upload answered 422, which Chromium logs; nothing else may be logged
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_b_exhibitor_reads_factors_and_requests_a_meeting(page: Any, site: dict[str, Any]) -> None:
    buyer = site["buyer"]
    browser_sign_in(page, page.base_url, "exhibitor@example.org", then="/fair/me")
    assert page.locator("h1").inner_text() == "My fair"
    card = page.locator(f"#rec-{buyer.id}")
    factors = card.locator("table.factors tbody tr")
    assert factors.count() == 9  # eight factors and the score row
    names = card.locator("table.factors tbody td:first-child").all_inner_texts()
    assert len(names) == 8 and all(names)
    shot(page, "b1-my-fair-exhibitor")
    card.locator("input[name=message]").fill("Legal services for your Nairobi office?")
    submit(page, card.locator("button:has-text('Request a meeting')"))
    assert page.url == f"{page.base_url}/fair/me?done=requested"
    assert page.locator("#flash").inner_text().startswith("Your meeting request was sent.")
    row = page.locator("#outgoing tbody tr").first
    assert "waiting for an answer" in row.inner_text()
    assert "Legal services for your Nairobi office?" in row.inner_text()
    assert page.locator(f"#rec-{buyer.id} .asked").inner_text() == (
        "Meeting request: waiting for an answer"
    )
    shot(page, "b2-my-fair-requested")
    assert page.console_errors == []


def _pending(site: dict[str, Any]) -> int:
    """The exhibitor's request to the buyer (made by journey b, or here when run alone)."""
    exhibitor, buyer = site["exhibitor"], site["buyer"]
    found = requests.requests_of(site["factory"], buyer.id)["incoming"]
    mine = [r["id"] for r in found if r["requester"]["id"] == exhibitor.id]
    if mine:
        return int(mine[0])
    made = requests.request_meeting(site["factory"], buyer.id, requester_id=exhibitor.id)
    return int(made["id"])


def test_c_buyer_accepts_and_sees_the_meeting(page: Any, site: dict[str, Any]) -> None:
    request_id = _pending(site)
    browser_sign_in(page, page.base_url, "buyer@example.org", then="/fair/me")
    row = page.locator(f"#incoming #request-{request_id}")
    with site["factory"]() as session:
        organisation = session.get(m.Organisation, site["exhibitor"].organisation_id)
        assert organisation is not None
        exhibitor_name = organisation.name
    assert exhibitor_name in row.inner_text()
    shot(page, "c1-my-fair-buyer")
    submit(page, row.locator("button:has-text('Accept')"))
    assert page.url == f"{page.base_url}/fair/me?done=accepted"
    assert page.locator(f"#request-{request_id}").inner_text().count("accepted") == 1
    meetings = page.locator("#meetings tbody tr")
    mine = [t for t in meetings.all_inner_texts() if exhibitor_name in t]
    assert len(mine) == 1 and f"{request_id}" in mine[0]
    shot(page, "c2-my-fair-accepted")
    calendar = page.request.get(page.base_url + page.locator("#agenda-ics").get_attribute("href"))
    assert (calendar.status, calendar.headers["content-type"]) == (
        200,
        "text/calendar; charset=utf-8",
    )
    assert f"SUMMARY:Meeting with {site['exhibitor'].person_name}" in calendar.text()
    assert page.console_errors == []


def test_d_analyst_loads_a_dataset_and_opens_the_profile_chart(page: Any) -> None:
    browser_sign_in(page, page.base_url, "analyst@example.org", then="/observatory/load")
    for name, series, text in (
        ("kenya-receipts.csv", "BX.GSR.ROYL.CD", RECEIPTS),
        ("kenya-payments.csv", "BM.GSR.ROYL.CD", PAYMENTS),
    ):
        page.fill("#load-form input[name=series]", series)
        _upload(page, "#load-form", name, text)
        counts = [page.locator(f"#rows-{k}").inner_text() for k in ("read", "stored", "rejected")]
        assert counts == ["8", "8", "0"]
        assert page.locator("#ingest-summary h2").inner_text() == f"{name} loaded into wdi"
    shot(page, "d1-load-dataset")
    page.fill("#profile-form input[name=economy]", "KEN")
    submit(page, page.locator("#profile-form button[type=submit]"))
    assert page.url == f"{page.base_url}/observatory/profile?economy=KEN"
    chart = page.locator("section.chart", has_text="Charges for the use of intellectual property")
    assert chart.locator("svg").count() == 1
    assert "Kenya: IP charges" in (chart.locator("svg").text_content() or "")
    shot(page, "d2-profile-chart")
    assert page.console_errors == []


def test_e_language_switch_on_my_fair_persists(page: Any) -> None:
    browser_sign_in(page, page.base_url, "linguist@example.org", then="/fair/me")
    assert page.locator("h1").inner_text() == "My fair"
    submit(page, page.locator("header.site form.lang-switch button[value=zh]"))
    assert page.url == f"{page.base_url}/fair/me"
    heading = ("我的展会", "zh-CN", "为我推荐")
    seen = (
        page.locator("h1").inner_text(),
        page.locator("html").get_attribute("lang"),
        page.locator("#recommended > h2").inner_text(),
    )
    assert seen == heading
    shot(page, "e1-my-fair-chinese")
    page.reload()
    again = (
        page.locator("h1").inner_text(),
        page.locator("html").get_attribute("lang"),
        page.locator("#recommended > h2").inner_text(),
    )
    assert again == heading
    assert page.locator("#recommendations button").first.inner_text() == "请求会谈"
    assert page.console_errors == []
