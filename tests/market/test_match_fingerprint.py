"""The database's fingerprint of a fair's matching rows (``queries.match_fingerprint``) keys
the kept matchers and their answers: it must stay the same while the rows do, and change with
every change that can change a recommendation. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.market import models as m
from servtrade.market import queries


def _fingerprint(factory: sessionmaker[Session], fair_id: int) -> tuple[object, ...]:
    with factory() as session:
        return queries.match_fingerprint(session, fair_id)


def _rows(factory: sessionmaker[Session], fair_id: int) -> queries.MatchRows:
    with factory() as session:
        return queries.match_rows(session, fair_id)


def _first(session: Session, model: type[m.Offer] | type[m.Need], fair_id: int) -> int:
    found = session.scalar(sa.select(model.id).where(model.fair_id == fair_id).order_by(model.id))
    assert found is not None
    return int(found)


def _describe(session: Session, fair_id: int) -> None:
    session.get_one(m.Offer, _first(session, m.Offer, fair_id)).description = "tax | advice"


def _no_modes(session: Session, fair_id: int) -> None:
    session.get_one(m.Need, _first(session, m.Need, fair_id)).modes = []


def _withdraw_consent(session: Session, fair_id: int) -> None:
    offer = session.get_one(m.Offer, _first(session, m.Offer, fair_id))
    session.get_one(m.Participant, offer.participant_id).consent_matchmaking = False


def _move_organisation(session: Session, fair_id: int) -> None:
    offer = session.get_one(m.Offer, _first(session, m.Offer, fair_id))
    owner = session.get_one(m.Participant, offer.participant_id)
    org = session.get_one(m.Organisation, owner.organisation_id)
    org.economy = "ZZZ" if org.economy != "ZZZ" else "YYY"


def _block(session: Session, fair_id: int) -> None:
    need = session.get_one(m.Need, _first(session, m.Need, fair_id))
    offer = session.get_one(m.Offer, _first(session, m.Offer, fair_id))
    session.add(m.DoNotMeet(participant_id=need.participant_id, other_id=offer.participant_id))


def _cancel_request(session: Session, fair_id: int) -> None:
    live = m.MeetingRequest.status != "cancelled"
    found = session.scalars(
        sa.select(m.MeetingRequest).where(m.MeetingRequest.fair_id == fair_id, live)
    ).first()
    assert found is not None
    found.status = "cancelled"


def _drop_offer(session: Session, fair_id: int) -> None:
    session.delete(session.get_one(m.Offer, _first(session, m.Offer, fair_id)))


CHANGES: dict[str, Callable[[Session, int], None]] = {
    "offer description": _describe,
    "need modes": _no_modes,
    "consent withdrawn": _withdraw_consent,
    "organisation economy": _move_organisation,
    "do-not-meet pair": _block,
    "request cancelled": _cancel_request,
    "offer deleted": _drop_offer,
}


def test_the_same_rows_give_the_same_fingerprint(
    factory: sessionmaker[Session], base_fair: int
) -> None:
    first = _fingerprint(factory, base_fair)
    assert _fingerprint(factory, base_fair) == first
    assert len(first) == 4  # offers, needs, requests, do-not-meet pairs
    assert _fingerprint(factory, base_fair + 10_000) != first  # no such fair: no rows


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_change_of_the_matching_rows_changes_it(
    factory: sessionmaker[Session], base_fair: int, change: str
) -> None:
    before, rows = _fingerprint(factory, base_fair), _rows(factory, base_fair)
    with factory() as session, session.begin():
        CHANGES[change](session, base_fair)
    assert _rows(factory, base_fair) != rows  # the change is one match_rows sees
    assert _fingerprint(factory, base_fair) != before
