"""Object permissions as a pure function over plain values: ``can(actor, action, resource)``.

The rules (issue 9): an exhibitor sees and edits only its own organisation, offers, requests
and schedule; a buyer likewise with its needs; an organiser sees their fair; an analyst loads
datasets; profiles marked ``public`` (or ``participants``, for the same fair) are visible to
others; and nobody sees another participant's contact details without that participant's
consent -- not even an admin, since consent is the participant's to give.

Endpoints build an :class:`Actor` from the caller and a :class:`Resource` from the row
(owner organisation id, fair id, parties, visibility, consent flag) and call :func:`can`,
:func:`authorize` or :func:`redact`. Nothing here touches a database or a web framework.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from servtrade.accounts.roles import Role
from servtrade.errors import NotFoundError, PermissionDeniedError


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"
    MANAGE = "manage"  # organiser work: import participants, run the schedule, publish
    VIEW_CONTACT = "view_contact"


class Kind(StrEnum):
    FAIR = "fair"
    ORGANISATION = "organisation"
    PARTICIPANT = "participant"
    OFFER = "offer"
    NEED = "need"
    LISTING = "listing"
    RECOMMENDATION = "recommendation"
    MEETING_REQUEST = "meeting_request"
    MEETING = "meeting"
    SCHEDULE = "schedule"
    DEAL = "deal"
    DATASET = "dataset"
    ACCOUNT = "account"


@dataclass(frozen=True)
class Actor:
    """Who asks: the role and what the account is linked to (all plain ids)."""

    role: Role
    user_id: int | None = None
    organisation_id: int | None = None
    participant_id: int | None = None
    fair_id: int | None = None


ANONYMOUS = Actor(role=Role.PUBLIC)


@dataclass(frozen=True)
class Resource:
    """What is asked about, as plain values read from its row."""

    kind: Kind
    organisation_id: int | None = None  # the owning organisation
    fair_id: int | None = None
    participant_id: int | None = None  # the owning participant (for contact details)
    parties: frozenset[int] = frozenset()  # organisations on either side of a meeting or deal
    visibility: str = "public"  # public | participants | hidden
    contact_consent: bool = False  # the participant agreed to show contact details
    user_id: int | None = None  # the owning account (for accounts, tokens, sessions)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


# What the owning organisation may do with its own objects, by the actor's role.
_OWN: dict[Role, dict[Kind, frozenset[Action]]] = {
    Role.EXHIBITOR: {
        Kind.OFFER: frozenset({Action.VIEW, Action.CREATE, Action.EDIT, Action.DELETE}),
        Kind.LISTING: frozenset({Action.VIEW, Action.CREATE, Action.EDIT, Action.DELETE}),
    },
    Role.BUYER: {
        Kind.NEED: frozenset({Action.VIEW, Action.CREATE, Action.EDIT, Action.DELETE}),
    },
}
_OWN_SHARED: dict[Kind, frozenset[Action]] = {
    Kind.ORGANISATION: frozenset({Action.VIEW, Action.EDIT}),
    Kind.PARTICIPANT: frozenset({Action.VIEW, Action.EDIT}),
    Kind.MEETING_REQUEST: frozenset({Action.VIEW, Action.CREATE, Action.EDIT}),
    Kind.MEETING: frozenset({Action.VIEW, Action.EDIT}),
    Kind.SCHEDULE: frozenset({Action.VIEW}),
    Kind.RECOMMENDATION: frozenset({Action.VIEW}),
    Kind.DEAL: frozenset({Action.VIEW, Action.CREATE, Action.EDIT}),
}
# The other side of a meeting request, meeting or deal may see it and answer it.
_PARTY: frozenset[Action] = frozenset({Action.VIEW, Action.EDIT})
_PARTY_KINDS = frozenset({Kind.MEETING_REQUEST, Kind.MEETING, Kind.DEAL})
# Kinds that others may see when their visibility allows.
_LISTED = frozenset(
    {Kind.FAIR, Kind.ORGANISATION, Kind.PARTICIPANT, Kind.OFFER, Kind.NEED, Kind.LISTING}
)
_FAIR_MEMBERS = frozenset({Role.ORGANISER, Role.EXHIBITOR, Role.BUYER})


def _owns(actor: Actor, resource: Resource) -> bool:
    return actor.organisation_id is not None and actor.organisation_id == resource.organisation_id


def _contact(actor: Actor, resource: Resource) -> Decision:
    if actor.participant_id is not None and actor.participant_id == resource.participant_id:
        return Decision(True, "own contact details")
    if _owns(actor, resource):
        return Decision(True, "contact details of the actor's own organisation")
    if not resource.contact_consent:
        return Decision(False, "the participant has not consented to share contact details")
    if not decide(actor, Action.VIEW, resource).allowed:
        return Decision(False, "the actor may not see this participant")
    return Decision(True, "the participant consented to share contact details")


def _visible(actor: Actor, resource: Resource) -> Decision:
    if resource.kind not in _LISTED:
        return Decision(False, f"a {resource.kind.value} is private to its parties")
    if resource.visibility == "public":
        return Decision(True, "visibility is public")
    if (
        resource.visibility == "participants"
        and actor.role in _FAIR_MEMBERS
        and actor.fair_id is not None
        and actor.fair_id == resource.fair_id
    ):
        return Decision(True, "visible to participants of the same fair")
    return Decision(False, f"visibility is {resource.visibility}")


def _by_role(actor: Actor, action: Action, resource: Resource) -> Decision | None:
    """The grants that come from the role itself; ``None`` when the role grants nothing."""
    if actor.role is Role.ADMIN:
        return Decision(True, "admins may do anything but read withheld contact details")
    if resource.kind is Kind.ACCOUNT:
        own = actor.user_id is not None and actor.user_id == resource.user_id
        return Decision(own, "own account" if own else "another user's account")
    if resource.kind is Kind.DATASET:
        if action is Action.VIEW or actor.role is Role.ANALYST:
            return Decision(True, "datasets are public; analysts load and manage them")
        return Decision(False, "only analysts and admins change datasets")
    organiser = actor.role is Role.ORGANISER and actor.fair_id is not None
    if organiser and actor.fair_id == resource.fair_id:
        return Decision(True, "organiser of this fair")
    return None


def _by_ownership(actor: Actor, action: Action, resource: Resource) -> Decision | None:
    if _owns(actor, resource):
        allowed = _OWN.get(actor.role, {}).get(resource.kind, frozenset())
        allowed = allowed | (_OWN_SHARED.get(resource.kind, frozenset()))
        if actor.role in (Role.EXHIBITOR, Role.BUYER) and action in allowed:
            return Decision(True, f"own organisation's {resource.kind.value}")
    if (
        resource.kind in _PARTY_KINDS
        and actor.organisation_id is not None
        and actor.organisation_id in resource.parties
        and action in _PARTY
    ):
        return Decision(True, f"party to this {resource.kind.value}")
    return None


def decide(actor: Actor, action: Action, resource: Resource) -> Decision:
    """Whether ``actor`` may do ``action`` to ``resource``, and why."""
    if action is Action.VIEW_CONTACT:
        return _contact(actor, resource)
    for rule in (_by_role, _by_ownership):
        decision = rule(actor, action, resource)
        if decision is not None:
            return decision
    if action is Action.VIEW:
        return _visible(actor, resource)
    return Decision(False, f"{actor.role.value} may not {action.value} this {resource.kind.value}")


def can(actor: Actor, action: Action | str, resource: Resource) -> bool:
    """``True`` when ``actor`` may do ``action`` to ``resource``."""
    return decide(actor, Action(action), resource).allowed


def authorize(actor: Actor, action: Action | str, resource: Resource) -> None:
    """Raise unless allowed: 404 when the actor may not even see the object, else 403."""
    act = Action(action)
    decision = decide(actor, act, resource)
    if decision.allowed:
        return
    if act is not Action.VIEW_CONTACT and not decide(actor, Action.VIEW, resource).allowed:
        raise NotFoundError(f"no such {resource.kind.value}", hint="check the id")
    raise PermissionDeniedError(
        f"not allowed to {act.value} this {resource.kind.value}: {decision.reason}"
    )


CONTACT_FIELDS = ("email", "phone", "contact_email", "contact_phone")


def redact(
    actor: Actor,
    resource: Resource,
    data: Mapping[str, Any],
    fields: tuple[str, ...] = CONTACT_FIELDS,
) -> dict[str, Any]:
    """``data`` with contact ``fields`` set to ``None`` unless the actor may see them."""
    if can(actor, Action.VIEW_CONTACT, resource):
        return dict(data)
    return {k: (None if k in fields else v) for k, v in data.items()}
