"""The closed vocabularies of accounts: roles, token scopes and audited actions."""

from __future__ import annotations

from enum import StrEnum

from servtrade.errors import ErrorDetail, ValidationError


class Role(StrEnum):
    """What a user is on the platform (not to be confused with a participant's fair role)."""

    ADMIN = "admin"
    ORGANISER = "organiser"
    EXHIBITOR = "exhibitor"
    BUYER = "buyer"
    ANALYST = "analyst"
    PUBLIC = "public"


class Scope(StrEnum):
    """What an API token (or a session) may do: read, write, or administer."""

    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


class AuditAction(StrEnum):
    """Security-relevant actions written to the audit log."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    SESSION_REVOKED = "session_revoked"
    REGISTER = "register"
    INVITE = "invite"
    ROLE_CHANGE = "role_change"
    TOKEN_CREATE = "token_create"  # noqa: S105 - an action name
    TOKEN_REVOKE = "token_revoke"  # noqa: S105 - an action name
    EXPORT = "export"
    DELETION = "deletion"
    CONSENT_CHANGE = "consent_change"
    PASSWORD_REHASH = "password_rehash"  # noqa: S105 - an action name


# Roles that may hold ``admin``-scoped credentials; everyone signed in may read and write
# their own objects (the policy decides which objects).
ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.ADMIN: frozenset(Scope),
    Role.ORGANISER: frozenset({Scope.READ, Scope.WRITE}),
    Role.EXHIBITOR: frozenset({Scope.READ, Scope.WRITE}),
    Role.BUYER: frozenset({Scope.READ, Scope.WRITE}),
    Role.ANALYST: frozenset({Scope.READ, Scope.WRITE}),
    Role.PUBLIC: frozenset({Scope.READ, Scope.WRITE}),
}

# Who may invite whom: an organiser brings in the fair's participants; an admin anyone.
INVITABLE: dict[Role, frozenset[Role]] = {
    Role.ADMIN: frozenset(Role),
    Role.ORGANISER: frozenset({Role.EXHIBITOR, Role.BUYER, Role.ANALYST, Role.PUBLIC}),
}

# Open registration (when enabled in the settings) only grants these.
OPEN_ROLES = frozenset({Role.PUBLIC, Role.BUYER})


def parse_role(value: str) -> Role:
    """``"Organiser"`` → :attr:`Role.ORGANISER`; an unknown role is a validation error."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationError(
            f"unknown role {value!r}",
            errors=[ErrorDetail("not a role", field="role", value=value, hint=f"use {allowed}")],
        ) from None


def parse_scopes(values: list[str] | tuple[str, ...]) -> frozenset[Scope]:
    """Token scopes from text; an unknown scope is a validation error."""
    scopes: set[Scope] = set()
    for value in values:
        try:
            scopes.add(Scope(value.strip().lower()))
        except ValueError:
            allowed = ", ".join(s.value for s in Scope)
            raise ValidationError(
                f"unknown scope {value!r}",
                errors=[
                    ErrorDetail("not a scope", field="scopes", value=value, hint=f"use {allowed}")
                ],
            ) from None
    return frozenset(scopes)
