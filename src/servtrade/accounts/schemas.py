"""API shapes of accounts, apart from the tables. Secrets appear only in ``*Created`` shapes."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from servtrade.accounts.roles import Role, Scope

# A pragmatic address check (one @, a dot in the domain, no spaces); delivery proves the rest.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(value: str) -> str:
    text = value.strip().lower()
    if len(text) > 254 or not _EMAIL.match(text):
        raise ValueError(f"{value!r} is not an email address; write it as name@example.org")
    return text


Email = Annotated[str, AfterValidator(normalise_email)]
Locale = Literal["en", "zh"]
Password = Annotated[str, Field(min_length=1, max_length=1024)]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class UserPublic(_Out):
    id: int
    email: str
    display_name: str
    role: Role
    locale: Locale
    organisation_id: int | None
    participant_id: int | None
    fair_id: int | None
    active: bool
    created_at: datetime
    last_login_at: datetime | None


class LoginRequest(BaseModel):
    email: Email
    password: Password


class LoginResult(BaseModel):
    user: UserPublic
    csrf_token: str = Field(description="send as X-CSRF-Token with cookie-authenticated writes")


class RegisterRequest(BaseModel):
    email: Email
    password: Password
    display_name: str = Field("", max_length=200)
    invitation: str | None = Field(None, max_length=200, description="the invitation code")
    role: Literal["public", "buyer"] = Field(
        "public", description="only for open registration; an invitation fixes the role"
    )


class InvitationCreate(BaseModel):
    role: Role
    email: Email | None = None
    organisation_id: int | None = None
    participant_id: int | None = None
    fair_id: int | None = None
    days: int = Field(14, ge=1, le=90, description="days until the invitation expires")


class InvitationPublic(_Out):
    id: int
    role: Role
    email: str | None
    organisation_id: int | None
    participant_id: int | None
    fair_id: int | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


class InvitationCreated(InvitationPublic):
    code: str = Field(description="shown once; the invitee registers with it")


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[Scope] = Field(default_factory=lambda: [Scope.READ], min_length=1)
    expires_in_days: int | None = Field(90, ge=1, le=366, description="null: never expires")


class TokenPublic(_Out):
    id: int
    name: str
    prefix: str
    scopes: list[Scope]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="shown once; send as 'Authorization: Bearer <token>'")


class SessionPublic(_Out):
    id: int
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None
    ip: str
    user_agent: str
    current: bool = False


class AccountUpdate(BaseModel):
    display_name: str | None = Field(None, max_length=200)
    locale: Locale | None = None


class RoleChange(BaseModel):
    role: Role


class ConsentUpdate(BaseModel):
    share_contact: bool


class DeleteRequest(BaseModel):
    confirm_email: Email = Field(description="your own email address, to confirm")


class AuditEntryPublic(_Out):
    id: int
    at: datetime
    action: str
    actor_id: int | None
    actor: str
    subject_id: int | None
    ip: str
    details: dict[str, Any]


class Deleted(BaseModel):
    ok: bool = True
    deleted: dict[str, int] = Field(description="rows removed or anonymised, by kind")
