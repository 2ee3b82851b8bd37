"""Use cases of API tokens: create (shown once), resolve a bearer token, list, revoke."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts import audit
from servtrade.accounts.identity import USER_FACTS, Identity, identity_of
from servtrade.accounts.models import ApiToken, User
from servtrade.accounts.registration import aware
from servtrade.accounts.roles import AuditAction, Role, Scope
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import TokenCreate, TokenCreated, TokenPublic
from servtrade.accounts.signing import TOKEN_PREFIX, digest, new_secret
from servtrade.db import reading, transaction
from servtrade.errors import NotFoundError, PermissionDeniedError

SEEN_EVERY = timedelta(minutes=5)


def create_token(
    factory: sessionmaker[Session],
    rt: AccountsRuntime,
    identity: Identity,
    data: TokenCreate,
    ip: str = "",
) -> TokenCreated:
    """A new token for the caller; it can never hold a scope the caller lacks."""
    wanted = frozenset(data.scopes)
    missing = sorted(s.value for s in wanted - identity.scopes)
    if missing:
        raise PermissionDeniedError(
            f"cannot create a token with scope {', '.join(missing)}: you do not hold it"
        )
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{prefix}_{new_secret()}"
    now = rt.now()
    expires = now + timedelta(days=data.expires_in_days) if data.expires_in_days else None
    with transaction(factory) as session:
        row = ApiToken(
            user_id=identity.user_id, name=data.name, prefix=prefix, secret_hash=digest(token),
            scopes=sorted(s.value for s in wanted), created_at=now, expires_at=expires,
        )  # fmt: skip
        session.add(row)
        session.flush()
        audit.record(
            session, AuditAction.TOKEN_CREATE, at=now, actor_id=identity.user_id,
            actor=identity.label, ip=ip,
            details={"token_id": row.id, "name": data.name, "scopes": row.scopes},
        )  # fmt: skip
        public = TokenPublic.model_validate(row)
    return TokenCreated(**public.model_dump(), token=token)


def resolve_token(
    factory: sessionmaker[Session], rt: AccountsRuntime, token: str
) -> Identity | None:
    """The identity behind a bearer token, or ``None`` if unknown, expired or revoked.

    Every API call asks this, so it reads plain columns in one statement (no ORM objects) and
    writes only when ``last_used_at`` is :data:`SEEN_EVERY` old."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = rt.now()
    stmt = (
        sa.select(ApiToken.id.label("token_id"), ApiToken.expires_at, ApiToken.last_used_at)
        .add_columns(ApiToken.scopes, User.active, *USER_FACTS)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.secret_hash == digest(token), ApiToken.revoked_at.is_(None))
    )
    with reading(factory) as session:
        row = session.execute(stmt).first()
    if row is None:
        return None
    expired = row.expires_at is not None and aware(row.expires_at) <= now
    if expired or not row.active:
        return None
    if row.last_used_at is None or aware(row.last_used_at) + SEEN_EVERY <= now:
        with transaction(factory) as session:
            seen = sa.update(ApiToken).where(ApiToken.id == row.token_id)
            session.execute(seen.values(last_used_at=now))
    scopes = frozenset(Scope(s) for s in row.scopes)
    return identity_of(row, "token", row.token_id, scopes=scopes)


def list_tokens(factory: sessionmaker[Session], identity: Identity) -> list[TokenPublic]:
    stmt = sa.select(ApiToken).where(ApiToken.user_id == identity.user_id)
    with factory() as session:
        return [TokenPublic.model_validate(r) for r in session.scalars(stmt.order_by(ApiToken.id))]


def revoke_token(
    factory: sessionmaker[Session],
    rt: AccountsRuntime,
    actor: Identity | None,
    token_id: int,
    ip: str = "",
) -> TokenPublic:
    """Revoke a token: its owner or an admin may (``actor=None``: the command line)."""
    with transaction(factory) as session:
        row = session.get(ApiToken, token_id)
        allowed = (
            actor is None or actor.role is Role.ADMIN or (row and row.user_id == actor.user_id)
        )
        if row is None or not allowed:
            raise NotFoundError(f"no token {token_id}", hint="list your tokens to see their ids")
        if row.revoked_at is None:
            row.revoked_at = rt.now()
        audit.record(
            session, AuditAction.TOKEN_REVOKE, at=rt.now(), ip=ip,
            actor_id=actor.user_id if actor else None, actor=actor.label if actor else "cli",
            subject_id=row.user_id, details={"token_id": token_id, "name": row.name},
        )  # fmt: skip
        return TokenPublic.model_validate(row)
