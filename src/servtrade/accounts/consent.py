"""Contact consent: whether a participant lets others see their contact details."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts import audit
from servtrade.accounts.identity import Identity
from servtrade.accounts.models import ContactConsent
from servtrade.accounts.roles import AuditAction
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.db import transaction
from servtrade.errors import ConflictError


def contact_consents(session: Session, participant_ids: Iterable[int]) -> dict[int, bool]:
    """Consent flag per participant id; no row means no consent (the safe default)."""
    ids = sorted(set(participant_ids))
    found: dict[int, bool] = dict.fromkeys(ids, False)
    if not ids:
        return found
    stmt = sa.select(ContactConsent.participant_id, ContactConsent.share_contact).where(
        ContactConsent.participant_id.in_(ids)
    )
    found.update({pid: bool(flag) for pid, flag in session.execute(stmt)})
    return found


def set_contact_consent(
    factory: sessionmaker[Session],
    rt: AccountsRuntime,
    identity: Identity,
    share_contact: bool,
    ip: str = "",
) -> bool:
    """The caller (a linked participant) gives or withdraws consent to share contact details."""
    pid = identity.participant_id
    if pid is None:
        raise ConflictError(
            "your account is not linked to a fair participant",
            hint="ask the organiser to link it; consent is given per participant",
        )
    now = rt.now()
    with transaction(factory) as session:
        row = session.get(ContactConsent, pid) or ContactConsent(participant_id=pid)
        row.share_contact, row.updated_at, row.updated_by = share_contact, now, identity.user_id
        session.add(row)
        audit.record(
            session, AuditAction.CONSENT_CHANGE, at=now, actor_id=identity.user_id,
            actor=identity.label, ip=ip,
            details={"participant_id": pid, "share_contact": share_contact},
        )  # fmt: skip
    return share_contact
