"""Use cases of administration: list users, change a role (never losing the last admin)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts import audit
from servtrade.accounts.identity import Identity
from servtrade.accounts.models import User
from servtrade.accounts.roles import AuditAction, Role
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import UserPublic
from servtrade.db import transaction
from servtrade.errors import ConflictError, NotFoundError


def list_users(factory: sessionmaker[Session], role: Role | None = None) -> list[UserPublic]:
    stmt = sa.select(User).order_by(User.id)
    if role is not None:
        stmt = stmt.where(User.role == role.value)
    with factory() as session:
        return [UserPublic.model_validate(u) for u in session.scalars(stmt)]


def find_user(session: Session, who: str | int) -> User:
    """A user by id or email; a clear 404 otherwise."""
    text = str(who).strip()
    if text.isdigit():
        user = session.get(User, int(text))
    else:
        user = session.scalar(sa.select(User).where(User.email == text.lower()))
    if user is None:
        raise NotFoundError(f"no user {who!r}", hint="list users with: servtrade accounts list")
    return user


def ensure_not_last_admin(session: Session, user: User) -> None:
    """Refuse to remove the only active admin (nobody could administer the platform)."""
    if user.role != Role.ADMIN.value:
        return
    admins = session.scalar(
        sa.select(sa.func.count()).where(User.role == Role.ADMIN.value, User.active.is_(True))
    )
    if (admins or 0) <= 1:
        raise ConflictError(f"{user.email} is the last admin", hint="make another user admin first")


def set_role(
    factory: sessionmaker[Session],
    rt: AccountsRuntime,
    actor: Identity | None,
    who: str | int,
    role: Role,
    *,
    ip: str = "",
) -> UserPublic:
    """Give ``who`` a new role; recorded in the audit log with the old and new role."""
    with transaction(factory) as session:
        user = find_user(session, who)
        before = user.role
        if before != role.value:
            ensure_not_last_admin(session, user)
        user.role = role.value
        audit.record(
            session, AuditAction.ROLE_CHANGE, at=rt.now(), ip=ip, subject_id=user.id,
            actor_id=actor.user_id if actor else None, actor=actor.label if actor else "cli",
            details={"from": before, "to": role.value},
        )  # fmt: skip
        return UserPublic.model_validate(user)
