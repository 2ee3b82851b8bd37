"""The organiser's slot x table grid (/fair/schedule) and printable table sheets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from access_support import bearer
from fastapi.testclient import TestClient

from servtrade.accounts.roles import Role
from servtrade.config import load_settings
from servtrade.db import make_engine, make_session_factory, upgrade
from servtrade.market import models as m
from servtrade.market import schedule_service, services


@pytest.fixture(autouse=True)
def _signed_in(request: pytest.FixtureRequest) -> None:
    """These pages and routes are for signed-in users: the shared client carries a token."""
    if "client" in request.fixturenames:
        client = request.getfixturevalue("client")
        client.headers.update(bearer(client.app, "user@example.org", Role.ANALYST))


@pytest.fixture(scope="module")
def fair_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, int, Any]]:
    from servtrade.web.app import create_app

    root = tmp_path_factory.mktemp("schedweb")
    settings = load_settings(data_dir=root / "data", shared_dir=root / "no-shared")
    settings.data_dir.mkdir(parents=True)
    upgrade(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    factory = make_session_factory(engine)
    fair = services.generate_fair(factory, 30, 6, 5)
    result = schedule_service.run_schedule(factory, fair.id, time_limit=1)
    engine.dispose()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.headers.update(bearer(client.app, "root@example.org", Role.ADMIN))
        yield client, fair.id, result


def test_grid_shows_one_day_of_slots_by_tables(fair_client: tuple[TestClient, int, Any]) -> None:
    client, fair, result = fair_client
    page = client.get(f"/fair/schedule?fair={fair}&day=2")
    assert page.status_code == 200
    day2 = sorted({x["starts_at"][:10] for x in result["meetings"]})[1]
    on_day = [x for x in result["meetings"] if x["starts_at"].startswith(day2)]
    count = re.search(
        r'<p class="meta" id="count">(\d+) meeting\(s\) on day 2; (\d+) tables', page.text
    )
    assert count is not None and int(count.group(1)) == len(on_day)
    assert page.text.count('<td class="busy"') == len(on_day)
    assert page.text.count('<tr><th scope="row">') == 16
    assert f'<a href="/fair/schedule?fair={fair}&amp;day=2" aria-current="page">' in page.text
    assert "<script" not in page.text and "style=" not in page.text
    assert '<link rel="stylesheet" href="/fair/schedule.css">' in page.text


def test_table_sheet_lists_the_tables_meetings(fair_client: tuple[TestClient, int, Any]) -> None:
    client, _fair, result = fair_client
    table = result["meetings"][0]["table_id"]
    mine = [x for x in result["meetings"] if x["table_id"] == table]
    page = client.get(f"/fair/tables/{table}")
    assert page.status_code == 200
    assert f"<h1>Table {mine[0]['table']}</h1>" in page.text
    rows = re.findall(r'<td class="num">(\d+)</td>', page.text)
    by_time = sorted(mine, key=lambda x: (x["starts_at"], x["meeting_id"]))
    assert [int(r) for r in rows] == [x["request_id"] for x in by_time]
    assert "<script" not in page.text and "style=" not in page.text
    assert client.get("/fair/tables/999999").status_code == 404


def test_print_stylesheet_and_overview_link(fair_client: tuple[TestClient, int, Any]) -> None:
    client, fair, _result = fair_client
    css = client.get("/fair/schedule.css")
    assert (css.status_code, css.headers["content-type"]) == (200, "text/css; charset=utf-8")
    assert "@media print" in css.text
    overview = client.get(f"/fair?fair={fair}")
    assert (
        f'<a href="/fair/schedule?fair={fair}" id="schedule-link">Meeting schedule</a>'
        in overview.text
    )


def test_grid_of_a_fair_without_slots_says_so(fair_client: tuple[TestClient, int, Any]) -> None:
    client, _fair, _result = fair_client
    app: Any = client.app
    with app.state.session_factory() as session, session.begin():
        empty = m.Fair(name="empty")
        session.add(empty)
        session.flush()
        fair_id = empty.id
    page = client.get(f"/fair/schedule?fair={fair_id}")
    assert (page.status_code, 'id="no-schedule"' in page.text) == (200, True)
    with app.state.session_factory() as session:
        assert (
            session.scalar(
                sa.select(sa.func.count(m.Meeting.id)).where(m.Meeting.fair_id == fair_id)
            )
            == 0
        )
