"""Reads of a fair's meeting schedule: pages, a participant's agenda (also as iCalendar), the
organiser's slot x table grid and per-table sheets. No commits; two statements per read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.db import kept_read, reading
from servtrade.errors import NotFoundError
from servtrade.market import models as m
from servtrade.market import queries

Factory = sessionmaker[Session]
MAX_PAGE = 500


def _select() -> Any:
    return (
        sa.select(
            m.Meeting.id, m.Meeting.request_id, m.Meeting.status, m.MeetingSlot.id,
            m.MeetingSlot.starts_at, m.MeetingSlot.ends_at, m.MeetingTable.id,
            m.MeetingTable.name, m.Zone.name,
        )
        .join(m.MeetingSlot, m.MeetingSlot.id == m.Meeting.slot_id)
        .join(m.MeetingTable, m.MeetingTable.id == m.Meeting.table_id)
        .outerjoin(m.Zone, m.Zone.id == m.MeetingTable.zone_id)
    )  # fmt: skip


def _attendees(session: Session, meeting_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    rows = session.execute(
        sa.select(m.MeetingAttendee.meeting_id, m.Participant.id, m.Participant.person_name,
                  m.Organisation.name)
        .join(m.Participant, m.Participant.id == m.MeetingAttendee.participant_id)
        .join(m.Organisation, m.Organisation.id == m.Participant.organisation_id)
        .where(m.MeetingAttendee.meeting_id.in_(meeting_ids))
        .order_by(m.MeetingAttendee.meeting_id, m.Participant.id)
    )  # fmt: skip
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for mid, pid, person, organisation in rows:
        found[mid].append({"id": pid, "name": person, "organisation": organisation})
    return found


def _rows(session: Session, stmt: Any) -> list[dict[str, Any]]:
    rows = list(session.execute(stmt))
    who = _attendees(session, [r[0] for r in rows])
    return [
        {"meeting_id": r[0], "request_id": r[1], "status": r[2], "slot_id": r[3],
         "starts_at": r[4].isoformat(), "ends_at": r[5].isoformat(), "table_id": r[6],
         "table": r[7], "zone": r[8] or "hall", "participants": who.get(r[0], [])}
        for r in rows
    ]  # fmt: skip


def _ordered(stmt: Any) -> Any:
    return stmt.order_by(m.MeetingSlot.starts_at, m.MeetingTable.name, m.Meeting.id)


def describe_meetings(factory: Factory, meeting_ids: Sequence[int]) -> list[dict[str, Any]]:
    with reading(factory) as session:
        return _rows(session, _ordered(_select().where(m.Meeting.id.in_(meeting_ids))))


@kept_read()
def schedule_page(
    factory: Factory,
    fair_id: int | None,
    limit: int = 50,
    offset: int = 0,
    *,
    organisation_id: int | None = None,
) -> dict[str, Any]:
    """One page of a fair's meetings in slot then table order, with the total; with
    ``organisation_id`` only the meetings one of its participants attends."""
    limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)
    with reading(factory) as session:
        fair = queries.get_fair(session, fair_id)
        where = m.Meeting.fair_id == fair.id
        if organisation_id is not None:
            theirs = (
                sa.select(m.MeetingAttendee.meeting_id)
                .join(m.Participant, m.Participant.id == m.MeetingAttendee.participant_id)
                .where(m.Participant.organisation_id == organisation_id)
            )
            where = where & m.Meeting.id.in_(theirs)
        total = session.scalar(sa.select(sa.func.count(m.Meeting.id)).where(where)) or 0
        items = _rows(session, _ordered(_select().where(where)).limit(limit).offset(offset))
    return {"fair_id": fair.id, "total": total, "limit": limit, "offset": offset, "items": items}


def agenda(factory: Factory, participant_id: int) -> dict[str, Any]:
    """A participant's meetings in time order, each with the counterpart."""
    with reading(factory) as session:
        person = queries.get_participant(session, participant_id)
        mine = sa.select(m.MeetingAttendee.meeting_id).where(
            m.MeetingAttendee.participant_id == participant_id
        )
        meetings = _rows(session, _ordered(_select().where(m.Meeting.id.in_(mine))))
        return {
            "participant_id": participant_id,
            "name": person.person_name,
            "fair_id": person.fair_id,
            "meetings": meetings,
        }


