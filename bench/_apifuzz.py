"""Fuzz the REST API with schemathesis, in process (ASGI, no server).

Shared by ``bench/api_fuzz.py`` (the full run) and ``tests/web/test_api_fuzz.py`` (a small run
in ``make test``). Every operation of ``/api/openapi.json`` gets generated requests, valid
(positive) and invalid (negative), anonymous and with an admin bearer token. Two things are
checked on every answer:

- no server error: the status is below 500;
- an error answer (4xx) has the one JSON error shape of ``servtrade.web.errors``
  (:data:`ERROR_SCHEMA`) and its ``status`` field equals the HTTP status.

Operations are grouped in families by their OpenAPI tag (``/api/stats/check``, tagged
``stats``, counts as its own family ``claims``). Destructive operations (delete my account,
revoke a token or a session, sign out; changing the admin's own role) run with throwaway
accounts, so the admin token the fuzzer uses stays valid for the whole run. The accounts
runtime has wide rate limits and a cheap password hash so that generated requests reach the
handlers (the limits have their own tests), and a schedule run's ``time_limit`` is capped at
:data:`SOLVER_SECONDS` (the solver's time is not what is fuzzed).

This file is a helper module: running it as a script does nothing.
"""

from __future__ import annotations

import json
import math
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
import jsonschema
import schemathesis
import sqlalchemy as sa
from argon2 import PasswordHasher, profiles
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.python import asgi

from servtrade.accounts.models import ApiToken, LoginSession, User
from servtrade.accounts.ratelimit import SlidingWindow
from servtrade.accounts.registration import create_admin, invite, register
from servtrade.accounts.roles import Role
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import InvitationCreate, RegisterRequest
from servtrade.cli.database import prepare
from servtrade.cli.serve import load_bundled
from servtrade.config import Settings, load_settings
from servtrade.db import make_engine, make_session_factory
from servtrade.market import models as m
from servtrade.market import services

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PASSWORD = "fuzz-password-123"
ADMIN_EMAIL = "fuzz-admin@example.org"
SOLVER_SECONDS = 2.0
FAIR = (20, 5, 3)  # the small synthetic fair next to the demo one: exhibitors, economies, seed

# The one JSON error shape (servtrade.errors.ServtradeError.to_dict / ErrorDetail.to_dict).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ok", "error", "errors", "status", "code"],
    "additionalProperties": False,
    "properties": {
        "ok": {"const": False},
        "error": {"type": "string", "minLength": 1},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "code": {"type": "string", "pattern": "^[a-z_]+$"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["message"],
                "additionalProperties": False,
                "properties": {
                    "message": {"type": "string"},
                    "file": {"type": "string"},
                    "line": {"type": "integer"},
                    "field": {"type": "string"},
                    "value": {"type": "string"},
                    "hint": {"type": "string"},
                },
            },
        },
    },
}
_VALIDATOR = jsonschema.Draft202012Validator(ERROR_SCHEMA)

# Operations that would end the credential they run with, or the admin's rights.
DESTRUCTIVE = frozenset(
    {
        "POST /api/accounts/me/delete",
        "DELETE /api/accounts/tokens/{token_id}",
        "DELETE /api/accounts/me/sessions/{session_id}",
        "POST /api/accounts/logout",
    }
)
SET_ROLE = "PUT /api/accounts/users/{user_id}/role"
SCHEDULE_RUN = "POST /api/market/fairs/{fair_id}/schedule"


def family_of(label: str, tags: list[str] | None) -> str:
    """The operation family: its first OpenAPI tag; the claim checker is its own family."""
    if label.endswith(" /api/stats/check"):
        return "claims"
    return tags[0] if tags else "untagged"


def error_shape_problems(status: int, content_type: str, body: bytes) -> list[str]:
    """Why an error answer is not in the one JSON error shape (empty when it is)."""
    if not content_type.startswith("application/json"):
        return [f"content type is {content_type or 'missing'!r}, not application/json"]
    try:
        data = json.loads(body)
    except ValueError as exc:
        return [f"body is not JSON: {exc}"]
    problems = [
        f"{'/'.join(map(str, e.absolute_path)) or 'body'}: {e.message}"
        for e in _VALIDATOR.iter_errors(data)
    ]
    if isinstance(data, dict) and data.get("status") != status:
        problems.append(f"status field {data.get('status')!r} differs from HTTP {status}")
    return problems


