"""API tokens: shown once, stored as a digest, scoped, expiring and revocable; audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.audit import list_entries
from servtrade.accounts.models import ApiToken
from servtrade.accounts.roles import AuditAction, Role, Scope
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import TokenCreate
from servtrade.accounts.signing import digest
from servtrade.accounts.tokens import create_token, list_tokens, resolve_token, revoke_token
from servtrade.errors import NotFoundError, PermissionDeniedError

from .support import FakeClock, add_user, admin_user, signed_in

Factory = sessionmaker[Session]


def test_token_is_shown_once_and_stored_as_digest(
    factory: Factory, runtime: AccountsRuntime
) -> None:
    add_user(factory, runtime, "eve@example.org", Role.ANALYST)
    eve = signed_in(factory, runtime, "eve@example.org")[0]
    created = create_token(factory, runtime, eve, TokenCreate(name="notebook"), ip="10.0.0.3")
    assert created.token.startswith(f"st_{created.prefix}_")
    assert (created.scopes, created.expires_at - created.created_at) == (
        [Scope.READ], __import__("datetime").timedelta(days=90),
    )  # fmt: skip
    with factory() as session:
        stored = session.scalars(sa.select(ApiToken.secret_hash)).one()
    assert stored == digest(created.token)
    assert created.token not in stored
    identity = resolve_token(factory, runtime, created.token)
    assert identity is not None
    assert (identity.via, identity.scopes, identity.credential_id) == (
        "token", frozenset({Scope.READ}), created.id,
    )  # fmt: skip
    assert [t.name for t in list_tokens(factory, eve)] == ["notebook"]
    entry = list_entries(factory, action=AuditAction.TOKEN_CREATE)[0]
    assert (entry.actor, entry.ip, entry.details) == (
        "eve@example.org", "10.0.0.3",
        {"token_id": created.id, "name": "notebook", "scopes": ["read"]},
    )  # fmt: skip


def test_tokens_cannot_exceed_the_role_and_expire(
    factory: Factory, runtime: AccountsRuntime, clock: FakeClock
) -> None:
    add_user(factory, runtime, "eve@example.org", Role.ANALYST)
    eve = signed_in(factory, runtime, "eve@example.org")[0]
    with pytest.raises(PermissionDeniedError, match="scope admin: you do not hold it"):
        create_token(factory, runtime, eve, TokenCreate(name="x", scopes=[Scope.ADMIN]))
    short = create_token(factory, runtime, eve, TokenCreate(name="day", expires_in_days=1))
    forever = create_token(factory, runtime, eve, TokenCreate(name="f", expires_in_days=None))
    clock.advance(86_400)
    assert resolve_token(factory, runtime, short.token) is None
    assert resolve_token(factory, runtime, forever.token) is not None
    assert resolve_token(factory, runtime, "not-a-token") is None
    assert resolve_token(factory, runtime, "st_unknown_x") is None


def test_demoted_owner_loses_token_scopes(factory: Factory, runtime: AccountsRuntime) -> None:
    admin_user(factory, runtime)
    add_user(factory, runtime, "boss@example.org", Role.ADMIN)
    boss = signed_in(factory, runtime, "boss@example.org")[0]
    token = create_token(factory, runtime, boss, TokenCreate(name="ops", scopes=list(Scope)))
    from servtrade.accounts.admin import set_role

    set_role(factory, runtime, None, "boss@example.org", Role.BUYER)
    identity = resolve_token(factory, runtime, token.token)
    assert identity is not None
    assert (identity.role, identity.scopes) == (Role.BUYER, frozenset({Scope.READ, Scope.WRITE}))


def test_revoke_by_owner_admin_or_cli_only(factory: Factory, runtime: AccountsRuntime) -> None:
    admin_user(factory, runtime)
    add_user(factory, runtime, "eve@example.org", Role.ANALYST)
    add_user(factory, runtime, "zed@example.org", Role.BUYER)
    eve = signed_in(factory, runtime, "eve@example.org")[0]
    zed = signed_in(factory, runtime, "zed@example.org")[0]
    root = signed_in(factory, runtime, "root@example.org")[0]
    tokens = [create_token(factory, runtime, eve, TokenCreate(name=f"t{n}")) for n in range(3)]
    with pytest.raises(NotFoundError, match=f"no token {tokens[0].id}"):
        revoke_token(factory, runtime, zed, tokens[0].id)
    assert revoke_token(factory, runtime, eve, tokens[0].id).revoked_at is not None
    assert revoke_token(factory, runtime, root, tokens[1].id).revoked_at is not None
    assert revoke_token(factory, runtime, None, tokens[2].id).revoked_at is not None
    assert [resolve_token(factory, runtime, t.token) for t in tokens] == [None, None, None]
    revoked = list_entries(factory, action=AuditAction.TOKEN_REVOKE)
    assert [e.actor for e in revoked] == ["cli", "root@example.org", "eve@example.org"]
