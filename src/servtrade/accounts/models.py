"""Tables of accounts: users, sessions, API tokens, invitations, contact consent, audit log.

Secrets are never stored: sessions, tokens and invitations keep the SHA-256 digest of their
random secret. Links to the fair (organisation, participant, fair) are plain integer
foreign keys to the market tables of migration 0002, cleared when those rows go.
The audit log keeps the actor's id without a foreign key so the record outlives the account.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from servtrade.accounts.roles import Role
from servtrade.db import Base, utcnow

# The market tables must be in the metadata for the foreign keys below to resolve.
from servtrade.market.models import one_of

ROLES = tuple(r.value for r in Role)
LOCALES = ("en", "zh")


def _fk(target: str, ondelete: str) -> sa.ForeignKey:
    return sa.ForeignKey(target, ondelete=ondelete)


def _when(nullable: bool = True) -> Mapped[Any]:
    return mapped_column(sa.DateTime(timezone=True), nullable=nullable)


class User(Base):
    """A person who signs in, with a role and optional links to the fair."""

    __tablename__ = "account_user"
    __table_args__ = (one_of("role", ROLES), one_of("locale", LOCALES))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), index=True)
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    organisation_id: Mapped[int | None] = mapped_column(
        _fk("market_organisation.id", "SET NULL"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        _fk("market_participant.id", "SET NULL"), index=True
    )
    fair_id: Mapped[int | None] = mapped_column(_fk("market_fair.id", "SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = _when()


class LoginSession(Base):
    """A server-side session behind a browser cookie; revoking it signs the browser out."""

    __tablename__ = "account_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(_fk("account_user.id", "CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    csrf_secret: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = _when(nullable=False)
    last_seen_at: Mapped[datetime | None] = _when()
    revoked_at: Mapped[datetime | None] = _when()
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")


class ApiToken(Base):
    """A bearer token with scopes and an expiry; shown once, stored as a digest."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(_fk("account_user.id", "CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(16))
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = _when()
    revoked_at: Mapped[datetime | None] = _when()
    last_used_at: Mapped[datetime | None] = _when()


class Invitation(Base):
    """An invitation code for one person to register with a given role and links."""

    __tablename__ = "account_invitation"
    __table_args__ = (one_of("role", ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    role: Mapped[str] = mapped_column(sa.String(20))
    organisation_id: Mapped[int | None] = mapped_column(_fk("market_organisation.id", "SET NULL"))
    participant_id: Mapped[int | None] = mapped_column(_fk("market_participant.id", "SET NULL"))
    fair_id: Mapped[int | None] = mapped_column(_fk("market_fair.id", "SET NULL"))
    created_by: Mapped[int | None] = mapped_column(_fk("account_user.id", "SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = _when(nullable=False)
    used_at: Mapped[datetime | None] = _when()
    used_by: Mapped[int | None] = mapped_column(_fk("account_user.id", "SET NULL"))


class ContactConsent(Base):
    """Whether a participant agrees to show contact details to other participants."""

    __tablename__ = "account_contact_consent"

    participant_id: Mapped[int] = mapped_column(
        _fk("market_participant.id", "CASCADE"), primary_key=True
    )
    share_contact: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[int | None] = mapped_column()


class AuditEntry(Base):
    """One security-relevant action: who, when, from where, what."""

    __tablename__ = "account_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    action: Mapped[str] = mapped_column(sa.String(30), index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(sa.String(254), default="")
    subject_id: Mapped[int | None] = mapped_column()
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
