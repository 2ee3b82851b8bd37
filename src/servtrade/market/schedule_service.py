"""Use cases of the meeting scheduler on a stored fair. Each one owns its transaction.

Run a solver over a fair (:mod:`schedule_fair` builds the engine instance), validate the
answer with the independent checker, and write it back in one transaction that replaces the
fair's previous schedule; book, accept and cancel single meetings; reschedule incrementally
and say how many meetings moved. Writing relies on the database: ``(slot, table)`` and
``(slot, participant)`` are unique, so a booking racing a schedule run makes one of them fail
cleanly (a ConflictError) instead of double-booking.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.policy import Action, Actor
from servtrade.db import transaction
from servtrade.errors import ConflictError, ErrorDetail, NotFoundError, ValidationError
from servtrade.market import access, scheduling
from servtrade.market import models as m
from servtrade.market.schedule_agenda import describe_meetings
from servtrade.market.schedule_fair import FairData, load_fair, num, require_room
from servtrade.market.scheduling import Meeting

Factory = sessionmaker[Session]
BOOK_ATTEMPTS = 8


# -- solving -------------------------------------------------------------------------------


def _around_fixed(data: FairData) -> scheduling.Instance:
    """The instance without fixed meetings, their participants unavailable at those slots
    (so only table collisions are left for the repair step)."""
    inst = data.instance
    busy: dict[str, set[int]] = {}
    for x in data.fixed:
        for who in (x.first, x.second):
            busy.setdefault(who, set()).update(x.slots)
    every = frozenset(range(inst.slots))
    return replace(
        inst,
        requests=tuple(r for r in inst.requests if r.id.startswith("r")),
        participants=tuple(
            replace(p, available=every - busy[p.id]) if p.id in busy else p
            for p in inst.participants
        ),
    )


def solve(
    data: FairData, solver: str = "fast", time_limit: float | None = 10.0, seed: int = 0
) -> scheduling.Schedule:
    """Schedule the fair's accepted requests around its fixed meetings, then validate."""
    require_room(data)
    free = _around_fixed(data)
    found = scheduling.schedule(free, solver=solver, time_limit=time_limit, seed=seed)
    if data.fixed:
        # fixed meetings go in first; a solver meeting colliding with one is re-inserted
        _inst, merged = scheduling.reschedule(data.instance, [*data.fixed, *found.meetings])
        found = replace(merged, bound=found.bound, stats=found.stats, moved=0)
    # without penalties no schedule beats placing every request: a valid upper bound, used
    # when the solver has none (fast) or did not get far enough to know one (unknown)
    trivial = float(sum(free.value(r) for r in free.requests))
    if found.bound is None or found.stats.status == "unknown":
        found = replace(found, bound=trivial)
    else:
        found = replace(found, bound=min(found.bound, trivial))
    check = scheduling.check_schedule(
        data.instance, found.meetings, found.unscheduled, found.objective
    )
    check.raise_if_invalid()
    return found


def _delete(session: Session, meeting_ids: Sequence[int]) -> None:
    """Delete meetings (attendees first); a row already gone means somebody changed it."""
    if not meeting_ids:
        return
    session.execute(
        sa.delete(m.MeetingAttendee).where(m.MeetingAttendee.meeting_id.in_(meeting_ids))
    )
    gone = session.execute(sa.delete(m.Meeting).where(m.Meeting.id.in_(meeting_ids)))
    if gone.rowcount != len(meeting_ids):  # type: ignore[attr-defined]
        raise ConflictError(
            "the fair's schedule changed while it was being recomputed",
            hint="run the scheduler again",
        )


