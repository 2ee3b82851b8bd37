"""The meeting scheduler on a stored fair: run, write back, validate, book, accept, cancel,
incremental rescheduling, agenda as iCalendar; booking concurrency on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from servtrade.db import make_engine, upgrade
from servtrade.errors import ConflictError, NotFoundError, ServtradeError, ValidationError
from servtrade.market import models as m
from servtrade.market import schedule_agenda, schedule_fair, schedule_service, services

Factory = sessionmaker[Session]
PG_URL = os.environ.get(
    "SERVTRADE_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def stored_schedule(factory: Factory, fair_id: int) -> dict[int, tuple[int, int, int, set[int]]]:
    """meeting id -> (request, slot, table, attendees), read straight from the rows."""
    with factory() as session:
        rows = session.execute(
            sa.select(
                m.Meeting.id, m.Meeting.request_id, m.Meeting.slot_id, m.Meeting.table_id
            ).where(m.Meeting.fair_id == fair_id)
        ).all()
        who: dict[int, set[int]] = {r[0]: set() for r in rows}
        for mid, pid in session.execute(
            sa.select(m.MeetingAttendee.meeting_id, m.MeetingAttendee.participant_id).where(
                m.MeetingAttendee.meeting_id.in_(list(who))
            )
        ):
            who[mid].add(pid)
    return {r[0]: (r[1], r[2], r[3], who[r[0]]) for r in rows}


def independent_check(factory: Factory, fair_id: int) -> list[str]:
    """Recomputed from the database: nobody and no table twice in a slot, pairs as requested."""
    rows = stored_schedule(factory, fair_id)
    with factory() as session:
        pair = {
            rid: {a, b}
            for rid, a, b in session.execute(
                sa.select(
                    m.MeetingRequest.id,
                    m.MeetingRequest.requester_id,
                    m.MeetingRequest.recipient_id,
                ).where(m.MeetingRequest.fair_id == fair_id)
            )
        }
        slots = set(
            session.scalars(sa.select(m.MeetingSlot.id).where(m.MeetingSlot.fair_id == fair_id))
        )
    problems = []
    seats = Counter((slot, p) for _r, slot, _t, who in rows.values() for p in who)
    tables = Counter((slot, table) for _r, slot, table, _w in rows.values())
    problems += [f"participant {p} twice in slot {s}" for (s, p), n in seats.items() if n > 1]
    problems += [f"table {t} twice in slot {s}" for (s, t), n in tables.items() if n > 1]
    problems += [
        f"meeting {mid}: wrong pair"
        for mid, (r, _s, _t, who) in rows.items()
        if r is not None and pair[r] != who
    ]
    problems += [
        f"meeting {mid}: slot of another fair"
        for mid, (_r, s, _t, _w) in rows.items()
        if s not in slots
    ]
    return problems


def accepted_ids(factory: Factory, fair_id: int) -> set[int]:
    with factory() as session:
        return set(
            session.scalars(
                sa.select(m.MeetingRequest.id).where(
                    m.MeetingRequest.fair_id == fair_id, m.MeetingRequest.status == "accepted"
                )
            )
        )


def test_fast_schedule_is_written_valid_and_explained(factory: Factory, base_fair: int) -> None:
    result = schedule_service.run_schedule(factory, base_fair, solver="fast", time_limit=2)
    rows = stored_schedule(factory, base_fair)
    written = {
        (
            x["request_id"],
            x["slot_id"],
            x["table_id"],
            frozenset(p["id"] for p in x["participants"]),
        )
        for x in result["meetings"]
    }
    assert written == {(r, s, t, frozenset(w)) for r, s, t, w in rows.values()}
    assert independent_check(factory, base_fair) == []
    listed = [x["request_id"] for x in result["meetings"]] + [
        u["request_id"] for u in result["unscheduled"]
    ]
    assert sorted(listed) == sorted(accepted_ids(factory, base_fair))
    assert {u["reason"] for u in result["unscheduled"]} <= {
        "participant_busy",
        "capacity",
        "cap_reached",
        "not_selected",
        "no_common_slot",
    }
    assert result["bound"] >= result["objective"] > 0
    assert result["gap"] == pytest.approx((result["bound"] - result["objective"]) / result["bound"])
    document = json.loads(json.dumps(result))
    report = schedule_fair.validate_document(factory, document, "run.json")
    assert report == {
        "ok": True,
        "file": "run.json",
        "fair_id": base_fair,
        "meetings": len(rows),
        "unscheduled": len(result["unscheduled"]),
        "objective": result["objective"],
    }


def _tiny_fair(factory: Factory) -> int:
    """2 slots, 1 table, a hub buyer wanting 3 exhibitors: at most 2 meetings fit."""
    with factory() as session, session.begin():
        fair = m.Fair(name="tiny fair", synthetic=False)
        session.add(fair)
        session.flush()
        org = m.Organisation(external_id=f"tiny-{fair.id}", name="Tiny Org")
        session.add(org)
        session.flush()
        people = [
            m.Participant(
                fair_id=fair.id,
                external_id=f"p{n}",
                person_name=f"Person {n}",
                organisation_id=org.id,
            )
            for n in range(4)
        ]
        session.add_all(people)
        start = datetime(2025, 9, 10, 9, tzinfo=UTC)
        session.add_all(
            [
                m.MeetingSlot(
                    fair_id=fair.id,
                    starts_at=start.replace(hour=9 + n),
                    ends_at=start.replace(hour=9 + n, minute=30),
                )
                for n in range(2)
            ]
        )
        session.add(m.MeetingTable(fair_id=fair.id, name="T1"))
        session.flush()
        session.add_all(
            [
                m.MeetingRequest(
                    fair_id=fair.id,
                    requester_id=people[0].id,
                    recipient_id=people[n].id,
                    status="accepted",
                )
                for n in (1, 2, 3)
            ]
        )
        return fair.id


def test_exact_solver_proves_optimum_and_explains_the_rest(factory: Factory) -> None:
    fair = _tiny_fair(factory)
    result = schedule_service.run_schedule(factory, fair, solver="exact", time_limit=10)
    assert (result["solver"], result["status"]) == ("exact", "optimal")
    assert (len(result["meetings"]), result["objective"], result["bound"], result["gap"]) == (
        2,
        100,
        100.0,
        0.0,
    )
    assert [u["reason"] for u in result["unscheduled"]] == ["cap_reached"]
    assert independent_check(factory, fair) == []
    again = schedule_service.run_schedule(factory, fair, solver="fast", time_limit=1)
    assert set(stored_schedule(factory, fair)) == {x["meeting_id"] for x in again["meetings"]}
    assert again["objective"] == 100


def test_validate_document_names_meeting_and_field(factory: Factory, base_fair: int) -> None:
    result = json.loads(json.dumps(schedule_service.run_schedule(factory, base_fair, time_limit=1)))
    one, two = result["meetings"][0], result["meetings"][1]
    two["slot_id"], two["table_id"] = one["slot_id"], one["table_id"]
    one_bad = dict(result["meetings"][2], slot_id=10**9)
    result["meetings"][2] = one_bad
    with pytest.raises(ValidationError) as info:
        schedule_fair.validate_document(factory, result, "bad.json")
    fields = {e.field for e in info.value.errors}
    assert "meetings[2].slot_id" in fields
    messages = [e.message for e in info.value.errors]
    assert any(f"holds 2 meetings at slot {one['slot']}" in msg for msg in messages)
    assert all(e.file == "bad.json" for e in info.value.errors)
    with pytest.raises(ValidationError) as missing:
        schedule_fair.validate_document(factory, {"meetings": []}, "x.json")
    assert [(e.field, e.value) for e in missing.value.errors] == [("fair_id", "None")]


def _new_request(factory: Factory, fair_id: int, status: str = "requested") -> int:
    """A request between a buyer and an exhibitor who have not asked each other yet."""
    with factory() as session:
        asked = {
            frozenset(p)
            for p in session.execute(
                sa.select(m.MeetingRequest.requester_id, m.MeetingRequest.recipient_id)
            )
        }
        roles = dict(
            session.execute(
                sa.select(m.ParticipantRole.participant_id, m.ParticipantRole.role)
                .join(m.Participant)
                .where(m.Participant.fair_id == fair_id)
            ).all()
        )
    buyers = sorted(p for p, r in roles.items() if r == "buyer")
    exhibitors = sorted(p for p, r in roles.items() if r == "exhibitor")
    a, b = next((a, b) for a in buyers for b in exhibitors if frozenset((a, b)) not in asked)
    with factory() as session, session.begin():
        req = m.MeetingRequest(fair_id=fair_id, requester_id=a, recipient_id=b, status=status)
        session.add(req)
        session.flush()
        return req.id


def test_accept_places_incrementally_and_cancel_refills(factory: Factory, base_fair: int) -> None:
    schedule_service.run_schedule(factory, base_fair, time_limit=1)
    before = stored_schedule(factory, base_fair)
    rid = _new_request(factory, base_fair)
    accepted = schedule_service.accept_request(factory, rid)
    after = stored_schedule(factory, base_fair)
    placed = [mid for mid, row in after.items() if row[0] == rid]
    assert (accepted["request_status"], accepted["solver"]) == ("accepted", "repair")
    assert {x["request_id"] for x in accepted["meetings"]} >= ({rid} if placed else set())
    kept = {mid for mid in before if mid in after and before[mid] == after[mid]}
    assert len(before) - len(kept) == accepted["moved"]
    assert independent_check(factory, base_fair) == []
    target = next(iter(after))
    cancelled = schedule_service.cancel_meeting(factory, target)
    assert (cancelled["cancelled"], cancelled["moved"]) == (target, 0)
    assert target not in stored_schedule(factory, base_fair)
    with factory() as session:
        status = session.scalar(
            sa.select(m.MeetingRequest.status).where(m.MeetingRequest.id == after[target][0])
        )
    assert status == "cancelled"
    with pytest.raises(ValidationError):
        schedule_service.accept_request(factory, after[target][0])
    with pytest.raises(NotFoundError):
        schedule_service.cancel_meeting(factory, target)


def test_book_checks_then_collides_cleanly(factory: Factory, base_fair: int) -> None:
    with factory() as session, session.begin():
        session.execute(sa.delete(m.MeetingAttendee))
        session.execute(sa.delete(m.Meeting).where(m.Meeting.fair_id == base_fair))
    rid = _new_request(factory, base_fair, status="requested")
    data = _data(factory, base_fair)
    slot = data.slots[0].id
    with pytest.raises(ValidationError) as not_yet:
        schedule_service.book_meeting(factory, rid, slot)
    assert not_yet.value.hint == "accept the request first"
    schedule_service.accept_request(factory, rid, place=False)
    booked = schedule_service.book_meeting(factory, rid, slot)
    assert (booked["request_id"], booked["slot_id"], booked["status"]) == (rid, slot, "scheduled")
    with pytest.raises(ConflictError, match="already has a meeting"):
        schedule_service.book_meeting(factory, rid, data.slots[1].id)
    other = next(
        r
        for r, pair in data.requests.items()
        if set(pair) & {p["id"] for p in booked["participants"]}
    )
    with pytest.raises(ConflictError, match="already have a meeting at slot"):
        schedule_service.book_meeting(factory, other, slot)
    free = next(
        r
        for r, pair in data.requests.items()
        if not set(pair) & {p["id"] for p in booked["participants"]}
    )
    with pytest.raises(ConflictError, match="is taken at slot"):
        schedule_service.book_meeting(factory, free, slot, booked["table_id"])
    with pytest.raises(NotFoundError):
        schedule_service.book_meeting(factory, rid, 10**9)


def _data(factory: Factory, fair_id: int) -> schedule_fair.FairData:
    with factory() as session:
        return schedule_fair.load_fair(session, fair_id)


def test_real_fair_keeps_held_meetings_fixed(factory: Factory, base_fair: int) -> None:
    with factory() as session, session.begin():
        session.execute(sa.update(m.Fair).where(m.Fair.id == base_fair).values(synthetic=False))
    held = stored_schedule(factory, base_fair)
    result = schedule_service.run_schedule(factory, base_fair, time_limit=1)
    after = stored_schedule(factory, base_fair)
    assert result["fixed_meetings"] == len(held) > 0
    assert {k: v for k, v in after.items() if k in held} == held
    assert independent_check(factory, base_fair) == []
    assert "synthetic fair: its simulated meeting outcomes were replaced" not in result["notes"]


def test_a_fair_without_slots_or_tables_is_refused(factory: Factory, base_fair: int) -> None:
    with factory() as session, session.begin():
        fair = m.Fair(name="empty fair")
        session.add(fair)
        session.flush()
        empty = fair.id
    with pytest.raises(ValidationError) as info:
        schedule_service.run_schedule(factory, empty)
    assert [e.field for e in info.value.errors] == ["market_meeting_slot", "market_meeting_table"]


def _unfold(text: str) -> list[str]:
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    return text.replace("\r\n ", "").split("\r\n")


def test_agenda_as_icalendar_parses_back(factory: Factory, base_fair: int) -> None:
    schedule_service.run_schedule(factory, base_fair, time_limit=1)
    rows = stored_schedule(factory, base_fair)
    person = Counter(p for *_x, who in rows.values() for p in who).most_common(1)[0][0]
    found = schedule_agenda.agenda(factory, person)
    text = schedule_agenda.to_ics(found, now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    lines = _unfold(text)
    assert (lines[0], lines[-2], lines[-1]) == ("BEGIN:VCALENDAR", "END:VCALENDAR", "")
    events = [
        dict(line.split(":", 1) for line in block.strip("\r\n").split("\r\n") if line)
        for block in "\r\n".join(lines).split("BEGIN:VEVENT")[1:]
    ]
    assert len(events) == len(found["meetings"]) == sum(person in w for *_x, w in rows.values())
    for event, meeting in zip(events, found["meetings"], strict=True):
        start = datetime.fromisoformat(meeting["starts_at"])
        expected = (
            start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            if start.tzinfo
            else start.strftime("%Y%m%dT%H%M%S")
        )
        assert event["DTSTART"] == expected
        assert event["UID"] == f"servtrade-meeting-{meeting['meeting_id']}@servtrade"
        assert event["DTSTAMP"] == "20260102T030405Z"
        where = f"Table {meeting['table']}, {meeting['zone']}"
        assert event["LOCATION"] == where.replace(",", "\\,")
    with pytest.raises(NotFoundError):
        schedule_agenda.agenda(factory, 10**9)


def test_ics_escapes_and_folds() -> None:
    found = {
        "participant_id": 1,
        "name": "Ann; B, C",
        "meetings": [
            {
                "meeting_id": 7,
                "request_id": 3,
                "status": "cancelled",
                "starts_at": "2025-09-10T09:00:00+08:00",
                "ends_at": "2025-09-10T09:30:00+08:00",
                "table": "T1",
                "zone": "Zone, with comma",
                "participants": [
                    {"id": 1, "name": "Ann", "organisation": "A"},
                    {"id": 2, "name": "Bé " * 40, "organisation": "Org\\x"},
                ],
            }
        ],
    }
    lines = _unfold(schedule_agenda.to_ics(found))
    assert "X-WR-CALNAME:Meetings of Ann\\; B\\, C" in lines
    assert "DTSTART:20250910T010000Z" in lines and "STATUS:CANCELLED" in lines
    summary = next(x for x in lines if x.startswith("SUMMARY:"))
    assert summary == "SUMMARY:Meeting with " + "Bé " * 40 + " (Org\\\\x)"


# -- concurrency: >= 50 clients booking overlapping meetings -------------------------------

CLIENTS = 60


def _pg_engine() -> Iterator[Engine]:
    try:
        probe = make_engine(PG_URL, connect_args={"connect_timeout": 2})
        with probe.connect():
            pass
        probe.dispose()
    except Exception:  # any failure means: not reachable here
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    schema = f"servtrade_sched_{os.getpid()}"
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    scoped = url.render_as_string(hide_password=False)
    upgrade(scoped)
    engine = make_engine(scoped, pool_size=CLIENTS + 5, max_overflow=0)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def race_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "postgresql":
        yield from _pg_engine()
        return
    url = f"sqlite:///{tmp_path / 'race.db'}"
    upgrade(url)
    engine = make_engine(url, pool_size=CLIENTS + 5, max_overflow=0)
    yield engine
    engine.dispose()


def _book_all(factory: Factory, jobs: list[tuple[int, int]]) -> list[Any]:
    """Every client books its (request, slot) at the same moment; returns meeting or error."""
    results: list[Any] = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def client(n: int) -> None:
        barrier.wait()
        try:
            results[n] = schedule_service.book_meeting(factory, *jobs[n])
        except ServtradeError as exc:
            results[n] = exc

    threads = [threading.Thread(target=client, args=(n,)) for n in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres
def test_concurrent_bookings_never_double_book(race_engine: Engine) -> None:
    factory = sessionmaker(bind=race_engine, expire_on_commit=False)
    fair = services.generate_fair(factory, 40, 8, 3)
    with factory() as session, session.begin():
        session.execute(sa.delete(m.MeetingAttendee))
        session.execute(sa.delete(m.Meeting))
    data = _data(factory, fair.id)
    requests = sorted(data.requests)[:CLIENTS]
    # three slots for sixty requests among few tables: participants and tables overlap
    jobs = [(rid, data.slots[n % 3].id) for n, rid in enumerate(requests)]
    results = _book_all(factory, jobs)
    booked = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if not isinstance(r, dict)]
    assert all(isinstance(r, ConflictError) for r in refused), [str(r) for r in refused]
    rows = stored_schedule(factory, fair.id)
    assert {b["meeting_id"] for b in booked} == set(rows)
    assert {(b["request_id"], b["slot_id"], b["table_id"]) for b in booked} == {
        (r, s, t) for r, s, t, _w in rows.values()
    }
    assert independent_check(factory, fair.id) == []
    assert len(booked) > 0 and len(booked) + len(refused) == CLIENTS


def test_exact_without_a_solution_in_time_changes_nothing(factory: Factory, base_fair: int) -> None:
    before = stored_schedule(factory, base_fair)
    with pytest.raises(ValidationError) as info:
        schedule_service.run_schedule(factory, base_fair, solver="exact", time_limit=0.5)
    assert info.value.message == (
        "the exact solver found no schedule within 0.5 s; nothing was changed"
    )
    assert stored_schedule(factory, base_fair) == before
