"""Users and bearer tokens for web tests, made the way production makes them.

``bearer(app, email, role, organisation_id=..., participant_id=..., fair_id=...)`` invites and
registers a user with that role and those links, creates a read+write API token for it and
returns the ``Authorization`` header. The app gets a cheap password hasher on first use.
"""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher, profiles

from servtrade.accounts.identity import identity_of
from servtrade.accounts.models import User
from servtrade.accounts.registration import create_admin, invite, register
from servtrade.accounts.roles import ROLE_SCOPES, Role, Scope
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import InvitationCreate, RegisterRequest, TokenCreate
from servtrade.accounts.tokens import create_token

PASSWORD = "correct horse battery"


def runtime_of(app: Any) -> AccountsRuntime:
    runtime: AccountsRuntime | None = getattr(app.state, "accounts", None)
    if runtime is None:
        runtime = AccountsRuntime(hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
        app.state.accounts = runtime
    return runtime


def _token(app: Any, user_id: int, scopes: tuple[Scope, ...] | None) -> dict[str, str]:
    factory, runtime = app.state.session_factory, runtime_of(app)
    with factory() as session:
        user = session.get(User, user_id)
        assert user is not None
        identity = identity_of(user, "session", 0)
    wanted = list(scopes or sorted(ROLE_SCOPES[identity.role] - {Scope.ADMIN}))
    made = create_token(factory, runtime, identity, TokenCreate(name="test", scopes=wanted))
    return {"Authorization": f"Bearer {made.token}"}


def bearer(
    app: Any,
    email: str,
    role: Role,
    scopes: tuple[Scope, ...] | None = None,
    **links: int | None,
) -> dict[str, str]:
    """The bearer header of a new user with ``role`` and ``links``."""
    factory, runtime = app.state.session_factory, runtime_of(app)
    if role is Role.ADMIN:
        user_id = create_admin(factory, runtime, email, PASSWORD, "Admin").id
    else:
        code = invite(
            factory, runtime, None, InvitationCreate(role=role, email=email, **links)
        ).code
        data = RegisterRequest(email=email, password=PASSWORD, invitation=code)
        user_id = register(factory, runtime, data, open_registration=False).id
    return _token(app, user_id, scopes)


def browser_sign_in(page: Any, base_url: str, email: str, then: str = "/") -> None:
    """Sign ``email`` in through the login form in a Playwright page, then open ``then``."""
    page.goto(f"{base_url}/login?next={then}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_url(f"{base_url}{then}")
