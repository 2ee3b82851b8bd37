"""Use cases of the fair and marketplace. Each one owns its transaction.

The engines meet here (and in :mod:`servtrade.market.match_inputs`, which they call): the rules
engine becomes a plain "feasibility" callable and the observatory a ranking of economies, both
handed to :mod:`servtrade.market.matching` and :mod:`servtrade.market.kpis` as values.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.policy import Action, Actor, Kind
from servtrade.config import Settings
from servtrade.db import kept_read, reading, record_load, transaction
from servtrade.errors import NotFoundError, ServtradeError
from servtrade.market import access, bulk, importer, importing, queries, synthetic
from servtrade.market import models as m
from servtrade.market.kpis import Ranking, RankingWanted, fair_kpis
from servtrade.market.match_inputs import match_inputs
from servtrade.market.matcher_memo import MatcherMemo
from servtrade.market.matching import Matcher, Recommendation
from servtrade.market.schemas import (
    ExhibitorPublic,
    FactorPublic,
    FairKpis,
    FairPublic,
    ImportReport,
    ListingPublic,
    Page,
    ParticipantPublic,
    RecommendationPublic,
    RecommendationsPublic,
)
from servtrade.market.signals import outside_database, store_state

Factory = sessionmaker[Session]
#: the small fair `servtrade init` loads: exhibitors, economies, seed
DEMO = (60, 12, 7)
RANKING_DATASET = "wdi"
MAX_PAGE = 500
MATCHERS = MatcherMemo()  # a fair's matcher, reused while its rows and the store stay the same


def fair_public(fair: m.Fair) -> FairPublic:
    return FairPublic.model_validate(m.row_dict(fair))


def generate_fair(factory: Factory, exhibitors: int, economies: int, seed: int) -> FairPublic:
    """Generate and store a synthetic fair; the same arguments replace the earlier copy."""
    made = synthetic.generate(exhibitors, economies, seed)
    tag = synthetic.tag_of(exhibitors, economies, seed)
    with transaction(factory) as session:
        session.execute(
            sa.delete(m.Fair).where(m.Fair.name == made.fair["name"], m.Fair.synthetic.is_(True))
        )
        session.execute(sa.delete(m.Organisation).where(m.Organisation.external_id.like(f"{tag}%")))
        fair_id = bulk.write_fair(session, made)
        fair = session.get(m.Fair, fair_id)
        assert fair is not None
        public = fair_public(fair)
    detail = (
        f"synthetic fair {fair_id}: {exhibitors} exhibitors, {economies} economies, seed {seed}"
    )
    record_load(factory, "market", "synthetic fair", detail, rows=len(made.participants))
    return public


def load_demo(factory: Factory) -> FairPublic:
    """A small synthetic fair, so that a fresh install shows a fair."""
    return generate_fair(factory, *DEMO)


@kept_read()
def list_fairs(factory: Factory) -> list[FairPublic]:
    with reading(factory) as session:
        return [fair_public(f) for f in queries.list_fairs(session)]


@kept_read()
def get_fair(factory: Factory, fair_id: int | None) -> FairPublic:
    with reading(factory) as session:
        return fair_public(queries.get_fair(session, fair_id))


def ranking(
    settings: Settings | None, dataset: str = RANKING_DATASET, year: int | None = None
) -> tuple[Ranking | None, RankingWanted]:
    """Top-30 services exporters from the observatory, or why it is not available."""
    wanted = RankingWanted(dataset=dataset, year=year)
    missing = f"not available: load dataset {dataset} (servtrade stats ingest ...)"
    if settings is None or year is None:
        why = "" if year else "; give --year"
        return None, RankingWanted(dataset, year, missing=missing + why)
    try:
        from servtrade.stats.results import Query
        from servtrade.stats.store import open_store
        from servtrade.stats.structure import rank

        store = open_store(settings)
        if dataset not in store.datasets():
            return None, RankingWanted(dataset, year, missing=missing)
        query = Query("WLD", item="S", flow="exports", period=str(year), dataset=dataset)
        found = rank(store, query, by="reporter", top=wanted.top)
    except NotFoundError:
        note = (
            f"not available: dataset {dataset} holds no total services exports (EBOPS S) for "
            f"{year}; load them (e.g. WDI BX.GSR.NFSV.CD)"
        )
        return None, RankingWanted(dataset, year, missing=note)
    except ServtradeError as exc:
        return None, RankingWanted(dataset, year, missing=f"not available: {exc}")
    return Ranking(dataset, year, tuple(r.reporter for r in found)), wanted


@kept_read(also=outside_database)
def kpis(
    factory: Factory,
    fair_id: int | None,
    settings: Settings | None = None,
    dataset: str = RANKING_DATASET,
    year: int | None = None,
) -> FairKpis:
    """The fair's key figures (newest fair when ``fair_id`` is None)."""
    found, wanted = ranking(settings, dataset, year)
    with reading(factory) as session:
        return fair_kpis(session, queries.get_fair(session, fair_id), found, wanted)


