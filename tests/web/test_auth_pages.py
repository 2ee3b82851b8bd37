"""The account pages: sign in with CSRF, register by invitation, my account, my data."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.registration import invite, register
from servtrade.accounts.roles import Role
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import InvitationCreate, RegisterRequest

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def _now() -> datetime:
    return datetime(2026, 9, 1, tzinfo=UTC)


@pytest.fixture
def web(client: TestClient) -> TestClient:
    app: Any = client.app
    app.state.accounts = AccountsRuntime(
        hasher=PasswordHasher.from_parameters(profiles.CHEAPEST), now=_now
    )
    return client


def _factory(client: TestClient) -> sessionmaker[Session]:
    app: Any = client.app
    factory: sessionmaker[Session] = app.state.session_factory
    return factory


def _runtime(client: TestClient) -> AccountsRuntime:
    app: Any = client.app
    runtime: AccountsRuntime = app.state.accounts
    return runtime


def _invitation(client: TestClient, role: Role = Role.ANALYST, **links: Any) -> str:
    data = InvitationCreate(role=role, **links)
    return invite(_factory(client), _runtime(client), None, data).code


def _user(client: TestClient, email: str) -> None:
    data = RegisterRequest(email=email, password=PASSWORD, invitation=_invitation(client))
    register(_factory(client), _runtime(client), data, open_registration=False)


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _sign_in(client: TestClient, email: str) -> Any:
    page = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": _csrf(page.text),
              "next": "/account"},
        follow_redirects=False,
    )  # fmt: skip


def test_login_form_needs_its_csrf_token(web: TestClient) -> None:
    _user(web, "eve@example.org")
    page = web.get("/login")
    assert (page.status_code, "servtrade_form=" in page.headers["set-cookie"]) == (200, True)
    assert INLINE.search(page.text) is None
    refused = web.post("/login", data={"email": "eve@example.org", "password": PASSWORD})
    assert refused.status_code == 403
    assert "no valid CSRF token" in refused.text
    wrong = web.post(
        "/login",
        data={"email": "eve@example.org", "password": "nope", "csrf_token": _csrf(page.text)},
    )
    assert (wrong.status_code, "Sign-in failed: wrong email or password" in wrong.text) == (
        401, True,
    )  # fmt: skip
    done = _sign_in(web, "eve@example.org")
    assert (done.status_code, done.headers["location"]) == (303, "/account")
    assert "servtrade_session=" in done.headers["set-cookie"]


def test_open_redirects_are_refused(web: TestClient) -> None:
    _user(web, "eve@example.org")
    page = web.get("/login")
    for target, expected in (("//evil.example/x", "/account"), ("https://evil.example", "/account"),
                             ("/fair", "/fair")):  # fmt: skip
        web.cookies.delete("servtrade_session")
        response = web.post(
            "/login",
            data={"email": "eve@example.org", "password": PASSWORD, "next": target,
                  "csrf_token": _csrf(page.text)},
            follow_redirects=False,
        )  # fmt: skip
        assert response.headers["location"] == expected


def test_account_page_tokens_sessions_and_logout(web: TestClient) -> None:
    signed_out = web.get("/account", follow_redirects=False)
    assert signed_out.status_code == 401 and 'href="/login?next=/account"' in signed_out.text
    _user(web, "eve@example.org")
    _sign_in(web, "eve@example.org")
    page = web.get("/account")
    assert ("eve@example.org" in page.text, INLINE.search(page.text)) == (True, None)
    csrf = _csrf(page.text)
    made = web.post("/account/tokens", data={"name": "nb", "scopes": ["read", "write"],
                                             "csrf_token": csrf})  # fmt: skip
    token = re.search(r'<pre id="new-token">(st_[^<]+)</pre>', made.text)
    assert token is not None
    assert "st_" not in web.get("/account").text.replace("<code>st_", "")  # shown once only
    listed = web.get("/api/accounts/tokens").json()
    assert [(t["name"], t["scopes"]) for t in listed] == [("nb", ["read", "write"])]
    revoke = web.post(f"/account/tokens/{listed[0]['id']}/revoke", data={"csrf_token": csrf},
                      follow_redirects=False)  # fmt: skip
    assert revoke.status_code == 303
    assert web.get("/api/accounts/tokens").json()[0]["revoked_at"] is not None
    assert web.post("/logout", data={}).status_code == 403  # no CSRF token: refused
    out = web.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert (out.status_code, out.headers["location"]) == (303, "/")
    assert web.get("/account", follow_redirects=False).status_code == 401


def test_other_session_can_be_revoked_from_the_page(web: TestClient) -> None:
    _user(web, "eve@example.org")
    _sign_in(web, "eve@example.org")
    first = web.cookies.get("servtrade_session")
    web.cookies.clear()
    _sign_in(web, "eve@example.org")
    page = web.get("/account")
    other = re.search(r'action="/account/sessions/(\d+)/revoke"', page.text)
    assert other is not None
    web.post(f"/account/sessions/{other.group(1)}/revoke", data={"csrf_token": _csrf(page.text)})
    web.cookies.set("servtrade_session", first or "")
    assert web.get("/api/accounts/me").status_code == 401


def test_register_by_invitation_page(web: TestClient) -> None:
    code = _invitation(web, Role.BUYER)
    page = web.get(f"/register?invitation={code}")
    assert (f'value="{code}"' in page.text, "by invitation only" in page.text) == (True, True)
    assert INLINE.search(page.text) is None
    bad = web.post(
        "/register",
        data={
            "email": "bea@example.org",
            "password": "short",
            "invitation": code,
            "csrf_token": _csrf(page.text),
        },
    )
    assert (bad.status_code, "shorter than 10 characters" in bad.text) == (422, True)
    odd = web.post(
        "/register",
        data={
            "email": "not-mail",
            "password": PASSWORD,
            "invitation": code,
            "csrf_token": _csrf(page.text),
        },
    )
    assert (odd.status_code, "is not an email address" in odd.text) == (422, True)
    done = web.post(
        "/register",
        data={"email": "bea@example.org", "password": PASSWORD, "invitation": code,
              "display_name": "Bea", "csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert done.headers["location"] == "/login?registered=1"
    assert "Your account is ready" in web.get("/login?registered=1").text


def test_export_and_delete_my_data_pages(web: TestClient) -> None:
    _user(web, "eve@example.org")
    _sign_in(web, "eve@example.org")
    export = web.get("/account/export")
    assert export.headers["content-disposition"] == (
        'attachment; filename="servtrade-my-data.json"'
    )
    assert export.json()["account"]["email"] == "eve@example.org"
    csrf = _csrf(web.get("/account").text)
    kept = web.post("/account/delete", data={"confirm_email": "x@y.example", "csrf_token": csrf})
    assert kept.status_code == 422
    gone = web.post("/account/delete", data={"confirm_email": "eve@example.org",
                                             "csrf_token": csrf})  # fmt: skip
    assert (gone.status_code, "have been deleted" in gone.text) == (200, True)
    assert web.get("/api/accounts/me").status_code == 401