def _fair_slots(session: Session, fair_id: int) -> list[m.MeetingSlot]:
    return list(
        session.scalars(
            sa.select(m.MeetingSlot)
            .where(m.MeetingSlot.fair_id == fair_id)
            .order_by(m.MeetingSlot.starts_at)
        )
    )


def grid(factory: Factory, fair_id: int | None, day: int = 1) -> dict[str, Any]:
    """The organiser's slot x table grid of one day (1-based) of a fair."""
    with reading(factory) as session:
        fair = queries.get_fair(session, fair_id)
        slots = _fair_slots(session, fair.id)
        days = sorted({s.starts_at.date() for s in slots})
        day = min(max(1, day), max(1, len(days)))
        today = [s for s in slots if days and s.starts_at.date() == days[day - 1]]
        tables = list(
            session.execute(
                sa.select(m.MeetingTable.id, m.MeetingTable.name)
                .where(m.MeetingTable.fair_id == fair.id)
                .order_by(m.MeetingTable.name)
            )
        )
        ids = [s.id for s in today]
        meetings = _rows(session, _ordered(_select().where(m.Meeting.slot_id.in_(ids))))
    cells = {(x["slot_id"], x["table_id"]): x for x in meetings}
    return {
        "fair": fair,
        "day": day,
        "days": [d.isoformat() for d in days],
        "tables": [{"id": t, "name": n} for t, n in tables],
        "rows": [{"slot": s, "cells": [cells.get((s.id, t)) for t, _n in tables]} for s in today],
        "meetings": len(meetings),
    }


def table_sheet(factory: Factory, table_id: int) -> dict[str, Any]:
    """Everything one table hosts, in time order (the printable sheet for the table)."""
    with reading(factory) as session:
        table = session.get(m.MeetingTable, table_id)
        if table is None:
            raise NotFoundError(f"no meeting table with id {table_id}")
        fair = queries.get_fair(session, table.fair_id)
        meetings = _rows(session, _ordered(_select().where(m.Meeting.table_id == table_id)))
    return {"fair": fair, "table": table, "meetings": meetings}


# -- iCalendar (RFC 5545) ------------------------------------------------------------------


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 section 3.3.11)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets are folded with CRLF + space (RFC 5545 section 3.1)."""
    out: list[str] = []
    current = ""
    for ch in line:
        limit = 75 if not out else 74
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = ""
        current += ch
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def _stamp(value: str) -> str:
    """DATE-TIME: UTC with ``Z`` when the time has a zone, else floating local time."""
    when = datetime.fromisoformat(value)
    if when.tzinfo is not None:
        return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return when.strftime("%Y%m%dT%H%M%S")


def _event(participant_id: int, x: dict[str, Any], now: str) -> list[str]:
    others = [p for p in x["participants"] if p["id"] != participant_id]
    who = ", ".join(f"{p['name']} ({p['organisation']})" for p in others) or "?"
    return [
        "BEGIN:VEVENT",
        f"UID:servtrade-meeting-{x['meeting_id']}@servtrade",
        f"DTSTAMP:{now}",
        f"DTSTART:{_stamp(x['starts_at'])}",
        f"DTEND:{_stamp(x['ends_at'])}",
        f"SUMMARY:{_escape('Meeting with ' + who)}",
        f"LOCATION:{_escape('Table ' + x['table'] + ', ' + x['zone'])}",
        f"DESCRIPTION:{_escape('Request ' + str(x['request_id']) + '; status ' + x['status'])}",
        "STATUS:" + ("CANCELLED" if x["status"] == "cancelled" else "CONFIRMED"),
        "END:VEVENT",
    ]


def to_ics(found: dict[str, Any], now: datetime | None = None) -> str:
    """A participant's agenda (from :func:`agenda`) as an iCalendar text with CRLF lines."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//servtrade//meeting agenda//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_escape('Meetings of ' + found['name'])}"]  # fmt: skip
    for x in found["meetings"]:
        lines += _event(found["participant_id"], x, stamp)
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def agenda_ics(factory: Factory, participant_id: int) -> str:
    return to_ics(agenda(factory, participant_id))
