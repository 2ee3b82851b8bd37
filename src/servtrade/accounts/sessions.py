"""Use cases of signing in and out: login, session lookup, logout, listing and revoking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts import audit
from servtrade.accounts.identity import Identity, identity_of
from servtrade.accounts.models import LoginSession, User
from servtrade.accounts.passwords import verify_password
from servtrade.accounts.registration import aware
from servtrade.accounts.roles import AuditAction
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import SessionPublic, UserPublic
from servtrade.accounts.signing import digest, new_secret
from servtrade.db import transaction
from servtrade.errors import AuthenticationError, NotFoundError

# Refresh ``last_seen_at`` at most this often, so reads do not each cost a write.
SEEN_EVERY = timedelta(minutes=5)
# A well-formed argon2 hash of a random string: unknown emails cost the same time as known ones.
_DUMMY: dict[str, str] = {}


@dataclass(frozen=True)
class LoginOutcome:
    """A new session: the user, the cookie secret (shown once) and the CSRF secret."""

    user: UserPublic
    session_secret: str
    csrf_secret: str
    session_id: int


def _failed(factory: sessionmaker[Session], rt: AccountsRuntime, email: str, ip: str) -> None:
    with transaction(factory) as session:
        audit.record(
            session, AuditAction.LOGIN_FAILED, at=rt.now(), actor=email, ip=ip,
            details={"email": email},
        )  # fmt: skip


def _check(rt: AccountsRuntime, user: User | None, password: str) -> tuple[bool, str | None]:
    if user is None or not user.active:
        dummy = _DUMMY.setdefault(str(rt.hasher.memory_cost), rt.hasher.hash(new_secret(8)))
        verify_password(dummy, password, rt.hasher)
        return False, None
    return verify_password(user.password_hash, password, rt.hasher)


def login(
    factory: sessionmaker[Session],
    rt: AccountsRuntime,
    email: str,
    password: str,
    *,
    ip: str = "",
    user_agent: str = "",
) -> LoginOutcome:
    """Check the password and open a session; rate limited per address and per email."""
    rt.login_limiter.hit(f"ip:{ip}")
    rt.login_limiter.hit(f"email:{email}")
    with factory() as session:
        user = session.scalar(sa.select(User).where(User.email == email))
        ok, new_hash = _check(rt, user, password)
    if not ok or user is None:
        _failed(factory, rt, email, ip)
        raise AuthenticationError("wrong email or password", hint="check both and try again")
    secret, csrf, now = new_secret(), new_secret(), rt.now()
    with transaction(factory) as session:
        row = session.get_one(User, user.id)
        if new_hash is not None:
            row.password_hash = new_hash
            audit.record(session, AuditAction.PASSWORD_REHASH, at=now, actor_id=row.id)
        row.last_login_at = now
        login_session = LoginSession(
            user_id=row.id, secret_hash=digest(secret), csrf_secret=csrf, created_at=now,
            expires_at=now + rt.session_lifetime, last_seen_at=now, ip=ip[:64],
            user_agent=user_agent[:300],
        )  # fmt: skip
        session.add(login_session)
        session.flush()
        audit.record(
            session, AuditAction.LOGIN, at=now, actor_id=row.id, actor=row.email, ip=ip,
            details={"session_id": login_session.id},
        )  # fmt: skip
        return LoginOutcome(UserPublic.model_validate(row), secret, csrf, login_session.id)


def resolve_session(
    factory: sessionmaker[Session], rt: AccountsRuntime, secret: str
) -> Identity | None:
    """The identity behind a session cookie secret, or ``None`` if unknown, expired or revoked."""
    now = rt.now()
    stmt = (
        sa.select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.secret_hash == digest(secret), LoginSession.revoked_at.is_(None))
    )
    with factory() as session:
        found = session.execute(stmt).first()
        if found is None:
            return None
        row, user = found[0], found[1]
        if aware(row.expires_at) <= now or not user.active:
            return None
        seen = row.last_seen_at
        if seen is None or aware(seen) + SEEN_EVERY <= now:
            row.last_seen_at = now
            session.commit()
        return identity_of(user, "session", row.id, csrf_secret=row.csrf_secret)


def logout(
    factory: sessionmaker[Session], rt: AccountsRuntime, identity: Identity, ip: str = ""
) -> None:
    """End the caller's session (a token caller has no session to end)."""
    if identity.via != "session":
        return
    with transaction(factory) as session:
        row = session.get_one(LoginSession, identity.credential_id)
        row.revoked_at = rt.now()
        audit.record(
            session, AuditAction.LOGOUT, at=rt.now(), actor_id=identity.user_id,
            actor=identity.label, ip=ip, details={"session_id": row.id},
        )  # fmt: skip


def list_sessions(factory: sessionmaker[Session], identity: Identity) -> list[SessionPublic]:
    """The caller's sessions, newest first, marking the one in use."""
    stmt = (
        sa.select(LoginSession)
        .where(LoginSession.user_id == identity.user_id)
        .order_by(LoginSession.id.desc())
    )
    current = identity.credential_id if identity.via == "session" else None
    with factory() as session:
        return [
            SessionPublic.model_validate(r).model_copy(update={"current": r.id == current})
            for r in session.scalars(stmt)
        ]


def revoke_session(
    factory: sessionmaker[Session],
    rt: AccountsRuntime,
    identity: Identity,
    session_id: int,
    ip: str = "",
) -> SessionPublic:
    """Sign one of the caller's sessions out (another browser, a lost laptop)."""
    with transaction(factory) as session:
        row = session.get(LoginSession, session_id)
        if row is None or row.user_id != identity.user_id:
            raise NotFoundError(f"no session {session_id} of yours", hint="list them first")
        if row.revoked_at is None:
            row.revoked_at = rt.now()
        audit.record(
            session, AuditAction.SESSION_REVOKED, at=rt.now(), actor_id=identity.user_id,
            actor=identity.label, ip=ip, details={"session_id": session_id},
        )  # fmt: skip
        return SessionPublic.model_validate(row)