def overview(
    factory: Factory, fair_id: int | None, settings: Settings | None = None
) -> dict[str, Any]:
    """What the fair's overview page shows: fair, KPIs and the breakdowns behind its charts."""
    found, wanted = ranking(settings, RANKING_DATASET, None)
    with reading(factory) as session:
        fair = queries.get_fair(session, fair_id)
        figures = fair_kpis(session, fair, found, wanted)
        return {
            "fair": fair_public(fair),
            "kpis": figures,
            "by_zone": queries.exhibitor_breakdown(session, fair.id, "zone"),
            "by_economy": queries.exhibitor_breakdown(session, fair.id, "economy"),
            "zones": queries.zones(session, fair.id),
            "funnel": [
                ("requested", figures.meetings_requested),
                ("accepted", figures.meetings_accepted),
                ("held", figures.meetings_held),
                ("deals", figures.deals),
            ],
        }


def overview_zones(factory: Factory, fair_id: int) -> list[str]:
    with reading(factory) as session:
        return queries.zones(session, fair_id)


@kept_read()
def participant(
    factory: Factory, participant_id: int, actor: Actor | None = None
) -> ParticipantPublic:
    """One participant with organisation and roles, if ``actor`` may see it (``None``: the
    trusted CLI); contact details only with consent."""
    with reading(factory) as session:
        found = access.authorize_participant(session, actor, participant_id)
        rows, _ = queries.participants_page(
            session, found.fair_id, None, 1, 0, only=participant_id, viewer=queries.TRUSTED
        )
        rows = access.redact_contacts(session, actor, rows)
    return ParticipantPublic.model_validate(rows[0])


def _page_args(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, MAX_PAGE)), max(0, offset)


@kept_read()
def exhibitors(
    factory: Factory,
    fair_id: int | None,
    where: queries.ExhibitorFilter,
    limit: int = 50,
    offset: int = 0,
    *,
    actor: Actor | None = None,
) -> Page[ExhibitorPublic]:
    """A page of the exhibitor directory as ``actor`` may see it (hidden ones only for staff)."""
    limit, offset = _page_args(limit, offset)
    with reading(factory) as session:
        fair = access.authorize_fair(session, actor, fair_id)
        seen = access.viewer(actor, fair.id) if actor is not None else None
        rows, total = queries.exhibitors_page(session, fair.id, where, limit, offset, viewer=seen)
    items = [ExhibitorPublic.model_validate(r) for r in rows]
    return Page[ExhibitorPublic](items=items, total=total, limit=limit, offset=offset)


@kept_read()
def participants(
    factory: Factory,
    fair_id: int | None,
    role: str | None,
    limit: int = 50,
    offset: int = 0,
    *,
    actor: Actor | None = None,
) -> Page[ParticipantPublic]:
    """A page of participants as ``actor`` may see them, contact details only with consent."""
    limit, offset = _page_args(limit, offset)
    with reading(factory) as session:
        fair = access.authorize_fair(session, actor, fair_id)
        seen = access.viewer(actor, fair.id) if actor is not None else None
        rows, total = queries.participants_page(session, fair.id, role, limit, offset, viewer=seen)
        rows = access.redact_contacts(session, actor, rows)
    items = [ParticipantPublic.model_validate(r) for r in rows]
    return Page[ParticipantPublic](items=items, total=total, limit=limit, offset=offset)