def _insert(session: Session, data: FairData, meetings: Sequence[Meeting]) -> dict[str, int]:
    """Insert ``meetings`` with their attendees; returns request -> new meeting id."""
    rows = [
        m.Meeting(fair_id=data.fair.id, request_id=num(x.request),
                  slot_id=data.slots[x.start].id, table_id=num(x.location), status="scheduled")
        for x in meetings
    ]  # fmt: skip
    session.add_all(rows)
    session.flush()
    attendees = [
        {"meeting_id": row.id, "participant_id": num(who), "slot_id": row.slot_id}
        for row, x in zip(rows, meetings, strict=True)
        for who in (x.first, x.second)
    ]
    if attendees:
        session.execute(sa.insert(m.MeetingAttendee), attendees)
    return {x.request: row.id for row, x in zip(rows, meetings, strict=True)}


def _write(
    factory: Factory, data: FairData, remove: Sequence[int], add: Sequence[Meeting]
) -> dict[str, int]:
    """One transaction: delete ``remove``, insert ``add``; a collision is a ConflictError."""
    with transaction(factory) as session:
        try:
            _delete(session, remove)
            session.flush()
            return _insert(session, data, add)
        except IntegrityError as exc:
            raise _conflict() from exc


def _conflict() -> ConflictError:
    return ConflictError(
        "a meeting was booked at the same slot and table or with the same participant "
        "while the schedule was being written; nothing was changed",
        hint="run the scheduler again",
    )