# -- the site: a migrated database with the bundled data, a fair, an admin and victims --------


@dataclass
class Site:
    """The app under test, its database and the credentials the fuzzer sends."""

    settings: Settings
    app: Any
    client: asgi.ASGIClient
    factory: Any
    admin: dict[str, str]
    admin_id: int
    known: dict[str, list[int]] = field(default_factory=dict)
    victim: dict[str, str] = field(default_factory=dict)
    victims_made: int = 0

    def new_victim(self) -> dict[str, str]:
        """A fresh throwaway account (buyer) with a read+write token."""
        self.victims_made += 1
        email = f"victim{self.victims_made}@example.org"
        self.victim = account_token(self, email, Role.BUYER)
        return self.victim

    def refresh_ids(self) -> None:
        """Ids that exist, so generated paths reach real objects some of the time."""
        with self.factory() as s:
            self.known = {
                "fair_id": list(s.scalars(sa.select(m.Fair.id))),
                "participant_id": list(s.scalars(sa.select(m.Participant.id).limit(40))),
                "request_id": list(s.scalars(sa.select(m.MeetingRequest.id).limit(40))),
                "meeting_id": list(s.scalars(sa.select(m.Meeting.id).limit(40))),
                "token_id": list(s.scalars(sa.select(ApiToken.id))),
                "session_id": list(s.scalars(sa.select(LoginSession.id))),
                "user_id": list(s.scalars(sa.select(User.id))),
            }


