"""Kept answers of the fair's read use cases (``db.kept_read``, bench/api_load.py): on
PostgreSQL an answer is reused only while no write has been committed since; a write is seen
by the very next read; a kept answer is served only to the caller it was computed for; SQLite
keeps nothing; a read-only session refuses to write."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.policy import Actor
from servtrade.accounts.roles import Role
from servtrade.db import (
    KEPT_READS,
    make_session_factory,
    pooled_engine,
    reading,
    transaction,
    upgrade,
)
from servtrade.errors import DatabaseError, NotFoundError, PermissionDeniedError
from servtrade.kept import Kept
from servtrade.market import models as m
from servtrade.market import queries, services

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import _apiserver  # the shared PostgreSQL helpers live in bench/

FAIR = (20, 5, 3)


def _factory(url: str) -> sessionmaker[Session]:
    upgrade(url)
    return make_session_factory(pooled_engine(url, 4))


@pytest.fixture(scope="module")
def postgres() -> Iterator[tuple[sessionmaker[Session], int]]:
    reason = _apiserver.postgres_unreachable()
    if reason:
        pytest.skip(reason)
    with _apiserver.own_database("servtrade_kept_reads_test") as url:
        factory = _factory(url)
        fair = services.generate_fair(factory, *FAIR)
        yield factory, fair.id
        factory.kw["bind"].dispose()


def _an_exhibitor(factory: sessionmaker[Session], fair_id: int) -> tuple[int, int]:
    """(participant id, organisation id) of one exhibitor with offers."""
    with factory() as session:
        row = session.execute(
            sa.select(m.Participant.id, m.Participant.organisation_id)
            .join(m.Offer, m.Offer.participant_id == m.Participant.id)
            .where(m.Participant.fair_id == fair_id)
            .order_by(m.Participant.id)
        ).first()
    assert row is not None
    return int(row[0]), int(row[1])


def test_an_answer_is_kept_until_a_write_is_committed(
    postgres: tuple[sessionmaker[Session], int],
) -> None:
    factory, fair_id = postgres
    KEPT_READS.clear()
    where = queries.ExhibitorFilter()
    first = services.exhibitors(factory, fair_id, where, 50, 0)
    assert services.exhibitors(factory, fair_id, where, 50, 0) is first  # kept
    assert services.exhibitors(factory, fair_id, where, 5, 0) is not first  # another question
    _, org = _an_exhibitor(factory, fair_id)
    with transaction(factory) as session:
        session.get_one(m.Organisation, org).name = "Renamed services company"
    after = services.exhibitors(factory, fair_id, where, 50, 0)
    assert "Renamed services company" in {e.organisation for e in after.items}
    kpis = services.kpis(factory, fair_id)
    with transaction(factory) as session:
        session.add(m.Partner(fair_id=fair_id, organisation_id=org, sector="kept-test"))
    assert services.kpis(factory, fair_id).partners_by_sector != kpis.partners_by_sector


def test_a_kept_answer_is_served_only_to_its_caller(
    postgres: tuple[sessionmaker[Session], int],
) -> None:
    factory, fair_id = postgres
    KEPT_READS.clear()
    participant, org = _an_exhibitor(factory, fair_id)
    own = Actor(Role.EXHIBITOR, 1, org, participant, fair_id)
    other = Actor(Role.EXHIBITOR, 2, org + 100_000, None, fair_id)
    found = services.recommend(factory, participant, 5, actor=own)
    assert found.participant_id == participant
    for _ in range(2):  # before and after an answer for the owner was kept
        with pytest.raises((NotFoundError, PermissionDeniedError)):
            services.recommend(factory, participant, 5, actor=other)
    assert services.recommend(factory, participant, 5, actor=own) is found


def test_sqlite_keeps_nothing(tmp_path: Path) -> None:
    factory = _factory(f"sqlite:///{tmp_path / 'kept.db'}")
    fair = services.generate_fair(factory, *FAIR)
    first = services.kpis(factory, fair.id)
    again = services.kpis(factory, fair.id)
    assert again == first and again is not first


def test_a_read_only_session_refuses_to_write(tmp_path: Path) -> None:
    factory = _factory(f"sqlite:///{tmp_path / 'read-only.db'}")
    fair = services.generate_fair(factory, *FAIR)
    with reading(factory) as session, pytest.raises(DatabaseError, match="read-only"):
        session.get_one(m.Fair, fair.id).name = "changed"
        session.flush()
    assert services.get_fair(factory, fair.id).name == fair.name


def test_callers_of_the_same_answer_share_one_computation() -> None:
    kept = Kept(size=4)
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow() -> list[int]:
        calls.append(1)
        started.set()
        release.wait(10)
        return [len(calls)]

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(kept.answer, "key", slow)
        assert started.wait(10)
        others = [pool.submit(kept.answer, "key", slow) for _ in range(3)]
        release.set()
        answers = [first.result(10), *(o.result(10) for o in others)]
    assert calls == [1] and all(a is answers[0] for a in answers)


def test_an_error_is_not_kept_and_the_next_caller_computes_again() -> None:
    kept = Kept(size=4)
    calls: list[int] = []

    def failing() -> None:
        calls.append(1)
        raise NotFoundError("not there")

    for _ in range(2):
        with pytest.raises(NotFoundError):
            kept.answer("key", failing)
    assert len(calls) == 2
    assert kept.answer("key", lambda: "now there") == "now there"
