"""Role changes (audited, never losing the last admin) and the user list."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.admin import list_users, set_role
from servtrade.accounts.audit import list_entries
from servtrade.accounts.roles import AuditAction, Role, parse_role, parse_scopes
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.errors import ConflictError, NotFoundError, ValidationError

from .support import add_user, admin_user, signed_in

Factory = sessionmaker[Session]


def test_role_change_is_audited(factory: Factory, runtime: AccountsRuntime) -> None:
    admin_user(factory, runtime)
    user = add_user(factory, runtime, "eve@example.org", Role.PUBLIC)
    root = signed_in(factory, runtime, "root@example.org")[0]
    changed = set_role(factory, runtime, root, user.id, Role.ANALYST, ip="10.9.9.9")
    assert changed.role is Role.ANALYST
    entry = list_entries(factory, action=AuditAction.ROLE_CHANGE)[0]
    assert (entry.actor, entry.actor_id, entry.subject_id, entry.ip, entry.details) == (
        "root@example.org", root.user_id, user.id, "10.9.9.9", {"from": "public", "to": "analyst"},
    )  # fmt: skip
    assert [(u.email, u.role) for u in list_users(factory, Role.ANALYST)] == [
        ("eve@example.org", Role.ANALYST)
    ]
    assert len(list_users(factory)) == 2


def test_last_admin_stays_admin(factory: Factory, runtime: AccountsRuntime) -> None:
    admin_user(factory, runtime)
    with pytest.raises(ConflictError, match=r"root@example\.org is the last admin"):
        set_role(factory, runtime, None, "root@example.org", Role.PUBLIC)
    add_user(factory, runtime, "two@example.org", Role.ADMIN)
    assert set_role(factory, runtime, None, "root@example.org", Role.PUBLIC).role is Role.PUBLIC
    with pytest.raises(NotFoundError, match=r"no user 'ghost@example\.org'"):
        set_role(factory, runtime, None, "ghost@example.org", Role.PUBLIC)


def test_parsing_roles_and_scopes() -> None:
    assert parse_role(" Organiser ") is Role.ORGANISER
    with pytest.raises(ValidationError) as info:
        parse_role("emperor")
    assert info.value.errors[0].hint == "use admin, organiser, exhibitor, buyer, analyst, public"
    assert {s.value for s in parse_scopes(["READ", "write"])} == {"read", "write"}
    with pytest.raises(ValidationError, match="unknown scope 'delete'"):
        parse_scopes(["delete"])
