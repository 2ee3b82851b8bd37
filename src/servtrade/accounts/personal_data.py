""" "Export my data" and "delete my data" (GDPR articles 15, 17 and 20; PIPL articles 45, 47).

Deleting removes the account, its sessions and tokens, blanks the personal fields of the
linked fair participant (name, email) and pseudonymises the audit trail, while the fair's
aggregate records (offers, meetings, deals of the organisation) stay for its statistics.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts import audit
from servtrade.accounts.admin import ensure_not_last_admin
from servtrade.accounts.identity import Identity
from servtrade.accounts.models import (
    ApiToken,
    AuditEntry,
    ContactConsent,
    Invitation,
    LoginSession,
    User,
)
from servtrade.accounts.roles import AuditAction
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import (
    AuditEntryPublic,
    Deleted,
    InvitationPublic,
    SessionPublic,
    TokenPublic,
    UserPublic,
)
from servtrade.db import transaction
from servtrade.errors import ErrorDetail, ValidationError
from servtrade.market.models import MeetingRequest, Need, Offer, Participant, row_dict

DELETED_NAME = "(deleted)"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(session: Session, stmt: sa.Select[Any]) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row_dict(r).items()} for r in session.scalars(stmt)]


def _fair_records(session: Session, participant_id: int | None) -> dict[str, Any]:
    if participant_id is None:
        return {}
    asked = sa.or_(
        MeetingRequest.requester_id == participant_id, MeetingRequest.recipient_id == participant_id
    )
    return {
        "participant": _rows(
            session, sa.select(Participant).where(Participant.id == participant_id)
        ),
        "offers": _rows(session, sa.select(Offer).where(Offer.participant_id == participant_id)),
        "needs": _rows(session, sa.select(Need).where(Need.participant_id == participant_id)),
        "meeting_requests": _rows(session, sa.select(MeetingRequest).where(asked)),
    }


def _dump(model: Any, rows: Any) -> list[dict[str, Any]]:
    return [model.model_validate(r).model_dump(mode="json") for r in rows]


def export_my_data(
    factory: sessionmaker[Session], rt: AccountsRuntime, identity: Identity, ip: str = ""
) -> dict[str, Any]:
    """Everything stored about the caller, as JSON-ready values; the export is audited."""
    uid = identity.user_id
    with transaction(factory) as session:
        user = session.get_one(User, uid)
        mine = sa.or_(AuditEntry.actor_id == uid, AuditEntry.subject_id == uid)
        consent = session.get(ContactConsent, user.participant_id) if user.participant_id else None
        data = {
            "exported_at": rt.now().isoformat(),
            "account": UserPublic.model_validate(user).model_dump(mode="json"),
            "sessions": _dump(SessionPublic, session.scalars(
                sa.select(LoginSession).where(LoginSession.user_id == uid))),
            "tokens": _dump(TokenPublic, session.scalars(
                sa.select(ApiToken).where(ApiToken.user_id == uid))),
            "invitations_created": _dump(InvitationPublic, session.scalars(
                sa.select(Invitation).where(Invitation.created_by == uid))),
            "contact_consent": consent.share_contact if consent else None,
            "audit": _dump(AuditEntryPublic, session.scalars(
                sa.select(AuditEntry).where(mine).order_by(AuditEntry.id))),
            "fair": _fair_records(session, user.participant_id),
        }  # fmt: skip
        audit.record(
            session, AuditAction.EXPORT, at=rt.now(), actor_id=uid, actor=identity.label, ip=ip
        )
    return data


def _count(session: Session, stmt: Any) -> int:
    return int(getattr(session.execute(stmt), "rowcount", 0) or 0)


def _anonymise_participant(session: Session, participant_id: int | None) -> int:
    if participant_id is None:
        return 0
    session.execute(
        sa.delete(ContactConsent).where(ContactConsent.participant_id == participant_id)
    )
    row = session.get(Participant, participant_id)
    if row is None:
        return 0
    row.person_name, row.email = DELETED_NAME, None
    return 1


def _pseudonymise_audit(session: Session, user: User, label: str) -> int:
    by_id = sa.update(AuditEntry).where(AuditEntry.actor_id == user.id).values(actor=label)
    by_email = (
        sa.update(AuditEntry)
        .where(AuditEntry.actor == user.email)
        .values(actor=label, details={})  # failed sign-ins keep the typed email in details
    )
    return _count(session, by_id) + _count(session, by_email)


def delete_my_data(
    factory: sessionmaker[Session],
    rt: AccountsRuntime,
    identity: Identity,
    confirm_email: str,
    ip: str = "",
) -> Deleted:
    """Delete the caller's account and personal data; confirm by typing the account's email."""
    if confirm_email.strip().lower() != identity.email:
        raise ValidationError(
            "the confirmation does not match your email address",
            errors=[ErrorDetail("type your own email to confirm", field="confirm_email")],
        )
    uid, label = identity.user_id, f"deleted user {identity.user_id}"
    with transaction(factory) as session:
        user = session.get_one(User, uid)
        ensure_not_last_admin(session, user)
        counts = {
            "sessions": _count(session, sa.delete(LoginSession).where(LoginSession.user_id == uid)),
            "tokens": _count(session, sa.delete(ApiToken).where(ApiToken.user_id == uid)),
            "participant_anonymised": _anonymise_participant(session, user.participant_id),
            "audit_pseudonymised": _pseudonymise_audit(session, user, label),
        }
        session.execute(
            sa.update(Invitation).where(Invitation.email == user.email).values(email=None)
        )
        session.delete(user)
        session.flush()
        counts["account"] = 1
        audit.record(
            session, AuditAction.DELETION, at=rt.now(), actor_id=uid, actor=label, ip=ip,
            subject_id=uid, details=dict(counts),
        )  # fmt: skip
    return Deleted(deleted=counts)
