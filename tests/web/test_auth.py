"""Authentication over HTTP: 401 shape, cookies, sessions, CSRF, token scopes, rate limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.ratelimit import SlidingWindow
from servtrade.accounts.registration import create_admin, invite, register
from servtrade.accounts.roles import Role
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import InvitationCreate, RegisterRequest
from servtrade.config import Settings, load_settings

PASSWORD = "correct horse battery"
UNAUTHENTICATED = {
    "ok": False,
    "error": "sign in or send an API token to use this endpoint "
    "(POST /api/accounts/login, or send 'Authorization: Bearer <token>')",
    "errors": [],
    "status": 401,
    "code": "unauthenticated",
}
PUBLIC_PATHS = {"/api/accounts/login", "/api/accounts/register"}


@dataclass
class Clock:
    t: float = 0.0

    def __call__(self) -> float:
        return self.t

    def now(self) -> datetime:
        return datetime(2026, 9, 1, tzinfo=UTC) + timedelta(seconds=self.t)


@dataclass
class Site:
    client: TestClient
    runtime: AccountsRuntime
    clock: Clock
    factory: sessionmaker[Session]

    def user(self, email: str, role: Role, **links: int | None) -> None:
        data = InvitationCreate(role=role, email=email, **links)
        code = invite(self.factory, self.runtime, None, data).code
        request = RegisterRequest(email=email, password=PASSWORD, invitation=code)
        register(self.factory, self.runtime, request, open_registration=False)

    def login(self, email: str) -> str:
        """Sign in through the API; the client keeps the cookie. Returns the CSRF token."""
        response = self.client.post(
            "/api/accounts/login", json={"email": email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        token: str = response.json()["csrf_token"]
        return token


@pytest.fixture
def site(client: TestClient) -> Site:
    clock = Clock()
    runtime = AccountsRuntime(
        hasher=PasswordHasher.from_parameters(profiles.CHEAPEST), clock=clock, now=clock.now
    )
    app: Any = client.app
    app.state.accounts = runtime
    return Site(client, runtime, clock, app.state.session_factory)


def _routes(client: TestClient) -> list[tuple[str, str]]:
    """Every (method, path) of /api/accounts, read from the OpenAPI spec."""
    paths = client.get("/api/openapi.json").json()["paths"]
    return [
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/accounts")
        for method in operations
    ]


def test_every_non_public_accounts_endpoint_answers_401(site: Site) -> None:
    routes = [(m, p) for m, p in _routes(site.client) if p not in PUBLIC_PATHS]
    assert len(routes) == 16
    for method, path in routes:
        url = path.replace("{session_id}", "1").replace("{token_id}", "1").replace("{user_id}", "1")
        response = site.client.request(method, url, json={})
        assert (response.status_code, response.json()) == (401, UNAUTHENTICATED), (method, url)


def test_login_sets_a_hardened_cookie_and_logout_revokes(site: Site) -> None:
    site.user("eve@example.org", Role.ANALYST)
    response = site.client.post(
        "/api/accounts/login", json={"email": "Eve@Example.org", "password": PASSWORD}
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("servtrade_session=")
    assert ("HttpOnly" in cookie, "SameSite=lax" in cookie, "Secure" in cookie) == (
        True, True, False,
    )  # fmt: skip
    assert "Max-Age=604800" in cookie
    body = response.json()
    assert (body["user"]["email"], body["user"]["role"]) == ("eve@example.org", "analyst")
    me = site.client.get("/api/accounts/me").json()
    assert (me["email"], me["locale"]) == ("eve@example.org", "en")
    stolen = site.client.cookies.get("servtrade_session")
    out = site.client.post("/api/accounts/logout", headers={"X-CSRF-Token": body["csrf_token"]})
    assert (out.status_code, out.json()) == (200, {"ok": True})
    site.client.cookies.set("servtrade_session", stolen or "")
    assert site.client.get("/api/accounts/me").status_code == 401  # revoked on the server


def test_forged_or_foreign_cookie_is_anonymous(site: Site) -> None:
    site.user("eve@example.org", Role.ANALYST)
    site.login("eve@example.org")
    value = site.client.cookies.get("servtrade_session") or ""
    secret, _, signature = value.rpartition(".")
    site.client.cookies.set("servtrade_session", f"{secret}x.{signature}")
    assert site.client.get("/api/accounts/me").json() == UNAUTHENTICATED


def test_production_cookies_are_secure(migrated_settings: Settings) -> None:
    from servtrade.web.app import create_app

    prod = load_settings(
        data_dir=migrated_settings.data_dir, environment="production", secret_key="s" * 40
    )
    with TestClient(create_app(prod), base_url="https://testserver") as client:
        app: Any = client.app
        runtime = AccountsRuntime(hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
        app.state.accounts = runtime
        create_admin(app.state.session_factory, runtime, "root@example.org", PASSWORD)
        response = client.post(
            "/api/accounts/login", json={"email": "root@example.org", "password": PASSWORD}
        )
        assert "Secure" in response.headers["set-cookie"]
        assert client.get("/api/accounts/me").json()["role"] == "admin"


def test_cookie_writes_to_the_api_need_the_csrf_header(site: Site) -> None:
    site.user("eve@example.org", Role.ANALYST)
    csrf = site.login("eve@example.org")
    body = {"name": "notebook"}
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        refused = site.client.post("/api/accounts/tokens", json=body, headers=headers)
        assert (refused.status_code, refused.json()["code"], refused.json()["error"]) == (
            403, "forbidden",
            "the form or request has no valid CSRF token (reload the page and submit again; "
            "API clients send X-CSRF-Token)",
        )  # fmt: skip
    made = site.client.post("/api/accounts/tokens", json=body, headers={"X-CSRF-Token": csrf})
    assert (made.status_code, made.json()["name"], made.json()["scopes"]) == (
        201, "notebook", ["read"],
    )  # fmt: skip


def test_token_scopes_and_revocation(site: Site) -> None:
    site.user("eve@example.org", Role.ANALYST)
    csrf = site.login("eve@example.org")
    made = {}
    for name, scopes in (("reader", ["read"]), ("writer", ["read", "write"])):
        response = site.client.post(
            "/api/accounts/tokens", json={"name": name, "scopes": scopes},
            headers={"X-CSRF-Token": csrf},
        )  # fmt: skip
        made[name] = response.json()
    site.client.cookies.clear()
    reader = {"Authorization": f"Bearer {made['reader']['token']}"}
    writer = {"Authorization": f"Bearer {made['writer']['token']}"}
    assert site.client.get("/api/accounts/me", headers=reader).json()["email"] == "eve@example.org"
    denied = site.client.post("/api/accounts/tokens", json={"name": "x"}, headers=reader)
    assert (denied.status_code, denied.json()["error"]) == (
        403, "this needs the 'write' scope; the credential has read "
        "(create a token with that scope)",
    )  # fmt: skip
    listed = site.client.get("/api/accounts/tokens", headers=writer).json()
    assert [(t["name"], "token" in t) for t in listed] == [("reader", False), ("writer", False)]
    gone = site.client.delete(f"/api/accounts/tokens/{made['reader']['id']}", headers=writer)
    assert gone.json()["revoked_at"] is not None
    after = site.client.get("/api/accounts/me", headers=reader)
    assert (after.status_code, after.json()["error"]) == (
        401, "the API token is invalid, expired or revoked (create a new token)",
    )  # fmt: skip
    bad = site.client.get("/api/accounts/me", headers={"Authorization": "Basic abc"})
    assert (bad.status_code, bad.json()["code"]) == (401, "unauthenticated")


def test_login_rate_limit_answers_429_until_the_window_passes(site: Site) -> None:
    site.user("eve@example.org", Role.ANALYST)
    wrong = {"email": "eve@example.org", "password": "not the password"}
    codes = [site.client.post("/api/accounts/login", json=wrong).status_code for _ in range(11)]
    assert codes == [401] * 10 + [429]
    limited = site.client.post("/api/accounts/login", json=wrong).json()
    assert limited == {
        "ok": False,
        "error": "too many sign-in attempts: at most 10 per 300 s (try again in 300 s)",
        "errors": [{"message": "rate limited", "field": "retry_after", "value": "300"}],
        "status": 429,
        "code": "rate_limited",
    }
    site.clock.t += 301
    assert site.login("eve@example.org")


def test_write_rate_limit_per_caller(site: Site) -> None:
    site.runtime.write_limiter = SlidingWindow(2, 60, name="write requests", clock=site.clock)
    site.user("eve@example.org", Role.ANALYST)
    csrf = site.login("eve@example.org")
    codes = [
        site.client.patch("/api/accounts/me", json={"display_name": f"E{n}"},
                          headers={"X-CSRF-Token": csrf}).status_code
        for n in range(3)
    ]  # fmt: skip
    assert codes == [200, 200, 429]
    assert site.client.get("/api/accounts/me").json()["display_name"] == "E1"


def test_admin_endpoints_and_audit(site: Site) -> None:
    create_admin(site.factory, site.runtime, "root@example.org", PASSWORD)
    site.user("eve@example.org", Role.PUBLIC)
    site.login("eve@example.org")
    denied = site.client.get("/api/accounts/users")
    assert (denied.status_code, denied.json()["error"]) == (
        403, "this needs the role admin; you are public",
    )  # fmt: skip
    site.client.cookies.clear()
    csrf = site.login("root@example.org")
    users = site.client.get("/api/accounts/users").json()
    eve = next(u for u in users if u["email"] == "eve@example.org")
    changed = site.client.put(
        f"/api/accounts/users/{eve['id']}/role", json={"role": "analyst"},
        headers={"X-CSRF-Token": csrf},
    )  # fmt: skip
    assert changed.json()["role"] == "analyst"
    log = site.client.get("/api/accounts/audit", params={"action": "role_change"}).json()
    assert [(e["actor"], e["subject_id"], e["details"]) for e in log] == [
        ("root@example.org", eve["id"], {"from": "public", "to": "analyst"})
    ]
    assert site.client.get("/api/accounts/audit", params={"limit": 0}).status_code == 422


def test_invite_register_export_delete_over_the_api(site: Site) -> None:
    site.user("org@fair.example", Role.ORGANISER)
    csrf = site.login("org@fair.example")
    invited = site.client.post(
        "/api/accounts/invitations", json={"role": "buyer", "email": "bea@buyer.example"},
        headers={"X-CSRF-Token": csrf},
    )  # fmt: skip
    assert (invited.status_code, invited.json()["role"]) == (201, "buyer")
    assert [i["email"] for i in site.client.get("/api/accounts/invitations").json()] == [
        "bea@buyer.example"
    ]
    site.client.cookies.clear()
    body = {
        "email": "bea@buyer.example",
        "password": PASSWORD,
        "invitation": invited.json()["code"],
    }
    made = site.client.post("/api/accounts/register", json=body)
    assert (made.status_code, made.json()["role"]) == (201, "buyer")
    csrf = site.login("bea@buyer.example")
    assert site.client.get("/api/accounts/invitations").status_code == 403
    export = site.client.get("/api/accounts/me/export").json()
    assert (export["account"]["email"], export["fair"]) == ("bea@buyer.example", {})
    sessions = site.client.get("/api/accounts/me/sessions").json()
    assert [s["current"] for s in sessions] == [True]
    consent = site.client.put(
        "/api/accounts/me/contact-consent", json={"share_contact": True},
        headers={"X-CSRF-Token": csrf},
    )  # fmt: skip
    assert (consent.status_code, consent.json()["code"]) == (409, "conflict")
    deleted = site.client.post(
        "/api/accounts/me/delete", json={"confirm_email": "bea@buyer.example"},
        headers={"X-CSRF-Token": csrf},
    )  # fmt: skip
    assert deleted.json()["deleted"]["account"] == 1
    assert site.client.get("/api/accounts/me").status_code == 401


def test_sessions_of_others_are_not_found(site: Site) -> None:
    site.user("eve@example.org", Role.ANALYST)
    site.user("zed@example.org", Role.ANALYST)
    site.login("eve@example.org")
    eve_session = site.client.get("/api/accounts/me/sessions").json()[0]["id"]
    site.client.cookies.clear()
    csrf = site.login("zed@example.org")
    response = site.client.delete(
        f"/api/accounts/me/sessions/{eve_session}", headers={"X-CSRF-Token": csrf}
    )
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    mine = site.client.get("/api/accounts/me/sessions").json()[0]["id"]
    own = site.client.delete(f"/api/accounts/me/sessions/{mine}", headers={"X-CSRF-Token": csrf})
    assert own.json()["revoked_at"] is not None
    assert site.client.get("/api/accounts/me").status_code == 401
