"""Write a generated fair into the database with bulk inserts (the caller owns the transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from servtrade.db import Base
from servtrade.market import models as m
from servtrade.market.synthetic_parts import Row, SyntheticFair


def insert_ids(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in one statement batch and return their new ids, in order."""
    if not rows:
        return []
    key = sa.inspect(model).primary_key[0]
    stmt = sa.insert(model).returning(key, sort_by_parameter_order=True)
    return list(session.scalars(stmt, list(rows)))


def insert_rows(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(sa.insert(model), list(rows))


def _pick(row: Row, *keys: str) -> dict[str, Any]:
    return {k: row[k] for k in keys}


def write_fair(session: Session, fair: SyntheticFair) -> int:
    """Insert every row of ``fair``; returns the new fair's id."""
    fair_id = insert_ids(session, m.Fair, [fair.fair])[0]
    zone_ids = dict(
        zip(
            (z["name"] for z in fair.zones),
            insert_ids(
                session, m.Zone, [{"fair_id": fair_id, **_pick(z, "name")} for z in fair.zones]
            ),
            strict=True,
        )
    )
    insert_rows(
        session,
        m.ZoneSection,
        [{"zone_id": zone_ids[z["name"]], "name": s} for z in fair.zones for s in z["sections"]],
    )
    _activities(session, fair, fair_id, zone_ids)
    org_ids = _organisations(session, fair)
    people = _participants(session, fair, fair_id, org_ids)
    _fair_extras(session, fair, fair_id, zone_ids, org_ids)
    _items(session, fair, fair_id, people)
    _meetings(session, fair, fair_id=fair_id, zones=zone_ids, people=people, orgs=org_ids)
    return fair_id


def _activities(session: Session, fair: SyntheticFair, fair_id: int, zones: dict[str, int]) -> None:
    rows = [
        {
            "fair_id": fair_id,
            "zone_id": zones.get(a["zone"]) if a["zone"] else None,
            **_pick(a, "kind", "title", "starts_at", "ends_at"),
        }
        for a in fair.activities
    ]
    ids = insert_ids(session, m.Activity, rows)
    sessions = [
        {"activity_id": aid, **s}
        for aid, a in zip(ids, fair.activities, strict=True)
        for s in a["sessions"]
    ]
    insert_rows(session, m.ActivitySession, sessions)


def _organisations(session: Session, fair: SyntheticFair) -> dict[str, int]:
    rows = [{**o, "synthetic": True} for o in fair.organisations]
    ids = insert_ids(session, m.Organisation, rows)
    return {o["external_id"]: i for o, i in zip(fair.organisations, ids, strict=True)}


def _participants(
    session: Session, fair: SyntheticFair, fair_id: int, orgs: dict[str, int]
) -> dict[str, int]:
    keys = ("external_id", "person_name", "consent_matchmaking", "visibility")
    rows = [
        {"fair_id": fair_id, "organisation_id": orgs[p["organisation"]], **_pick(p, *keys)}
        for p in fair.participants
    ]
    ids = insert_ids(session, m.Participant, rows)
    roles = [
        {"participant_id": i, "role": r}
        for p, i in zip(fair.participants, ids, strict=True)
        for r in p["roles"]
    ]
    insert_rows(session, m.ParticipantRole, roles)
    return {p["external_id"]: i for p, i in zip(fair.participants, ids, strict=True)}


def _fair_extras(
    session: Session, fair: SyntheticFair, fair_id: int, zones: dict[str, int], orgs: dict[str, int]
) -> None:
    insert_rows(
        session,
        m.Booth,
        [
            {
                "fair_id": fair_id,
                "zone_id": zones[b["zone"]],
                "organisation_id": orgs[b["organisation"]],
                "code": b["code"],
            }
            for b in fair.booths
        ],
    )
    insert_rows(
        session,
        m.Partner,
        [
            {"fair_id": fair_id, "organisation_id": orgs[p["organisation"]], "sector": p["sector"]}
            for p in fair.partners
        ],
    )
    insert_rows(
        session,
        m.Launch,
        [
            {
                "fair_id": fair_id,
                "organisation_id": orgs[x["organisation"]],
                "zone_id": zones[x["zone"]],
                **_pick(x, "kind", "title", "ebops"),
            }
            for x in fair.launches
        ],
    )
    keys = ("external_id", "category", "title", "ebops", "modes", "markets", "description", "url")
    insert_rows(
        session,
        m.Listing,
        [
            {"organisation_id": orgs[x["organisation"]], "synthetic": True, **_pick(x, *keys)}
            for x in fair.listings
        ],
    )


def _items(session: Session, fair: SyntheticFair, fair_id: int, people: dict[str, int]) -> None:
    keys = ("external_id", "ebops", "modes", "markets", "description", "size")
    for model, rows in ((m.Offer, fair.offers), (m.Need, fair.needs)):
        insert_rows(
            session,
            model,
            [
                {"fair_id": fair_id, "participant_id": people[r["participant"]], **_pick(r, *keys)}
                for r in rows
            ],
        )


def _meetings(
    session: Session,
    fair: SyntheticFair,
    *,
    fair_id: int,
    zones: dict[str, int],
    people: dict[str, int],
    orgs: dict[str, int],
) -> None:
    request_ids = insert_ids(
        session,
        m.MeetingRequest,
        [
            {
                "fair_id": fair_id,
                "requester_id": people[r["requester"]],
                "recipient_id": people[r["recipient"]],
                "status": r["status"],
            }
            for r in fair.requests
        ],
    )
    slot_ids = insert_ids(session, m.MeetingSlot, [{"fair_id": fair_id, **s} for s in fair.slots])
    table_ids = insert_ids(
        session,
        m.MeetingTable,
        [{"fair_id": fair_id, "name": t["name"], "zone_id": zones[t["zone"]]} for t in fair.tables],
    )
    meeting_ids = insert_ids(
        session,
        m.Meeting,
        [
            {
                "fair_id": fair_id,
                "request_id": request_ids[x["request"]],
                "slot_id": slot_ids[x["slot"]],
                "table_id": table_ids[x["table"]],
                "status": x["status"],
            }
            for x in fair.meetings
        ],
    )
    attendees = [
        {
            "meeting_id": mid,
            "participant_id": people[p],
            "slot_id": slot_ids[x["slot"]],
            "attended": ok,
        }
        for mid, x in zip(meeting_ids, fair.meetings, strict=True)
        for p, ok in x["attendees"]
    ]
    insert_rows(session, m.MeetingAttendee, attendees)
    deals = [
        {
            "fair_id": fair_id,
            "meeting_id": meeting_ids[d["meeting"]],
            "seller_id": orgs[d["seller"]],
            "buyer_id": orgs[d["buyer"]],
            **_pick(d, "ebops", "value", "currency", "status"),
        }
        for d in fair.deals
    ]
    insert_rows(session, m.Deal, deals)
