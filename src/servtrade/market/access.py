"""Object permissions on the fair's rows: reads the row, asks :mod:`servtrade.accounts.policy`.

The policy decides on plain values; this module turns database rows (participants, meeting
requests, meetings, fairs) into those values, so every endpoint asks the same question the
same way:

- :func:`authorize_participant`, :func:`authorize_request`, :func:`authorize_meeting`,
  :func:`authorize_fair` raise 404 when the caller may not even see the object (ids do not
  leak) and 403 when it may see but not do;
- :func:`viewer` gives list queries the rows a caller may list;
- :func:`redact_contacts` blanks contact details without the participant's consent.

``actor=None`` means a trusted local caller (the CLI): everything is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from servtrade.accounts.models import ContactConsent
from servtrade.accounts.policy import Action, Actor, Kind, Resource, authorize, can
from servtrade.accounts.roles import Role
from servtrade.errors import NotFoundError, PermissionDeniedError
from servtrade.market import models as m
from servtrade.market import queries

_FAIR_STAFF = frozenset({Role.ADMIN})


def sees_whole_fair(actor: Actor | None, fair_id: int) -> bool:
    """Admins, the fair's own organiser and trusted local callers see every row of it."""
    if actor is None or actor.role in _FAIR_STAFF:
        return True
    return actor.role is Role.ORGANISER and actor.fair_id == fair_id


def viewer(actor: Actor | None, fair_id: int) -> queries.Viewer:
    """The rows of ``fair_id`` that ``actor`` may list."""
    if sees_whole_fair(actor, fair_id):
        return queries.TRUSTED
    assert actor is not None
    return queries.Viewer(member_of=actor.fair_id, organisation_id=actor.organisation_id)


def _consents(session: Session, participant_ids: Iterable[int]) -> set[int]:
    ids = list(participant_ids)
    if not ids:
        return set()
    rows = session.scalars(
        sa.select(ContactConsent.participant_id).where(
            ContactConsent.participant_id.in_(ids), ContactConsent.share_contact.is_(True)
        )
    )
    return set(rows)


def _participant(kind: Kind, values: Any, consent: bool) -> Resource:
    """A participant's :class:`Resource` from anything with its fields (a row or a dict)."""

    def get(name: str) -> Any:
        return values[name] if isinstance(values, dict) else getattr(values, name)

    return Resource(
        kind=kind,
        organisation_id=get("organisation_id"),
        fair_id=get("fair_id"),
        participant_id=get("id"),
        visibility=get("visibility"),
        contact_consent=consent,
    )


def participant_resource(
    participant: m.Participant, consent: bool = False, kind: Kind = Kind.PARTICIPANT
) -> Resource:
    return _participant(kind, participant, consent)


def redact_contacts(
    session: Session, actor: Actor | None, rows: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``rows`` (participant dicts) with ``email`` blanked unless ``actor`` may see it: its own
    organisation's, or consented -- organisers and admins included (the consent is the
    participant's to give)."""
    if actor is None:
        return list(rows)
    consented = _consents(session, [r["id"] for r in rows])
    return [
        row
        if can(
            actor, Action.VIEW_CONTACT, _participant(Kind.PARTICIPANT, row, row["id"] in consented)
        )
        else {**row, "email": None}
        for row in rows
    ]


def authorize_participant(
    session: Session,
    actor: Actor | None,
    participant_id: int,
    action: Action = Action.VIEW,
    kind: Kind = Kind.PARTICIPANT,
) -> m.Participant:
    """The participant, if ``actor`` may do ``action`` to it (or to its ``kind`` of data:
    ``Kind.RECOMMENDATION`` or ``Kind.SCHEDULE`` for what is private to its organisation)."""
    found = queries.get_participant(session, participant_id)
    if actor is not None:
        consent = bool(_consents(session, [found.id]))
        authorize(actor, action, participant_resource(found, consent, kind))
    return found


def _organisations(session: Session, participant_ids: Iterable[int]) -> dict[int, int]:
    rows = session.execute(
        sa.select(m.Participant.id, m.Participant.organisation_id).where(
            m.Participant.id.in_(list(participant_ids))
        )
    )
    return {pid: org for pid, org in rows}  # noqa: C416 - rows are Row objects, not pairs


def request_resource(session: Session, req: m.MeetingRequest) -> Resource:
    orgs = _organisations(session, (req.requester_id, req.recipient_id))
    return Resource(
        kind=Kind.MEETING_REQUEST,
        organisation_id=orgs.get(req.requester_id),
        fair_id=req.fair_id,
        parties=frozenset(orgs.values()),
    )


def get_request(session: Session, request_id: int) -> m.MeetingRequest:
    found = session.get(m.MeetingRequest, request_id)
    if found is None:
        raise NotFoundError(f"no meeting request with id {request_id}", hint="check the id")
    return found


def authorize_request(
    session: Session, actor: Actor | None, request_id: int, action: Action = Action.VIEW
) -> m.MeetingRequest:
    found = get_request(session, request_id)
    if actor is not None:
        authorize(actor, action, request_resource(session, found))
    return found


def authorize_answer(session: Session, actor: Actor | None, request_id: int) -> m.MeetingRequest:
    """Only the recipient's side (or the fair's organiser, or an admin) answers a request."""
    found = authorize_request(session, actor, request_id, Action.EDIT)
    if actor is None or sees_whole_fair(actor, found.fair_id):
        return found
    recipient = _organisations(session, [found.recipient_id]).get(found.recipient_id)
    if actor.organisation_id != recipient:
        raise PermissionDeniedError(
            f"only the recipient of meeting request {request_id} may accept or decline it",
            hint="wait for the other side's answer, or withdraw your request",
        )
    return found


def authorize_meeting(
    session: Session, actor: Actor | None, meeting_id: int, action: Action = Action.VIEW
) -> m.Meeting:
    found = session.get(m.Meeting, meeting_id)
    if found is None:
        raise NotFoundError(f"no meeting with id {meeting_id}", hint="check the id")
    if actor is not None:
        attendees = session.scalars(
            sa.select(m.MeetingAttendee.participant_id).where(
                m.MeetingAttendee.meeting_id == meeting_id
            )
        ).all()
        orgs = _organisations(session, attendees)
        resource = Resource(
            kind=Kind.MEETING, fair_id=found.fair_id, parties=frozenset(orgs.values())
        )
        authorize(actor, action, resource)
    return found


def authorize_fair(
    session: Session, actor: Actor | None, fair_id: int | None, action: Action = Action.VIEW
) -> m.Fair:
    """The fair; ``Action.MANAGE`` (import, schedule) only for its organiser and admins."""
    found = queries.get_fair(session, fair_id)
    if actor is not None:
        authorize(actor, action, Resource(kind=Kind.FAIR, fair_id=found.id))
    return found