@kept_read()
def listings(
    factory: Factory, where: queries.ListingFilter, limit: int = 50, offset: int = 0
) -> Page[ListingPublic]:
    limit, offset = _page_args(limit, offset)
    with reading(factory) as session:
        rows, total = queries.listings_page(session, where, limit, offset)
    items = [ListingPublic.model_validate(r) for r in rows]
    return Page[ListingPublic](items=items, total=total, limit=limit, offset=offset)


def import_file(
    factory: Factory, kind: str, path: Path, fair_id: int | None, actor: Actor | None = None
) -> ImportReport:
    """Import a CSV or XLSX file: every row valid and every reference known, or nothing.
    With an ``actor``: only the organiser of ``fair_id`` (or an admin) may."""
    if actor is not None:
        with reading(factory) as session:
            fair_id = access.authorize_fair(session, actor, fair_id, Action.MANAGE).id
    parsed = importer.parse_file(kind, path)
    with transaction(factory) as session:
        if kind in importing.NEEDS_FAIR and fair_id is not None:
            queries.get_fair(session, fair_id)
        report = importing.upsert(session, parsed, fair_id)
    record_load(
        factory, "market", f"import {kind}", f"{path.name}: {report.rows} rows", report.rows
    )
    return report


# -- matchmaking ---------------------------------------------------------------------------


def _public(
    rec: Recommendation, who: dict[int, tuple[str, str, str | None]]
) -> RecommendationPublic:
    person, organisation, economy = who.get(rec.counterpart, ("?", "?", None))
    return RecommendationPublic(
        participant_id=rec.counterpart,
        person_name=person,
        organisation=organisation,
        economy=economy,
        role=rec.counterpart_role,
        score=rec.score,
        factors=[FactorPublic(**f.__dict__) for f in rec.factors],
        flagged=rec.flagged,
        verdict=rec.verdict,
        citations=list(rec.citations),
        offer_id=rec.offer,
        need_id=rec.need,
    )


@kept_read(also=outside_database)
def recommend(
    factory: Factory,
    participant_id: int,
    k: int = 10,
    *,
    exclude_prohibited: bool = True,
    settings: Settings | None = None,
    actor: Actor | None = None,
) -> RecommendationsPublic:
    """The ``k`` best counterparts of one participant, each with its factors and evidence.

    With an ``actor``: only for its own organisation's participants (or the fair's organiser),
    and counterparts the actor may not list (hidden profiles) are left out."""
    with reading(factory) as session:
        participant = access.authorize_participant(
            session, actor, participant_id, kind=Kind.RECOMMENDATION
        )
        fair = queries.get_fair(session, participant.fair_id)
        when = fair.starts_on or date.today()
        # the database fingerprints the rows: they are read only to build a new matcher
        key = (fair.id, when, exclude_prohibited, store_state(settings))
        key += queries.match_fingerprint(session, fair.id)
        matcher = MATCHERS.get(
            key,
            lambda: Matcher(
                match_inputs(
                    queries.match_rows(session, fair.id), when, exclude_prohibited, settings
                )
            ),
        )
        shown = None
        if actor is not None:  # counterparts the actor may not list are left out, unexplained
            seen = access.viewer(actor, fair.id)
            shown = queries.listable(session, fair.id, matcher.counterparts(participant_id), seen)
        found = MATCHERS.answer(
            (key, participant_id, k, None if shown is None else frozenset(shown)),
            lambda: matcher.recommend(
                participant_id, k, None if shown is None else shown.__contains__
            ),
        )
        who = queries.people(session, [r.counterpart for r in found])
    notes = matcher.notes
    if not found:
        notes.append("no recommendations: no offers or needs, or no consent to matchmaking")
    return RecommendationsPublic(
        participant_id=participant_id,
        fair_id=fair.id,
        synthetic=fair.synthetic,
        weights=matcher.weights,
        notes=notes,
        recommendations=[_public(r, who) for r in found],
    )
