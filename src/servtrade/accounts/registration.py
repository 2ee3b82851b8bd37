"""Use cases that create accounts: the first admin, invitations, registration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts import audit
from servtrade.accounts.identity import Identity
from servtrade.accounts.models import Invitation, User
from servtrade.accounts.passwords import check_strength, hash_password
from servtrade.accounts.roles import INVITABLE, OPEN_ROLES, AuditAction, Role
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import (
    InvitationCreate,
    InvitationCreated,
    InvitationPublic,
    RegisterRequest,
    UserPublic,
    normalise_email,
)
from servtrade.accounts.signing import digest, new_secret
from servtrade.db import transaction
from servtrade.errors import (
    ConflictError,
    ErrorDetail,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from servtrade.market import models as market


def aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _email(text: str) -> str:
    try:
        return normalise_email(text)
    except ValueError as exc:
        raise ValidationError(
            str(exc), errors=[ErrorDetail(str(exc), field="email", value=text)]
        ) from None


def _ensure_new(session: Session, email: str) -> None:
    if session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise ConflictError(
            f"an account for {email} already exists",
            hint="sign in, or ask an admin to reset the password",
        )


def create_admin(
    factory: sessionmaker[Session],
    rt: AccountsRuntime,
    email: str,
    password: str,
    display_name: str = "",
) -> UserPublic:
    """Create an admin account (the CLI's ``accounts create-admin``)."""
    address = _email(email)
    check_strength(password)
    with transaction(factory) as session:
        _ensure_new(session, address)
        user = User(
            email=address,
            display_name=display_name,
            password_hash=hash_password(password, rt.hasher),
            role=Role.ADMIN.value,
            created_at=rt.now(),
        )
        session.add(user)
        session.flush()
        audit.record(
            session, AuditAction.REGISTER, at=rt.now(), actor="cli", subject_id=user.id,
            details={"role": Role.ADMIN.value, "via": "create-admin"},
        )  # fmt: skip
        return UserPublic.model_validate(user)


def _check_invitable(inviter: Identity | None, data: InvitationCreate) -> int | None:
    """The fair the invitation is for; organisers invite only into their own fair."""
    if inviter is None:  # the command line runs with the operator's authority
        return data.fair_id
    if data.role not in INVITABLE.get(inviter.role, frozenset()):
        raise PermissionDeniedError(f"a {inviter.role.value} may not invite a {data.role.value}")
    if inviter.role is Role.ORGANISER:
        if data.fair_id not in (None, inviter.fair_id):
            raise PermissionDeniedError("organisers invite only into their own fair")
        return inviter.fair_id
    return data.fair_id


def invite(
    factory: sessionmaker[Session],
    rt: AccountsRuntime,
    inviter: Identity | None,
    data: InvitationCreate,
    ip: str = "",
) -> InvitationCreated:
    """Create an invitation; the code is returned once and only its digest is kept."""
    fair_id = _check_invitable(inviter, data)
    code = new_secret(24)
    now = rt.now()
    with transaction(factory) as session:
        _check_links(session, data, fair_id)
        row = Invitation(
            code_hash=digest(code),
            email=data.email,
            role=data.role.value,
            organisation_id=data.organisation_id,
            participant_id=data.participant_id,
            fair_id=fair_id,
            created_by=inviter.user_id if inviter else None,
            created_at=now,
            expires_at=now + timedelta(days=data.days),
        )
        session.add(row)
        session.flush()
        audit.record(
            session, AuditAction.INVITE, at=now, ip=ip,
            actor_id=inviter.user_id if inviter else None,
            actor=inviter.label if inviter else "cli",
            details={"invitation_id": row.id, "role": data.role.value, "fair_id": fair_id},
        )  # fmt: skip
        public = InvitationPublic.model_validate(row)
    return InvitationCreated(**public.model_dump(), code=code)


_LINKS = (
    ("organisation_id", "organisation", market.Organisation),
    ("participant_id", "participant", market.Participant),
    ("fair_id", "fair", market.Fair),
)


def _check_links(session: Session, data: InvitationCreate, fair_id: int | None) -> None:
    """404 naming the field when the invitation links to a row that does not exist (the
    foreign key would refuse it later, as a database error)."""
    values = {**data.model_dump(include={"organisation_id", "participant_id"}), "fair_id": fair_id}
    for name, what, table in _LINKS:
        value = values[name]
        if value is not None and session.get(table, value) is None:
            raise NotFoundError(
                f"no {what} with id {value}",
                errors=[ErrorDetail(f"no such {what}", field=name, value=str(value))],
                hint=f"leave out {name}, or use the id of an existing {what}",
            )


def _open_invitation(session: Session, code: str, email: str, now: datetime) -> Invitation:
    row = session.scalar(sa.select(Invitation).where(Invitation.code_hash == digest(code)))
    if row is None or row.used_at is not None or aware(row.expires_at) <= now:
        raise NotFoundError(
            "this invitation code is unknown, used or expired",
            errors=[ErrorDetail("no open invitation", field="invitation")],
            hint="ask the organiser for a new invitation",
        )
    if row.email and row.email != email:
        raise PermissionDeniedError(
            "this invitation is for another email address",
            errors=[ErrorDetail("email does not match the invitation", field="email", value=email)],
        )
    return row


def register(
    factory: sessionmaker[Session],
    rt: AccountsRuntime,
    data: RegisterRequest,
    *,
    open_registration: bool,
    ip: str = "",
) -> UserPublic:
    """Register with an invitation code, or (when enabled) openly as ``public``/``buyer``."""
    check_strength(data.password)
    if data.invitation is None and not open_registration:
        raise PermissionDeniedError(
            "registration is by invitation only", hint="ask an organiser for an invitation code"
        )
    password_hash = hash_password(data.password, rt.hasher)
    now = rt.now()
    with transaction(factory) as session:
        _ensure_new(session, data.email)
        user = User(email=data.email, display_name=data.display_name, password_hash=password_hash)
        user.created_at, user.role = now, Role(data.role).value
        invitation = None
        if data.invitation is not None:
            invitation = _open_invitation(session, data.invitation, data.email, now)
            user.role, user.fair_id = invitation.role, invitation.fair_id
            user.organisation_id = invitation.organisation_id
            user.participant_id = invitation.participant_id
        elif Role(data.role) not in OPEN_ROLES:  # pragma: no cover - the schema allows only these
            raise PermissionDeniedError(f"open registration cannot grant {data.role}")
        session.add(user)
        session.flush()
        if invitation is not None:
            invitation.used_at, invitation.used_by = now, user.id
        audit.record(
            session, AuditAction.REGISTER, at=now, ip=ip, actor_id=user.id, actor=user.email,
            subject_id=user.id,
            details={"role": user.role, "invitation_id": invitation.id if invitation else None},
        )  # fmt: skip
        return UserPublic.model_validate(user)


def list_invitations(factory: sessionmaker[Session], inviter: Identity) -> list[InvitationPublic]:
    """Invitations this user created (all of them for an admin)."""
    stmt = sa.select(Invitation).order_by(Invitation.id.desc())
    if inviter.role is not Role.ADMIN:
        stmt = stmt.where(Invitation.created_by == inviter.user_id)
    with factory() as session:
        return [InvitationPublic.model_validate(r) for r in session.scalars(stmt)]
