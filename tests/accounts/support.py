"""Helpers of the accounts tests: a fake clock, a cheap hasher, fair rows and users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher, profiles
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.identity import Identity
from servtrade.accounts.registration import create_admin, invite, register
from servtrade.accounts.roles import Role
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import InvitationCreate, RegisterRequest, UserPublic
from servtrade.accounts.sessions import login, resolve_session
from servtrade.db import transaction
from servtrade.market.models import Fair, Organisation, Participant

START = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


@dataclass
class FakeClock:
    """Seconds since START; tests move it forward instead of sleeping."""

    t: float = 0.0

    def __call__(self) -> float:
        return self.t

    def now(self) -> datetime:
        return START + timedelta(seconds=self.t)

    def advance(self, seconds: float) -> None:
        self.t += seconds


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(profiles.CHEAPEST)


@dataclass(frozen=True)
class FairRows:
    fair: int
    other_fair: int
    org_a: int
    org_b: int
    alice: int  # participant of org_a
    bob: int  # participant of org_b


def make_fair(factory: sessionmaker[Session]) -> FairRows:
    """Two fairs, two organisations and one participant each."""
    with transaction(factory) as s:
        fair, other = Fair(name="CIFTIS 2026"), Fair(name="Other fair")
        org_a = Organisation(external_id="A", name="Alpha Consulting")
        org_b = Organisation(external_id="B", name="Beta Logistics")
        s.add_all([fair, other, org_a, org_b])
        s.flush()
        alice = Participant(
            fair_id=fair.id, external_id="p-a", person_name="Alice", email="alice@alpha.example",
            organisation_id=org_a.id,
        )  # fmt: skip
        bob = Participant(
            fair_id=fair.id, external_id="p-b", person_name="Bob", email="bob@beta.example",
            organisation_id=org_b.id,
        )  # fmt: skip
        s.add_all([alice, bob])
        s.flush()
        return FairRows(fair.id, other.id, org_a.id, org_b.id, alice.id, bob.id)


def add_user(
    factory: sessionmaker[Session],
    runtime: AccountsRuntime,
    email: str,
    role: Role,
    **links: int | None,
) -> UserPublic:
    """A user with ``role`` and links, made the way production does it: invite, register."""
    code = invite(factory, runtime, None, InvitationCreate(role=role, email=email, **links)).code
    data = RegisterRequest(email=email, password=PASSWORD, invitation=code)
    return register(factory, runtime, data, open_registration=False)


def admin_user(factory: sessionmaker[Session], runtime: AccountsRuntime) -> UserPublic:
    return create_admin(factory, runtime, "root@example.org", PASSWORD, "Root")


def signed_in(
    factory: sessionmaker[Session], runtime: AccountsRuntime, email: str
) -> tuple[Identity, str]:
    """The identity of a fresh session of ``email`` and its cookie secret."""
    outcome = login(factory, runtime, email, PASSWORD, ip="10.0.0.1")
    identity = resolve_session(factory, runtime, outcome.session_secret)
    assert identity is not None
    return identity, outcome.session_secret
