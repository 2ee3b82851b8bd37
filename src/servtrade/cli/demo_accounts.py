"""Demo accounts for the synthetic demo fair, so a fresh local install can be explored.

``servtrade init --demo-accounts`` (what ``make run`` calls) makes an organiser of the demo
fair, an exhibitor and a buyer linked to participants of it, an analyst and an admin, each
with a new random password. The passwords are printed once and written to
``<data dir>/demo-accounts.txt`` (owner-only permissions). Every run replaces the previous
demo accounts (the demo fair is regenerated, so their links would be stale). Refused when
``SERVTRADE_ENVIRONMENT=production``: real deployments invite real people.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.models import User
from servtrade.accounts.registration import create_admin, invite, register
from servtrade.accounts.roles import Role
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import InvitationCreate, RegisterRequest
from servtrade.config import Environment, Settings
from servtrade.db import transaction
from servtrade.errors import ConfigError
from servtrade.market import models as m

DOMAIN = "demo.servtrade.example.org"
FILE = "demo-accounts.txt"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: Role
    note: str


def _first(session: Session, fair_id: int, role: str) -> m.Participant | None:
    return session.scalars(
        sa.select(m.Participant)
        .join(m.ParticipantRole, m.ParticipantRole.participant_id == m.Participant.id)
        .where(
            m.Participant.fair_id == fair_id,
            m.ParticipantRole.role == role,
            m.Participant.visibility == "public",
            m.Participant.consent_matchmaking.is_(True),
        )
        .order_by(m.Participant.id)
        .limit(1)
    ).first()


def _links(who: m.Participant | None, fair_id: int) -> dict[str, int | None]:
    if who is None:
        return {"fair_id": fair_id}
    return {"fair_id": fair_id, "organisation_id": who.organisation_id, "participant_id": who.id}


def _describe(who: m.Participant | None) -> str:
    return f"participant {who.id} ({who.person_name})" if who is not None else "no participant"


def make_demo_accounts(
    settings: Settings, factory: sessionmaker[Session], fair_id: int
) -> list[DemoAccount]:
    """Replace the demo accounts with new ones for ``fair_id``; return them with passwords."""
    if settings.environment is Environment.PRODUCTION:
        raise ConfigError(
            "demo accounts are refused in production",
            hint="create the first admin with `servtrade accounts create-admin EMAIL`",
        )
    with transaction(factory) as session:
        session.execute(sa.delete(User).where(User.email.like(f"%@{DOMAIN}")))
        exhibitor = _first(session, fair_id, "exhibitor")
        buyer = _first(session, fair_id, "buyer")
        plan = [
            ("organiser", Role.ORGANISER, None, f"organiser of demo fair {fair_id}"),
            ("exhibitor", Role.EXHIBITOR, exhibitor, _describe(exhibitor)),
            ("buyer", Role.BUYER, buyer, _describe(buyer)),
            ("analyst", Role.ANALYST, None, "loads datasets"),
        ]
    runtime = AccountsRuntime()
    made = []
    admin_password = secrets.token_urlsafe(12)
    create_admin(factory, runtime, f"admin@{DOMAIN}", admin_password, "Demo admin")
    made.append(DemoAccount(f"admin@{DOMAIN}", admin_password, Role.ADMIN, "everything"))
    for name, role, who, note in plan:
        email, password = f"{name}@{DOMAIN}", secrets.token_urlsafe(12)
        links = _links(who, fair_id) if role is not Role.ANALYST else {}
        code = invite(factory, runtime, None, InvitationCreate(role=role, email=email, **links))
        data = RegisterRequest(
            email=email, password=password, invitation=code.code, display_name=f"Demo {name}"
        )
        register(factory, runtime, data, open_registration=False)
        made.append(DemoAccount(email, password, role, note))
    return made


def write_file(data_dir: Path, accounts: list[DemoAccount]) -> Path:
    """The accounts as a small text file only its owner may read."""
    path = data_dir / FILE
    lines = ["# servtrade demo accounts (synthetic demo fair; replaced by every `init`)"]
    lines += [f"{a.role.value:10} {a.email:42} {a.password}  # {a.note}" for a in accounts]
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    path.chmod(0o600)
    return path
