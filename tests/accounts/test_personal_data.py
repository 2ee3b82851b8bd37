"""Export my data and delete my data; contact consent."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.audit import list_entries
from servtrade.accounts.consent import contact_consents, set_contact_consent
from servtrade.accounts.models import ApiToken, AuditEntry, LoginSession, User
from servtrade.accounts.personal_data import delete_my_data, export_my_data
from servtrade.accounts.roles import AuditAction, Role
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import TokenCreate
from servtrade.accounts.tokens import create_token
from servtrade.errors import ConflictError, ValidationError
from servtrade.market.models import Offer, Participant

from .support import add_user, admin_user, make_fair, signed_in

Factory = sessionmaker[Session]


def _alice(factory: Factory, runtime: AccountsRuntime) -> tuple[int, int]:
    rows = make_fair(factory)
    add_user(factory, runtime, "alice@alpha.example", Role.EXHIBITOR, fair_id=rows.fair,
             organisation_id=rows.org_a, participant_id=rows.alice)  # fmt: skip
    with factory() as s:
        s.add(Offer(fair_id=rows.fair, participant_id=rows.alice, external_id="o1", ebops="SI"))
        s.commit()
    return rows.alice, rows.bob


def test_export_contains_account_fair_records_and_no_secrets(
    factory: Factory, runtime: AccountsRuntime
) -> None:
    _alice(factory, runtime)
    alice = signed_in(factory, runtime, "alice@alpha.example")[0]
    create_token(factory, runtime, alice, TokenCreate(name="sync"))
    set_contact_consent(factory, runtime, alice, True)
    data = export_my_data(factory, runtime, alice, ip="10.0.0.7")
    assert sorted(data) == [
        "account", "audit", "contact_consent", "exported_at", "fair", "invitations_created",
        "sessions", "tokens",
    ]  # fmt: skip
    assert (data["account"]["email"], data["contact_consent"]) == ("alice@alpha.example", True)
    assert [t["name"] for t in data["tokens"]] == ["sync"]
    assert data["fair"]["participant"][0]["person_name"] == "Alice"
    assert [o["external_id"] for o in data["fair"]["offers"]] == ["o1"]
    assert [a["action"] for a in data["audit"]] == [
        "register",
        "login",
        "token_create",
        "consent_change",
    ]
    text = repr(data)
    assert "password_hash" not in text and "secret_hash" not in text and "$argon2" not in text
    assert list_entries(factory, action=AuditAction.EXPORT)[0].actor_id == alice.user_id


def test_delete_removes_account_and_personal_fields(
    factory: Factory, runtime: AccountsRuntime
) -> None:
    alice_id, _ = _alice(factory, runtime)
    alice = signed_in(factory, runtime, "alice@alpha.example")[0]
    create_token(factory, runtime, alice, TokenCreate(name="sync"))
    set_contact_consent(factory, runtime, alice, True)
    with pytest.raises(ValidationError, match="does not match"):
        delete_my_data(factory, runtime, alice, "someone@else.example")
    done = delete_my_data(factory, runtime, alice, "ALICE@alpha.example", ip="10.0.0.8")
    assert done.deleted == {
        "sessions": 1, "tokens": 1, "participant_anonymised": 1, "audit_pseudonymised": 4,
        "account": 1,
    }  # fmt: skip
    with factory() as s:
        assert s.scalars(sa.select(User.email)).all() == []
        assert s.scalars(sa.select(LoginSession.id)).all() == []
        assert s.scalars(sa.select(ApiToken.id)).all() == []
        participant = s.get_one(Participant, alice_id)
        assert (participant.person_name, participant.email) == ("(deleted)", None)
        assert s.scalars(sa.select(Offer.external_id)).all() == ["o1"]  # the fair keeps its offer
        actors = set(s.scalars(sa.select(AuditEntry.actor)))
        assert actors == {"cli", f"deleted user {alice.user_id}"}
        assert contact_consents(s, [alice_id]) == {alice_id: False}
    last = list_entries(factory)[0]
    assert (last.action, last.subject_id, last.ip) == ("deletion", alice.user_id, "10.0.0.8")


def test_last_admin_cannot_delete_itself(factory: Factory, runtime: AccountsRuntime) -> None:
    admin_user(factory, runtime)
    root = signed_in(factory, runtime, "root@example.org")[0]
    with pytest.raises(ConflictError, match="last admin"):
        delete_my_data(factory, runtime, root, "root@example.org")


def test_consent_needs_a_participant_link(factory: Factory, runtime: AccountsRuntime) -> None:
    alice_id, bob_id = _alice(factory, runtime)
    alice = signed_in(factory, runtime, "alice@alpha.example")[0]
    assert set_contact_consent(factory, runtime, alice, True) is True
    assert set_contact_consent(factory, runtime, alice, False) is False
    with factory() as s:
        assert contact_consents(s, [alice_id, bob_id]) == {alice_id: False, bob_id: False}
        assert contact_consents(s, []) == {}
    set_contact_consent(factory, runtime, alice, True)
    with factory() as s:
        assert contact_consents(s, [bob_id, alice_id]) == {alice_id: True, bob_id: False}
    add_user(factory, runtime, "eve@example.org", Role.ANALYST)
    eve = signed_in(factory, runtime, "eve@example.org")[0]
    with pytest.raises(ConflictError, match="not linked to a fair participant"):
        set_contact_consent(factory, runtime, eve, True)
