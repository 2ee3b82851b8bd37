"""Recommendations reuse a fair's matcher (bench/api_load.py) only while everything it was
built from stays the same: a changed offer gives the answer a fresh matcher gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.config import Settings, load_settings
from servtrade.db import make_engine, make_session_factory, upgrade
from servtrade.market import models as m
from servtrade.market import queries, services
from servtrade.market.match_inputs import match_inputs
from servtrade.market.matching import Matcher
from servtrade.market.schemas import FairPublic, RecommendationsPublic


def _scores(found: RecommendationsPublic) -> list[tuple[int, float]]:
    return [(r.participant_id, r.score) for r in found.recommendations]


Fair = tuple[Settings, sessionmaker[Session], FairPublic]


@pytest.fixture
def small_fair(tmp_path: Path) -> Fair:
    """A migrated SQLite data dir without shared data, holding one small synthetic fair."""
    settings = load_settings(data_dir=tmp_path / "data", shared_dir=tmp_path / "no-shared")
    settings.data_dir.mkdir(parents=True)
    upgrade(settings.resolved_database_url)
    factory = make_session_factory(make_engine(settings.resolved_database_url))
    fair = services.generate_fair(factory, 30, 6, 5)
    return settings, factory, fair


def test_a_kept_matcher_answers_like_a_fresh_one(small_fair: Fair) -> None:
    settings, factory, fair = small_fair
    with factory() as session:
        buyer = session.scalars(sa.select(m.Need.participant_id).where(m.Need.fair_id == fair.id))
        offer = session.scalars(sa.select(m.Offer.id).where(m.Offer.fair_id == fair.id))
        buyer, offer = buyer.first(), offer.first()
    assert buyer is not None and offer is not None
    services.MATCHERS.clear()
    first = services.recommend(factory, buyer, 10, settings=settings)
    assert len(services.MATCHERS._kept) == 1
    assert _scores(services.recommend(factory, buyer, 10, settings=settings)) == _scores(first)
    assert len(services.MATCHERS._kept) == 1  # the same matcher answered
    with factory() as session, session.begin():
        row = session.get_one(m.Offer, offer)
        row.description = "cloud computing data processing consulting " * 5
        row.ebops = "SI"
    kept = services.recommend(factory, buyer, 10, settings=settings)
    assert len(services.MATCHERS._kept) == 2  # the rows changed: a new matcher
    services.MATCHERS.clear()
    fresh = services.recommend(factory, buyer, 10, settings=settings)
    assert _scores(kept) == _scores(fresh)


def test_a_keep_filter_recommends_the_best_kept_counterparts(small_fair: Fair) -> None:
    settings, factory, fair = small_fair
    with factory() as session:
        buyer = session.scalars(
            sa.select(m.Need.participant_id).where(m.Need.fair_id == fair.id)
        ).first()
        rows = queries.match_rows(session, fair.id)
    assert buyer is not None
    matcher = Matcher(match_inputs(rows, fair.starts_on, True, settings))
    everyone = matcher.recommend(buyer, 100)
    assert {r.counterpart for r in everyone} <= set(matcher.counterparts(buyer))
    odd = {c for c in matcher.counterparts(buyer) if c % 2}
    kept = matcher.recommend(buyer, 5, odd.__contains__)
    assert [r.counterpart for r in kept] == [
        r.counterpart for r in everyone if r.counterpart in odd
    ][:5]
