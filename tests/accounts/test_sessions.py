"""Login, failed login, rehash on login, session expiry, logout and revocation; audited."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.audit import list_entries
from servtrade.accounts.models import User
from servtrade.accounts.roles import AuditAction, Role, Scope
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.sessions import (
    list_sessions,
    login,
    logout,
    resolve_session,
    revoke_session,
)
from servtrade.errors import AuthenticationError, NotFoundError, RateLimitedError

from .support import PASSWORD, FakeClock, add_user, signed_in

Factory = sessionmaker[Session]


def test_login_opens_a_session_that_logout_closes(
    factory: Factory, runtime: AccountsRuntime
) -> None:
    add_user(factory, runtime, "eve@example.org", Role.ANALYST)
    outcome = login(factory, runtime, "eve@example.org", PASSWORD, ip="10.0.0.9", user_agent="t")
    identity = resolve_session(factory, runtime, outcome.session_secret)
    assert identity is not None
    assert (identity.email, identity.role, identity.via, identity.scopes) == (
        "eve@example.org", Role.ANALYST, "session", frozenset({Scope.READ, Scope.WRITE}),
    )  # fmt: skip
    assert identity.csrf_secret == outcome.csrf_secret
    assert outcome.user.last_login_at is not None
    logout(factory, runtime, identity, ip="10.0.0.9")
    assert resolve_session(factory, runtime, outcome.session_secret) is None
    assert [(e.action, e.ip) for e in list_entries(factory)][:2] == [
        ("logout", "10.0.0.9"), ("login", "10.0.0.9"),
    ]  # fmt: skip


def test_wrong_password_and_unknown_email_fail_alike(
    factory: Factory, runtime: AccountsRuntime
) -> None:
    add_user(factory, runtime, "eve@example.org", Role.ANALYST)
    for email in ("eve@example.org", "nobody@example.org"):
        with pytest.raises(AuthenticationError) as info:
            login(factory, runtime, email, "wrong password", ip="10.0.0.2")
        assert str(info.value) == "wrong email or password (check both and try again)"
    failed = list_entries(factory, action=AuditAction.LOGIN_FAILED)
    assert [(e.actor, e.details) for e in failed] == [
        ("nobody@example.org", {"email": "nobody@example.org"}),
        ("eve@example.org", {"email": "eve@example.org"}),
    ]


def test_login_is_rate_limited_per_email(
    factory: Factory, runtime: AccountsRuntime, clock: FakeClock
) -> None:
    add_user(factory, runtime, "eve@example.org", Role.ANALYST)
    for n in range(10):
        with pytest.raises(AuthenticationError):
            login(factory, runtime, "eve@example.org", "guess", ip=f"10.0.1.{n}")
    with pytest.raises(RateLimitedError):
        login(factory, runtime, "eve@example.org", PASSWORD, ip="10.0.2.1")
    clock.advance(301)
    assert login(factory, runtime, "eve@example.org", PASSWORD, ip="10.0.2.1").user.email == (
        "eve@example.org"
    )


def test_sessions_expire_and_can_be_revoked(
    factory: Factory, runtime: AccountsRuntime, clock: FakeClock
) -> None:
    add_user(factory, runtime, "eve@example.org", Role.ANALYST)
    first, first_secret = signed_in(factory, runtime, "eve@example.org")
    second, second_secret = signed_in(factory, runtime, "eve@example.org")
    listed = list_sessions(factory, second)
    assert [(s.id, s.current) for s in listed] == [(second.credential_id, True),
                                                   (first.credential_id, False)]  # fmt: skip
    revoked = revoke_session(factory, runtime, second, first.credential_id)
    assert revoked.revoked_at is not None
    assert resolve_session(factory, runtime, first_secret) is None
    with pytest.raises(NotFoundError):
        add_user(factory, runtime, "zed@example.org", Role.BUYER)
        other = signed_in(factory, runtime, "zed@example.org")[0]
        revoke_session(factory, runtime, other, second.credential_id)
    clock.advance(7 * 86_400)
    assert resolve_session(factory, runtime, second_secret) is None


def test_stale_hash_is_replaced_at_login(factory: Factory, clock: FakeClock) -> None:
    cheap = AccountsRuntime(hasher=PasswordHasher.from_parameters(profiles.CHEAPEST),
                            clock=clock, now=clock.now)  # fmt: skip
    add_user(factory, cheap, "eve@example.org", Role.ANALYST)
    stronger = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    upgraded = AccountsRuntime(hasher=stronger, clock=clock, now=clock.now)
    login(factory, upgraded, "eve@example.org", PASSWORD)
    with factory() as session:
        stored = session.query(User).one().password_hash
    assert stored.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert [e.action for e in list_entries(factory)][:2] == ["login", "password_rehash"]


def test_inactive_users_cannot_sign_in(factory: Factory, runtime: AccountsRuntime) -> None:
    add_user(factory, runtime, "eve@example.org", Role.ANALYST)
    identity, secret = signed_in(factory, runtime, "eve@example.org")
    with factory() as session:
        session.query(User).update({"active": False})
        session.commit()
    assert resolve_session(factory, runtime, secret) is None
    with pytest.raises(AuthenticationError):
        login(factory, runtime, "eve@example.org", PASSWORD)
    assert identity.actor.role is Role.ANALYST