def run_schedule(
    factory: Factory, fair_id: int | None, *, solver: str = "fast",
    time_limit: float | None = 10.0, seed: int = 0, actor: Actor | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Schedule a fair, replace its previous schedule in one transaction, return the result.
    With an ``actor``: only the fair's organiser (or an admin) may."""
    with factory() as session:
        if actor is not None:
            fair_id = access.authorize_fair(session, actor, fair_id, Action.MANAGE).id
        data = load_fair(session, fair_id)
    found = solve(data, solver, time_limit, seed)
    if found.stats.status == "unknown":
        # writing an empty answer would wipe the previous schedule for nothing
        raise ValidationError(
            f"the {solver} solver found no schedule within {time_limit} s; nothing was changed",
            errors=[ErrorDetail("no solution yet", field="time_limit", value=str(time_limit))],
            hint="use --solver fast, or a longer --time-limit",
        )
    placed = [x for x in found.meetings if x.request.startswith("r")]
    ids = _write(factory, data, [row for _x, row in data.current.values()], placed)
    return _result(data, found, placed, ids)


def _result(
    data: FairData, found: scheduling.Schedule, placed: Sequence[Meeting], ids: dict[str, int]
) -> dict[str, Any]:
    """The JSON-able answer: meetings with who, when and where; the rest with reasons."""
    return {
        "fair_id": data.fair.id,
        "synthetic": data.fair.synthetic,
        "solver": found.stats.solver,
        "status": found.stats.status,
        "seconds": found.stats.seconds,
        "objective": found.objective,
        "bound": found.bound,
        "gap": found.gap,
        "moved": found.moved,
        "fixed_meetings": len(data.fixed),
        "meetings": [_engine_meeting(data, x, ids.get(x.request)) for x in placed],
        "unscheduled": [
            {"request_id": num(u.request), "participants": list(data.requests[num(u.request)]),
             "reason": u.reason.value, "detail": u.detail}
            for u in found.unscheduled
            if u.request.startswith("r")
        ],
        "notes": _notes(data),
    }  # fmt: skip


def _notes(data: FairData) -> list[str]:
    notes = [
        "availability: no per-participant availability is stored; every slot counts as free",
        "objective = sum of request weights (matchmaking score x 100, 1..100)",
    ]
    if data.fair.synthetic:
        notes.append("synthetic fair: its simulated meeting outcomes were replaced")
    return notes  # fmt: skip


def _person(data: FairData, pid: int) -> dict[str, Any]:
    person, organisation = data.people.get(pid, ("?", "?"))
    return {"id": pid, "name": person, "organisation": organisation}


def _engine_meeting(data: FairData, x: Meeting, meeting_id: int | None) -> dict[str, Any]:
    slot = data.slots[x.start]
    table = num(x.location)
    name, zone = data.tables[table]
    return {
        "meeting_id": meeting_id,
        "request_id": num(x.request),
        "slot": x.start,
        "slot_id": slot.id,
        "starts_at": slot.starts_at.isoformat(),
        "ends_at": slot.ends_at.isoformat(),
        "table_id": table,
        "table": name,
        "zone": zone,
        "participants": [_person(data, num(x.first)), _person(data, num(x.second))],
    }


# -- incremental rescheduling and single meetings ------------------------------------------


def reschedule(factory: Factory, fair_id: int, added: Iterable[int] = ()) -> dict[str, Any]:
    """Keep the present schedule, insert the ``added`` accepted requests moving as few
    meetings as possible, refill free room; write only what changed; say how many moved."""
    with factory() as session:
        data = load_fair(session, fair_id)
    require_room(data)
    new_ids = {f"r{r}" for r in added}
    base = replace(data.instance, requests=tuple(
        r for r in data.instance.requests if r.id not in new_ids))  # fmt: skip
    new = [r for r in data.instance.requests if r.id in new_ids]
    existing = [x for x, _row in data.current.values()]
    inst, found = scheduling.reschedule(base, [*data.fixed, *existing], added=new)
    scheduling.check_schedule(inst, found.meetings, found.unscheduled, found.objective)\
        .raise_if_invalid()  # fmt: skip
    placed = {x.request: x for x in found.meetings if x.request.startswith("r")}
    was = {rid: (x.start, x.location) for rid, (x, _row) in data.current.items()}
    now = {rid: (x.start, x.location) for rid, x in placed.items()}
    changed = [x for rid, x in placed.items() if was.get(rid) != now[rid]]
    remove = [row for rid, (_x, row) in data.current.items() if now.get(rid) != was[rid]]
    ids = _write(factory, data, remove, changed)
    result = _result(data, found, changed, ids)
    result["meetings_total"] = len(placed)
    return result


def _request(session: Session, request_id: int) -> m.MeetingRequest:
    return access.get_request(session, request_id)


def accept_request(
    factory: Factory, request_id: int, *, place: bool = True, actor: Actor | None = None
) -> dict[str, Any]:
    """Accept a request; with ``place`` fit it into the schedule (incremental). With an
    ``actor``: only the recipient's side, the fair's organiser or an admin may."""
    with transaction(factory) as session:
        req = access.authorize_answer(session, actor, request_id)
        if req.status not in ("requested", "accepted"):
            raise ValidationError(
                f"request {request_id} is {req.status}; only a requested one can be accepted",
                errors=[ErrorDetail("cannot accept", field="status", value=req.status)],
                hint="ask the participant to send a new request",
            )
        req.status = "accepted"
        fair_id = req.fair_id
    if not place:
        return {"request_id": request_id, "request_status": "accepted", "meetings": [], "moved": 0}
    result = reschedule(factory, fair_id, added=[request_id])
    return {**result, "request_id": request_id, "request_status": "accepted"}


def cancel_meeting(
    factory: Factory, meeting_id: int, *, refill: bool = True, actor: Actor | None = None
) -> dict[str, Any]:
    """Cancel a meeting (its request too), free its slot and table; refill the freed room.
    With an ``actor``: only a party to the meeting, the fair's organiser or an admin may."""
    with transaction(factory) as session:
        row = access.authorize_meeting(session, actor, meeting_id, Action.EDIT)
        fair_id, request_id = row.fair_id, row.request_id
        if request_id is not None:
            _request(session, request_id).status = "cancelled"
        # the row is deleted, not marked: a cancelled row would still hold its slot and table
        _delete(session, [meeting_id])
    done: dict[str, Any] = {"cancelled": meeting_id, "request_id": request_id}
    if not refill:
        return {**done, "meetings": [], "moved": 0}
    return {**done, **reschedule(factory, fair_id)}


class _CollidedError(Exception):
    """A concurrent booking took the slot or table between our check and our insert."""


def book_meeting(
    factory: Factory,
    request_id: int,
    slot_id: int,
    table_id: int | None = None,
    actor: Actor | None = None,
) -> dict[str, Any]:
    """Book one accepted request at a slot (and a table, else the first free one).

    Checks run first for clear answers; the unique constraints settle races: a collision
    rolls back and the booking is tried again against the new state. With an ``actor``:
    only a party to the request, the fair's organiser or an admin may book it."""
    if actor is not None:
        with factory() as session:
            access.authorize_request(session, actor, request_id, Action.EDIT)
    for _ in range(BOOK_ATTEMPTS):
        try:
            return _book_once(factory, request_id, slot_id, table_id)
        except _CollidedError:
            continue
    raise ConflictError(
        f"could not book request {request_id}: other bookings kept taking the slot",
        hint="try again or choose another slot",
    )


def _book_once(
    factory: Factory, request_id: int, slot_id: int, table_id: int | None
) -> dict[str, Any]:
    with transaction(factory) as session:
        req = _request(session, request_id)
        slot = session.get(m.MeetingSlot, slot_id)
        if slot is None or slot.fair_id != req.fair_id:
            raise NotFoundError(f"no slot {slot_id} in fair {req.fair_id}")
        _check_bookable(session, req, slot.id, table_id)
        table = table_id if table_id is not None else _free_table(session, req.fair_id, slot.id)
        row = m.Meeting(fair_id=req.fair_id, request_id=req.id, slot_id=slot.id,
                        table_id=table, status="scheduled")  # fmt: skip
        try:
            session.add(row)
            session.flush()
            session.execute(sa.insert(m.MeetingAttendee), [
                {"meeting_id": row.id, "participant_id": p, "slot_id": slot.id}
                for p in (req.requester_id, req.recipient_id)])  # fmt: skip
        except IntegrityError as exc:
            raise _CollidedError() from exc
        meeting_id = row.id
    return describe_meetings(factory, [meeting_id])[0]


def _check_bookable(
    session: Session, req: m.MeetingRequest, slot_id: int, table_id: int | None
) -> None:
    if req.status != "accepted":
        raise ValidationError(
            f"request {req.id} is {req.status}; only accepted requests are booked",
            errors=[ErrorDetail("not accepted", field="status", value=req.status)],
            hint="accept the request first",
        )
    if session.scalar(sa.select(m.Meeting.id).where(m.Meeting.request_id == req.id)):
        raise ConflictError(f"request {req.id} already has a meeting", hint="cancel it first")
    busy = session.scalars(
        sa.select(m.MeetingAttendee.participant_id).where(
            m.MeetingAttendee.slot_id == slot_id,
            m.MeetingAttendee.participant_id.in_((req.requester_id, req.recipient_id)),
        )
    ).all()
    if busy:
        raise ConflictError(
            f"participant(s) {sorted(busy)} already have a meeting at slot {slot_id}",
            hint="choose another slot",
        )
    if table_id is not None and session.scalar(
        sa.select(m.Meeting.id).where(m.Meeting.slot_id == slot_id, m.Meeting.table_id == table_id)
    ):
        raise ConflictError(f"table {table_id} is taken at slot {slot_id}", hint="leave out table")


def _free_table(session: Session, fair_id: int, slot_id: int) -> int:
    taken = sa.select(m.Meeting.table_id).where(m.Meeting.slot_id == slot_id)
    free = session.scalar(
        sa.select(m.MeetingTable.id)
        .where(m.MeetingTable.fair_id == fair_id, m.MeetingTable.id.not_in(taken))
        .order_by(m.MeetingTable.id)
        .limit(1)
    )
    if free is None:
        raise ConflictError(f"every table is taken at slot {slot_id}", hint="choose another slot")
    return free
