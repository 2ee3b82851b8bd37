"""The audit log: security-relevant actions with actor, time, address and details."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.models import AuditEntry
from servtrade.accounts.roles import AuditAction
from servtrade.accounts.schemas import AuditEntryPublic


def record(
    session: Session,
    action: AuditAction,
    *,
    at: datetime,
    actor_id: int | None = None,
    actor: str = "",
    subject_id: int | None = None,
    ip: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry to ``session`` (the caller's use case commits it with its own work)."""
    entry = AuditEntry(
        at=at,
        action=action.value,
        actor_id=actor_id,
        actor=actor[:254],
        subject_id=subject_id,
        ip=ip[:64],
        details=details or {},
    )
    session.add(entry)
    return entry


def list_entries(
    factory: sessionmaker[Session],
    *,
    action: AuditAction | None = None,
    actor_id: int | None = None,
    limit: int = 100,
) -> list[AuditEntryPublic]:
    """The newest ``limit`` entries, optionally of one action or one actor."""
    stmt = sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action.value)
    if actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    with factory() as session:
        return [AuditEntryPublic.model_validate(e) for e in session.scalars(stmt)]