def _runtime() -> AccountsRuntime:
    runtime = AccountsRuntime(hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
    runtime.login_limiter = SlidingWindow(10**9, 1.0, name="sign-in attempts")
    runtime.write_limiter = SlidingWindow(10**9, 1.0, name="write requests")
    return runtime


def account_token(site: Site, email: str, role: Role) -> dict[str, str]:
    """Invite and register ``email`` with ``role``; sign in; return a read+write bearer header."""
    runtime = site.app.state.accounts
    code = invite(site.factory, runtime, None, InvitationCreate(role=role, email=email)).code
    data = RegisterRequest(email=email, password=PASSWORD, invitation=code)
    register(site.factory, runtime, data, open_registration=False)
    return _token_for(site, email)


def _token_for(site: Site, email: str) -> dict[str, str]:
    client = site.client
    login = client.post("/api/accounts/login", json={"email": email, "password": PASSWORD})
    login.raise_for_status()
    made = client.post(
        "/api/accounts/tokens",
        json={"name": "fuzz", "scopes": ["read", "write"]},
        headers={"X-CSRF-Token": login.json()["csrf_token"]},
    )
    made.raise_for_status()
    client.cookies.clear()
    return {"Authorization": f"Bearer {made.json()['token']}"}


@contextmanager
def open_site(root: Path, *, bundled: bool = True) -> Iterator[Site]:
    """A migrated SQLite data dir under ``root`` with the bundled data (``servtrade init``),
    a small synthetic fair with accepted requests and a schedule, an admin token; the app
    started in process."""
    from servtrade.web.app import create_app

    shared = SHARED if SHARED.is_dir() else root / "no-shared"
    settings = load_settings(data_dir=root / "data", shared_dir=shared)
    prepare(settings)
    if bundled:
        load_bundled(settings)
    engine = make_engine(settings.resolved_database_url)
    factory = make_session_factory(engine)
    fair = services.generate_fair(factory, *FAIR)
    app = create_app(settings)
    app.state.accounts = _runtime()
    admin = create_admin(factory, app.state.accounts, ADMIN_EMAIL, PASSWORD, "fuzz admin")
    try:
        with asgi.get_client(app) as client:
            site = Site(settings, app, client, factory, {}, admin.id)
            site.admin = _token_for(site, ADMIN_EMAIL)
            schedule = client.post(
                f"/api/market/fairs/{fair.id}/schedule", json={"time_limit": 2}, headers=site.admin
            )
            schedule.raise_for_status()
            site.new_victim()
            site.refresh_ids()
            yield site
    finally:
        asgi.shutdown_lifespans()
        engine.dispose()


# -- the run ---------------------------------------------------------------------------------


@dataclass
class Finding:
    operation: str
    status: int
    problem: str
    request: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Tally:
    """Counts per family and operation, and the first findings of each kind."""

    requests: Counter[str] = field(default_factory=Counter)
    by_operation: Counter[str] = field(default_factory=Counter)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    server_errors: Counter[str] = field(default_factory=Counter)
    shape_violations: Counter[str] = field(default_factory=Counter)
    app_exceptions: Counter[str] = field(default_factory=Counter)
    anonymous: Counter[str] = field(default_factory=Counter)
    authenticated: Counter[str] = field(default_factory=Counter)
    negative: Counter[str] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    max_findings: int = 50

    def add(self, finding: Finding) -> None:
        if len(self.findings) < self.max_findings:
            self.findings.append(finding)

    def families(self) -> dict[str, dict[str, Any]]:
        return {
            fam: {
                "requests": n,
                "anonymous": self.anonymous[fam],
                "authenticated": self.authenticated[fam],
                "negative": self.negative[fam],
                "server_errors": self.server_errors[fam],
                "shape_violations": self.shape_violations[fam],
                "app_exceptions": self.app_exceptions[fam],
                "statuses": {str(k): v for k, v in sorted(self.statuses[fam].items())},
            }
            for fam, n in sorted(self.requests.items())
        }


@dataclass
class Operation:
    label: str
    family: str
    api: Any  # schemathesis APIOperation


def operations(site: Site) -> list[Operation]:
    """Every operation of the app's OpenAPI document, with its family."""
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", site.app)
    found = []
    for result in schema.get_all_operations():
        api = result.ok()
        found.append(Operation(api.label, family_of(api.label, schema.get_tags(api)), api))
    return found


def _remap(case: Any, site: Site, pick: int) -> None:
    """Point integer ids at existing objects two times in three (the rest stay generated)."""
    params = case.path_parameters or {}
    for name, value in list(params.items()):
        known = site.known.get(name)
        if known and isinstance(value, int) and not isinstance(value, bool) and pick % 3:
            params[name] = known[(abs(value) + pick) % len(known)]
    body = case.body
    if case.operation.label == SCHEDULE_RUN and isinstance(body, dict):
        limit = body.get("time_limit", SOLVER_SECONDS)  # absent: the 10 s default
        if isinstance(limit, int | float) and not isinstance(limit, bool) and limit > 0:
            body["time_limit"] = min(float(limit), SOLVER_SECONDS)


def _credential(case: Any, site: Site, authenticated: bool) -> dict[str, str]:
    label = case.operation.label
    if not authenticated:
        return {}
    if label in DESTRUCTIVE:
        return site.victim or site.new_victim()
    if label == SET_ROLE and (case.path_parameters or {}).get("user_id") == site.admin_id:
        return site.victim or site.new_victim()
    return site.admin


def _record(
    tally: Tally, op: Operation, case: Any, response: Any, authenticated: bool, mode: str
) -> None:
    fam = op.family
    status = int(response.status_code)
    tally.requests[fam] += 1
    tally.by_operation[op.label] += 1
    tally.statuses.setdefault(fam, Counter())[status] += 1
    (tally.authenticated if authenticated else tally.anonymous)[fam] += 1
    if mode == "negative":
        tally.negative[fam] += 1
    if status >= 500:
        tally.server_errors[fam] += 1
        tally.add(Finding(op.label, status, _text(response), _curl(case)))
    if status >= 400:
        content_type = _header(response.headers, "content-type")
        problems = error_shape_problems(status, content_type, response.content)
        if problems:
            tally.shape_violations[fam] += 1
            tally.add(Finding(op.label, status, "; ".join(problems), _curl(case)))


def _header(headers: Any, name: str) -> str:
    """One header of a schemathesis response (its values are lists)."""
    value = headers.get(name) or headers.get(name.title()) or ""
    return str(value[0] if isinstance(value, list) and value else value)


def _text(response: Any) -> str:
    return bytes(response.content[:300]).decode("utf-8", "replace")


def _curl(case: Any) -> str:
    try:
        return str(case.as_curl_command())[:600]
    except Exception as exc:
        return f"<no curl: {exc}>"


def fuzz_operation(
    site: Site,
    op: Operation,
    tally: Tally,
    *,
    examples: int,
    mode: GenerationMode,
    authenticated: bool,
    seed: int,
) -> int:
    """Run up to ``examples`` generated requests against one operation; returns how many ran."""
    sent = 0
    try:
        strategy = op.api.as_strategy(generation_mode=mode)
    except Exception as exc:
        tally.skipped[f"{op.label} [{mode.value}]"] = f"{type(exc).__name__}: {exc}"
        return 0

    @hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        verbosity=hypothesis.Verbosity.quiet,
        report_multiple_bugs=False,
    )
    @hypothesis.seed(seed)
    @hypothesis.given(case=strategy, pick=st.integers(0, 11))
    def run(case: Any, pick: int) -> None:
        nonlocal sent
        _remap(case, site, pick)
        headers = _credential(case, site, authenticated)
        try:
            response = case.call(session=site.client, headers=headers)
        except Exception as exc:
            # (a real server answers 500 and logs it; in process the exception reaches us)
            tally.app_exceptions[op.family] += 1
            tally.server_errors[op.family] += 1
            tally.add(Finding(op.label, 500, f"{type(exc).__name__}: {exc}", _curl(case)))
            return
        sent += 1
        _record(tally, op, case, response, authenticated, mode.value)
        if headers and headers is site.victim and response.status_code < 300:
            site.new_victim()  # the destructive call may have ended the victim's credential

    try:
        run()
    except hypothesis.errors.Unsatisfiable as exc:
        # e.g. no negative case exists for an operation without parameters
        why = str(exc).split(".")[0]
        tally.skipped.setdefault(f"{op.label} [{mode.value}]", f"unsatisfiable: {why}")
    return sent


