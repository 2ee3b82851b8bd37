"""Invitations, registration (by invitation or open) and the first admin; each audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.audit import list_entries
from servtrade.accounts.identity import Identity
from servtrade.accounts.registration import (
    create_admin,
    invite,
    list_invitations,
    register,
)
from servtrade.accounts.roles import AuditAction, Role, Scope
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import InvitationCreate, RegisterRequest
from servtrade.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

from .support import PASSWORD, FakeClock, add_user, admin_user, make_fair, signed_in

Factory = sessionmaker[Session]


def _organiser(factory: Factory, runtime: AccountsRuntime, fair: int) -> Identity:
    add_user(factory, runtime, "org@fair.example", Role.ORGANISER, fair_id=fair)
    return signed_in(factory, runtime, "org@fair.example")[0]


def test_invitation_registers_with_role_and_links(
    factory: Factory, runtime: AccountsRuntime
) -> None:
    rows = make_fair(factory)
    organiser = _organiser(factory, runtime, rows.fair)
    data = InvitationCreate(role=Role.EXHIBITOR, organisation_id=rows.org_a,
                            participant_id=rows.alice)  # fmt: skip
    created = invite(factory, runtime, organiser, data, ip="10.1.1.1")
    assert (created.role, created.fair_id, created.used_at) == (Role.EXHIBITOR, rows.fair, None)
    assert created.expires_at - created.created_at == timedelta(days=14)
    user = register(
        factory, runtime,
        RegisterRequest(email=" Alice@Alpha.example ", password=PASSWORD, invitation=created.code),
        open_registration=False,
    )  # fmt: skip
    assert (user.email, user.role, user.organisation_id, user.participant_id, user.fair_id) == (
        "alice@alpha.example", Role.EXHIBITOR, rows.org_a, rows.alice, rows.fair,
    )  # fmt: skip
    listed = list_invitations(factory, organiser)
    assert [(i.id, i.used_at is not None) for i in listed] == [(created.id, True)]
    again = RegisterRequest(email="x@alpha.example", password=PASSWORD, invitation=created.code)
    with pytest.raises(NotFoundError, match="unknown, used or expired"):
        register(factory, runtime, again, open_registration=False)
    actions = [(e.action, e.actor) for e in list_entries(factory)]
    assert actions[:2] == [("register", "alice@alpha.example"), ("invite", "org@fair.example")]


def test_organisers_invite_only_participants_into_their_fair(
    factory: Factory, runtime: AccountsRuntime
) -> None:
    rows = make_fair(factory)
    organiser = _organiser(factory, runtime, rows.fair)
    with pytest.raises(PermissionDeniedError, match="a organiser may not invite a admin"):
        invite(factory, runtime, organiser, InvitationCreate(role=Role.ADMIN))
    with pytest.raises(PermissionDeniedError, match="only into their own fair"):
        invite(factory, runtime, organiser,
               InvitationCreate(role=Role.BUYER, fair_id=rows.other_fair))  # fmt: skip
    buyer_identity = Identity(1, "b@x.example", Role.BUYER, frozenset({Scope.READ}), "session", 1)
    with pytest.raises(PermissionDeniedError):
        invite(factory, runtime, buyer_identity, InvitationCreate(role=Role.BUYER))


def test_invitation_bound_to_email_and_expiry(
    factory: Factory, runtime: AccountsRuntime, clock: FakeClock
) -> None:
    data = InvitationCreate(role=Role.BUYER, email="carol@example.org", days=1)
    code = invite(factory, runtime, None, data).code
    wrong = RegisterRequest(email="mallory@example.org", password=PASSWORD, invitation=code)
    with pytest.raises(PermissionDeniedError, match="for another email address"):
        register(factory, runtime, wrong, open_registration=False)
    clock.advance(86_400)
    late = RegisterRequest(email="carol@example.org", password=PASSWORD, invitation=code)
    with pytest.raises(NotFoundError):
        register(factory, runtime, late, open_registration=False)


def test_open_registration_only_when_enabled(factory: Factory, runtime: AccountsRuntime) -> None:
    data = RegisterRequest(email="dan@example.org", password=PASSWORD, role="buyer")
    with pytest.raises(PermissionDeniedError, match="by invitation only"):
        register(factory, runtime, data, open_registration=False)
    user = register(factory, runtime, data, open_registration=True)
    assert (user.role, user.organisation_id) == (Role.BUYER, None)
    with pytest.raises(ConflictError, match="already exists"):
        register(factory, runtime, data, open_registration=True)


def test_create_admin_checks_email_and_password(factory: Factory, runtime: AccountsRuntime) -> None:
    admin = admin_user(factory, runtime)
    assert (admin.email, admin.role, admin.display_name) == ("root@example.org", Role.ADMIN, "Root")
    with pytest.raises(ValidationError) as bad:
        create_admin(factory, runtime, "not-an-email", PASSWORD)
    assert bad.value.errors[0].field == "email"
    with pytest.raises(ValidationError, match="shorter than 10"):
        create_admin(factory, runtime, "b@example.org", "short")
    with pytest.raises(ConflictError):
        create_admin(factory, runtime, "ROOT@example.org", PASSWORD)
    entry = list_entries(factory, action=AuditAction.REGISTER)[0]
    assert (entry.actor, entry.subject_id, entry.details) == (
        "cli", admin.id, {"role": "admin", "via": "create-admin"},
    )  # fmt: skip
