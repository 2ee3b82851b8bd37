"""The policy matrix: who may do what to which object, and contact details behind consent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servtrade.accounts.policy import (
    ANONYMOUS,
    Action,
    Actor,
    Kind,
    Resource,
    authorize,
    can,
    decide,
    redact,
)
from servtrade.accounts.roles import Role
from servtrade.errors import NotFoundError, PermissionDeniedError

FAIR, OTHER_FAIR, ORG_A, ORG_B = 1, 2, 10, 20

ADMIN = Actor(Role.ADMIN, user_id=1)
ORGANISER = Actor(Role.ORGANISER, user_id=2, fair_id=FAIR)
OTHER_ORGANISER = Actor(Role.ORGANISER, user_id=3, fair_id=OTHER_FAIR)
EXHIBITOR_A = Actor(
    Role.EXHIBITOR, user_id=4, organisation_id=ORG_A, participant_id=100, fair_id=FAIR
)
BUYER_B = Actor(Role.BUYER, user_id=5, organisation_id=ORG_B, participant_id=200, fair_id=FAIR)
EXHIBITOR_B = Actor(
    Role.EXHIBITOR, user_id=6, organisation_id=ORG_B, participant_id=201, fair_id=FAIR
)
ANALYST = Actor(Role.ANALYST, user_id=7)
PUBLIC = Actor(Role.PUBLIC, user_id=8)

ACTORS = {
    "admin": ADMIN,
    "organiser": ORGANISER,
    "other_organiser": OTHER_ORGANISER,
    "exhibitor_a": EXHIBITOR_A,
    "buyer_b": BUYER_B,
    "exhibitor_b": EXHIBITOR_B,
    "analyst": ANALYST,
    "public": PUBLIC,
    "anonymous": ANONYMOUS,
}


def offer(visibility: str = "public") -> Resource:
    return Resource(Kind.OFFER, organisation_id=ORG_A, fair_id=FAIR, participant_id=100,
                    visibility=visibility)  # fmt: skip


def need(visibility: str = "public") -> Resource:
    return Resource(Kind.NEED, organisation_id=ORG_B, fair_id=FAIR, participant_id=200,
                    visibility=visibility)  # fmt: skip


REQUEST = Resource(Kind.MEETING_REQUEST, organisation_id=ORG_A, fair_id=FAIR,
                   parties=frozenset({ORG_A, ORG_B}))  # fmt: skip
SCHEDULE_A = Resource(Kind.SCHEDULE, organisation_id=ORG_A, fair_id=FAIR)
DATASET = Resource(Kind.DATASET)
FAIR_ROW = Resource(Kind.FAIR, fair_id=FAIR)


def allowed(resource: Resource, action: Action) -> set[str]:
    return {name for name, actor in ACTORS.items() if can(actor, action, resource)}


EVERYONE = set(ACTORS)


def test_offer_of_exhibitor_a() -> None:
    assert allowed(offer(), Action.VIEW) == EVERYONE
    assert allowed(offer(), Action.EDIT) == {"admin", "organiser", "exhibitor_a"}
    assert allowed(offer(), Action.DELETE) == {"admin", "organiser", "exhibitor_a"}
    assert allowed(offer("participants"), Action.VIEW) == {
        "admin", "organiser", "exhibitor_a", "buyer_b", "exhibitor_b",
    }  # fmt: skip
    assert allowed(offer("hidden"), Action.VIEW) == {"admin", "organiser", "exhibitor_a"}


def test_a_buyer_owns_needs_not_offers() -> None:
    assert allowed(need(), Action.EDIT) == {"admin", "organiser", "buyer_b"}
    # exhibitor_b is in the buyer's organisation but needs belong to the buyer role
    assert can(EXHIBITOR_B, Action.VIEW, need("hidden")) is False
    own_offer = Resource(Kind.OFFER, organisation_id=ORG_B, fair_id=FAIR)
    assert allowed(own_offer, Action.CREATE) == {"admin", "organiser", "exhibitor_b"}


def test_meeting_request_is_private_to_its_parties() -> None:
    assert allowed(REQUEST, Action.VIEW) == {
        "admin", "organiser", "exhibitor_a", "buyer_b", "exhibitor_b",
    }  # fmt: skip
    assert allowed(REQUEST, Action.EDIT) == {
        "admin", "organiser", "exhibitor_a", "buyer_b", "exhibitor_b",
    }  # fmt: skip
    assert allowed(REQUEST, Action.DELETE) == {"admin", "organiser"}
    outsider_request = Resource(Kind.MEETING_REQUEST, organisation_id=ORG_A, fair_id=FAIR,
                                parties=frozenset({ORG_A, 30}))  # fmt: skip
    assert allowed(outsider_request, Action.VIEW) == {"admin", "organiser", "exhibitor_a"}


def test_schedule_and_fair_management() -> None:
    assert allowed(SCHEDULE_A, Action.VIEW) == {"admin", "organiser", "exhibitor_a"}
    assert allowed(SCHEDULE_A, Action.EDIT) == {"admin", "organiser"}
    assert allowed(FAIR_ROW, Action.MANAGE) == {"admin", "organiser"}
    assert allowed(FAIR_ROW, Action.VIEW) == EVERYONE


def test_datasets_are_read_by_all_and_loaded_by_analysts() -> None:
    assert allowed(DATASET, Action.VIEW) == EVERYONE
    assert allowed(DATASET, Action.CREATE) == {"admin", "analyst"}
    assert allowed(DATASET, Action.MANAGE) == {"admin", "analyst"}


def test_accounts_are_their_owners() -> None:
    account = Resource(Kind.ACCOUNT, user_id=4)
    assert allowed(account, Action.VIEW) == {"admin", "exhibitor_a"}
    assert allowed(account, Action.DELETE) == {"admin", "exhibitor_a"}


def test_contact_details_need_consent_even_for_admins() -> None:
    bob = Resource(Kind.PARTICIPANT, organisation_id=ORG_B, fair_id=FAIR, participant_id=200)
    assert allowed(bob, Action.VIEW_CONTACT) == {"buyer_b", "exhibitor_b"}
    consenting = Resource(Kind.PARTICIPANT, organisation_id=ORG_B, fair_id=FAIR,
                          participant_id=200, contact_consent=True)  # fmt: skip
    assert allowed(consenting, Action.VIEW_CONTACT) == EVERYONE
    hidden = Resource(Kind.PARTICIPANT, organisation_id=ORG_B, fair_id=FAIR, participant_id=200,
                      contact_consent=True, visibility="hidden")  # fmt: skip
    assert allowed(hidden, Action.VIEW_CONTACT) == {"admin", "organiser", "buyer_b", "exhibitor_b"}
    assert decide(ADMIN, Action.VIEW_CONTACT, bob).reason == (
        "the participant has not consented to share contact details"
    )


def test_redact_blanks_only_contact_fields() -> None:
    bob = Resource(Kind.PARTICIPANT, organisation_id=ORG_B, fair_id=FAIR, participant_id=200)
    row = {"id": 200, "person_name": "Bob", "email": "bob@beta.example", "phone": "+86 10"}
    assert redact(EXHIBITOR_A, bob, row) == {
        "id": 200, "person_name": "Bob", "email": None, "phone": None,
    }  # fmt: skip
    assert redact(BUYER_B, bob, row) == row


def test_authorize_hides_what_the_actor_cannot_see() -> None:
    with pytest.raises(NotFoundError) as hidden:
        authorize(EXHIBITOR_B, Action.EDIT, offer("hidden"))
    assert hidden.value.to_dict()["status"] == 404
    with pytest.raises(PermissionDeniedError) as visible:
        authorize(EXHIBITOR_B, "edit", offer())
    assert str(visible.value) == (
        "not allowed to edit this offer: exhibitor may not edit this offer"
    )
    with pytest.raises(PermissionDeniedError):
        authorize(EXHIBITOR_A, Action.VIEW_CONTACT, Resource(Kind.PARTICIPANT, participant_id=9))
    assert authorize(EXHIBITOR_A, Action.EDIT, offer()) is None


def test_other_fairs_organiser_sees_only_public_things() -> None:
    assert can(OTHER_ORGANISER, Action.VIEW, offer()) is True
    assert can(OTHER_ORGANISER, Action.VIEW, offer("participants")) is False
    assert can(OTHER_ORGANISER, Action.EDIT, offer()) is False
    assert can(OTHER_ORGANISER, Action.VIEW, SCHEDULE_A) is False


actors = st.builds(
    Actor,
    role=st.sampled_from(list(Role)),
    user_id=st.none() | st.integers(1, 5),
    organisation_id=st.none() | st.integers(1, 5),
    participant_id=st.none() | st.integers(1, 5),
    fair_id=st.none() | st.integers(1, 3),
)
resources = st.builds(
    Resource,
    kind=st.sampled_from(list(Kind)),
    organisation_id=st.none() | st.integers(1, 5),
    fair_id=st.none() | st.integers(1, 3),
    participant_id=st.none() | st.integers(1, 5),
    parties=st.frozensets(st.integers(1, 5), max_size=2),
    visibility=st.sampled_from(["public", "participants", "hidden"]),
    contact_consent=st.booleans(),
    user_id=st.none() | st.integers(1, 5),
)


@given(actors, st.sampled_from(list(Action)), resources)
def test_any_change_implies_seeing_and_contact_never_without_consent(
    actor: Actor, action: Action, resource: Resource
) -> None:
    if can(actor, action, resource) and action is not Action.VIEW_CONTACT:
        assert can(actor, Action.VIEW, resource)
    own = actor.participant_id is not None and actor.participant_id == resource.participant_id
    same_org = (
        actor.organisation_id is not None and actor.organisation_id == resource.organisation_id
    )
    if can(actor, Action.VIEW_CONTACT, resource):
        assert resource.contact_consent or own or same_org
