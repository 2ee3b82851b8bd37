"""Who is calling: a signed-in user seen through a session cookie or an API token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from servtrade.accounts.models import User
from servtrade.accounts.policy import Actor
from servtrade.accounts.roles import ROLE_SCOPES, Role, Scope


@dataclass(frozen=True)
class Identity:
    """The caller of one request. Role and links are read fresh from the user row each time."""

    user_id: int
    email: str
    role: Role
    scopes: frozenset[Scope]
    via: Literal["session", "token"]
    credential_id: int  # the session id or the token id
    locale: str = "en"
    organisation_id: int | None = None
    participant_id: int | None = None
    fair_id: int | None = None
    csrf_secret: str | None = None  # only for sessions

    @property
    def actor(self) -> Actor:
        """The plain values :mod:`servtrade.accounts.policy` decides on."""
        return Actor(
            role=self.role,
            user_id=self.user_id,
            organisation_id=self.organisation_id,
            participant_id=self.participant_id,
            fair_id=self.fair_id,
        )

    @property
    def label(self) -> str:
        return self.email


class UserFacts(Protocol):
    """What an identity is made from: a :class:`User` row object, or a result row of
    :data:`USER_FACTS` (a bearer token is resolved without loading ORM objects)."""

    @property
    def id(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def locale(self) -> str: ...
    @property
    def organisation_id(self) -> int | None: ...
    @property
    def participant_id(self) -> int | None: ...
    @property
    def fair_id(self) -> int | None: ...


USER_FACTS = (
    User.id,
    User.email,
    User.role,
    User.locale,
    User.organisation_id,
    User.participant_id,
    User.fair_id,
)


def identity_of(
    user: UserFacts,
    via: Literal["session", "token"],
    credential_id: int,
    scopes: frozenset[Scope] | None = None,
    csrf_secret: str | None = None,
) -> Identity:
    """An :class:`Identity` for ``user``; token scopes never exceed what the role allows."""
    role = Role(user.role)
    allowed = ROLE_SCOPES[role]
    return Identity(
        user_id=user.id,
        email=user.email,
        role=role,
        scopes=allowed if scopes is None else scopes & allowed,
        via=via,
        credential_id=credential_id,
        locale=user.locale,
        organisation_id=user.organisation_id,
        participant_id=user.participant_id,
        fair_id=user.fair_id,
        csrf_secret=csrf_secret,
    )
