"""Use cases of meeting requests: ask for a meeting, decline one, list a participant's.

Accepting a request (which also places it in the schedule) lives in
:mod:`servtrade.market.schedule_service`. Every function takes the caller as an
:class:`~servtrade.accounts.policy.Actor` (``None`` for the trusted CLI) and asks
:mod:`servtrade.market.access` before it reads or writes.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.policy import Action, Actor, Kind, authorize
from servtrade.db import transaction
from servtrade.errors import ConflictError, ErrorDetail, ValidationError
from servtrade.market import access, queries
from servtrade.market import models as m

Factory = sessionmaker[Session]
MAX_MESSAGE = 1000


def _describe(session: Session, req: m.MeetingRequest) -> dict[str, Any]:
    who = queries.people(session, [req.requester_id, req.recipient_id])
    meeting = session.execute(
        sa.select(m.Meeting.id, m.MeetingSlot.starts_at, m.MeetingTable.name)
        .join(m.MeetingSlot, m.MeetingSlot.id == m.Meeting.slot_id)
        .join(m.MeetingTable, m.MeetingTable.id == m.Meeting.table_id)
        .where(m.Meeting.request_id == req.id)
    ).first()

    def party(pid: int) -> dict[str, Any]:
        person, organisation, economy = who.get(pid, ("?", "?", None))
        return {"id": pid, "name": person, "organisation": organisation, "economy": economy}

    return {
        "id": req.id,
        "fair_id": req.fair_id,
        "status": req.status,
        "message": req.message,
        "created_at": req.created_at.isoformat() if req.created_at else None,
        "requester": party(req.requester_id),
        "recipient": party(req.recipient_id),
        "meeting": None
        if meeting is None
        else {"id": meeting[0], "starts_at": meeting[1].isoformat(), "table": meeting[2]},
    }


def _requester_id(actor: Actor | None, requester_id: int | None) -> int:
    if requester_id is not None:
        return requester_id
    if actor is not None and actor.participant_id is not None:
        return actor.participant_id
    raise ValidationError(
        "no requesting participant: the account is not linked to a participant",
        errors=[ErrorDetail("missing", field="requester_id")],
        hint="give requester_id, or ask the organiser to link your account to your participant",
    )


def _refuse(message: str, field: str, value: object, hint: str) -> ValidationError:
    return ValidationError(
        message, errors=[ErrorDetail(message, field=field, value=str(value))], hint=hint
    )


def _check_pair(session: Session, requester: m.Participant, recipient: m.Participant) -> None:
    if requester.id == recipient.id:
        raise _refuse("a participant cannot request a meeting with itself", "recipient_id",
                      recipient.id, "choose another participant")  # fmt: skip
    if requester.fair_id != recipient.fair_id:
        raise _refuse(f"participant {recipient.id} is at another fair", "recipient_id",
                      recipient.id, "request meetings within one fair")  # fmt: skip
    if not recipient.consent_matchmaking:
        raise _refuse(f"participant {recipient.id} does not take meeting requests",
                      "recipient_id", recipient.id, "choose another participant")  # fmt: skip
    blocked = session.scalar(
        sa.select(sa.func.count()).where(
            sa.or_(
                (m.DoNotMeet.participant_id == requester.id)
                & (m.DoNotMeet.other_id == recipient.id),
                (m.DoNotMeet.participant_id == recipient.id)
                & (m.DoNotMeet.other_id == requester.id),
            )
        )
    )
    if blocked:
        raise _refuse(f"a meeting with participant {recipient.id} cannot be requested",
                      "recipient_id", recipient.id, "choose another participant")  # fmt: skip


def request_meeting(
    factory: Factory,
    recipient_id: int,
    *,
    requester_id: int | None = None,
    message: str = "",
    actor: Actor | None = None,
) -> dict[str, Any]:
    """Ask ``recipient_id`` for a meeting on behalf of ``requester_id`` (default: the actor's
    own participant). The requester must be the actor's own (or the organiser's fair); the
    recipient must be visible to the actor, at the same fair, and open to requests."""
    text = message.strip()
    if len(text) > MAX_MESSAGE:
        raise _refuse(f"the message has {len(text)} characters; at most {MAX_MESSAGE}",
                      "message", f"{text[:40]}...", "shorten the message")  # fmt: skip
    with transaction(factory) as session:
        requester = queries.get_participant(session, _requester_id(actor, requester_id))
        if actor is not None:
            own = access.participant_resource(requester, kind=Kind.MEETING_REQUEST)
            authorize(actor, Action.CREATE, own)
        recipient = access.authorize_participant(session, actor, recipient_id)
        _check_pair(session, requester, recipient)
        existing = session.scalar(
            sa.select(m.MeetingRequest).where(
                m.MeetingRequest.requester_id == requester.id,
                m.MeetingRequest.recipient_id == recipient.id,
            )
        )
        if existing is not None:
            raise ConflictError(
                f"participant {requester.id} already asked {recipient.id} "
                f"(request {existing.id}, {existing.status})",
                hint="one request per pair; see GET /api/market/participants/{id}/requests",
            )
        row = m.MeetingRequest(
            fair_id=requester.fair_id, requester_id=requester.id, recipient_id=recipient.id,
            status="requested", message=text,
        )  # fmt: skip
        session.add(row)
        try:
            session.flush()
        except IntegrityError as exc:  # a concurrent identical request won the race
            raise ConflictError("this meeting was just requested", hint="reload") from exc
        return _describe(session, row)


def decline_request(
    factory: Factory, request_id: int, actor: Actor | None = None
) -> dict[str, Any]:
    """The recipient's side (or the organiser) declines a request that is not yet accepted."""
    with transaction(factory) as session:
        req = access.authorize_answer(session, actor, request_id)
        if req.status != "requested":
            raise _refuse(f"request {request_id} is {req.status}; only a requested one can be "
                          "declined", "status", req.status,
                          "cancel the meeting instead")  # fmt: skip
        req.status = "declined"
        return _describe(session, req)


def requests_of(
    factory: Factory, participant_id: int, actor: Actor | None = None
) -> dict[str, Any]:
    """A participant's incoming and outgoing requests, newest first (its own side only)."""
    with factory() as session:
        access.authorize_participant(session, actor, participant_id, kind=Kind.SCHEDULE)
        rows = session.scalars(
            sa.select(m.MeetingRequest)
            .where(
                sa.or_(
                    m.MeetingRequest.requester_id == participant_id,
                    m.MeetingRequest.recipient_id == participant_id,
                )
            )
            .order_by(m.MeetingRequest.id.desc())
        ).all()
        described = [_describe(session, r) for r in rows]
    return {
        "participant_id": participant_id,
        "incoming": [r for r in described if r["recipient"]["id"] == participant_id],
        "outgoing": [r for r in described if r["requester"]["id"] == participant_id],
    }