PLAN = (
    (GenerationMode.POSITIVE, True, 0.45),
    (GenerationMode.NEGATIVE, True, 0.3),
    (GenerationMode.POSITIVE, False, 0.15),
    (GenerationMode.NEGATIVE, False, 0.1),
)


def fuzz(
    site: Site,
    *,
    per_family: int,
    min_per_operation: int = 0,
    seed: int = 0,
    max_rounds: int = 400,
    progress: Any = None,
) -> Tally:
    """At least ``per_family`` requests for each family (and ``min_per_operation`` for each
    operation), shared among its operations and the :data:`PLAN` (mode x credential)."""
    tally = Tally()
    ops = operations(site)
    by_family: dict[str, list[Operation]] = {}
    for op in ops:
        by_family.setdefault(op.family, []).append(op)
    for rnd in range(max_rounds):
        behind = _behind(tally, by_family, per_family, min_per_operation)
        if not behind:
            break
        for op, need in behind:
            for mode, authenticated, share in PLAN:
                n = max(1, math.ceil(need * share))
                key = f"{op.label} {mode.value} {authenticated}".encode()
                s = seed * 1_000_003 + rnd * 7919 + zlib.crc32(key)
                fuzz_operation(
                    site, op, tally, examples=n, mode=mode, authenticated=authenticated,
                    seed=s % 2**32,
                )  # fmt: skip
            if progress is not None:
                progress(op, tally)
        site.refresh_ids()
    return tally


def _behind(
    tally: Tally, by_family: dict[str, list[Operation]], per_family: int, per_operation: int
) -> list[tuple[Operation, int]]:
    """Operations that still need requests, and about how many."""
    todo = []
    for fam, ops in by_family.items():
        family_need = max(0, per_family - tally.requests[fam])
        share = math.ceil(family_need / len(ops)) if family_need else 0
        for op in ops:
            need = max(share, per_operation - tally.by_operation[op.label])
            if need > 0:
                todo.append((op, need))
    return todo


def summary(tally: Tally, seconds: float) -> dict[str, Any]:
    """The JSON-able result of a run."""
    return {
        "seconds": round(seconds, 1),
        "requests": sum(tally.requests.values()),
        "server_errors": sum(tally.server_errors.values()),
        "shape_violations": sum(tally.shape_violations.values()),
        "app_exceptions": sum(tally.app_exceptions.values()),
        "families": tally.families(),
        "operations": dict(sorted(tally.by_operation.items())),
        "skipped": tally.skipped,
        "findings": [f.to_dict() for f in tally.findings],
    }


def timed_fuzz(site: Site, **kwargs: Any) -> dict[str, Any]:
    started = time.perf_counter()
    tally = fuzz(site, **kwargs)
    return summary(tally, time.perf_counter() - started)
