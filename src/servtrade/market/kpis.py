"""The fair's key figures, counted from the database as CIFTIS reports them.

Exhibitors, economies and international organisations represented, the share of
international exhibitors, top services-trading economies present (ranking passed in by the
service from the observatory), Fortune Global 500 exhibitors, launches, partners by sector,
meetings requested / accepted / held, no-show rate, deals and their value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from servtrade.db import Base
from servtrade.market import models as m
from servtrade.market.schemas import FairKpis, TopEconomies


@dataclass(frozen=True)
class Ranking:
    """The top services-trading economies from the observatory, with where they come from."""

    dataset: str
    year: int
    economies: tuple[str, ...]


def _exhibitor_orgs(fair_id: int) -> sa.Select[Any]:
    return (
        sa.select(m.Participant.organisation_id)
        .join(m.ParticipantRole, m.ParticipantRole.participant_id == m.Participant.id)
        .where(m.Participant.fair_id == fair_id, m.ParticipantRole.role == "exhibitor")
        .distinct()
    )


def _counts(session: Session, **stmts: sa.Select[Any]) -> dict[str, int]:
    """The rows of each statement, counted in one statement (one round trip)."""
    counts = [
        sa.select(sa.func.count()).select_from(stmt.subquery()).scalar_subquery().label(name)
        for name, stmt in stmts.items()
    ]
    row = session.execute(sa.select(*counts)).one()
    return {name: int(n or 0) for name, n in zip(stmts, row, strict=True)}


def _by_status(session: Session, fair_id: int, *models: type[Base]) -> list[dict[str, int]]:
    """Rows by status of each model's table, in one statement."""
    parts = [
        sa.select(sa.literal(n).label("part"), t.c.status, sa.func.count().label("n"))
        .where(t.c.fair_id == fair_id)
        .group_by(t.c.status)
        for n, t in enumerate(model.__table__ for model in models)
    ]
    found: list[dict[str, int]] = [{} for _ in models]
    for part, status, n in session.execute(sa.union_all(*parts)):
        found[part][status] = int(n)
    return found


@dataclass(frozen=True)
class RankingWanted:
    """Which ranking the KPI asks for, and what to say when it is not loaded."""

    dataset: str
    year: int | None
    top: int = 30
    missing: str = ""


def top_present(
    economies: Sequence[str], ranking: Ranking | None, wanted: RankingWanted
) -> TopEconomies:
    top = wanted.top
    if ranking is None:
        note = wanted.missing or f"not available: load dataset {wanted.dataset}"
        return TopEconomies(
            available=False,
            dataset=wanted.dataset,
            year=wanted.year,
            of=top,
            present=None,
            economies_present=[],
            note=note,
        )
    leaders = ranking.economies[:top]
    present = sorted(set(leaders) & set(economies))
    return TopEconomies(
        available=True,
        dataset=ranking.dataset,
        year=ranking.year,
        of=len(leaders),
        present=len(present),
        economies_present=present,
        note=f"top {len(leaders)} by services trade in {ranking.dataset}, {ranking.year}",
    )


def fair_kpis(
    session: Session, fair: m.Fair, ranking: Ranking | None, wanted: RankingWanted
) -> FairKpis:
    """Every KPI of ``fair``; a fixed number of statements whatever the fair's size."""
    org = m.Organisation
    orgs = session.execute(
        sa.select(org.economy, org.kind, org.fortune_global_500).where(
            org.id.in_(_exhibitor_orgs(fair.id).scalar_subquery())
        )
    ).all()
    counted = _counts(
        session,
        exhibitors=_exhibitor_orgs(fair.id),
        registered=sa.select(m.Participant.organisation_id)
        .where(m.Participant.fair_id == fair.id)
        .distinct(),
        buyers=sa.select(m.ParticipantRole.participant_id)
        .join(m.Participant, m.Participant.id == m.ParticipantRole.participant_id)
        .where(m.Participant.fair_id == fair.id, m.ParticipantRole.role == "buyer"),
        offers=sa.select(m.Offer.id).where(m.Offer.fair_id == fair.id),
        needs=sa.select(m.Need.id).where(m.Need.fair_id == fair.id),
        launches=sa.select(m.Launch.id).where(m.Launch.fair_id == fair.id),
    )
    economies = sorted({e for e, _, _ in orgs if e})
    io = sum(1 for _, kind, _ in orgs if kind == "international_organisation")
    foreign = sum(1 for e, _, _ in orgs if e != fair.host_economy)
    requests, meetings, deals = _by_status(session, fair.id, m.MeetingRequest, m.Meeting, m.Deal)
    due = meetings.get("held", 0) + meetings.get("no_show", 0)
    return FairKpis(
        fair_id=fair.id,
        fair=fair.name,
        synthetic=fair.synthetic,
        exhibitors=counted["exhibitors"],
        economies=len(economies),
        international_organisations=io,
        economies_and_international_organisations=len(economies) + io,
        international_share=round(foreign / len(orgs), 4) if orgs else 0.0,
        top_economies=top_present(economies, ranking, wanted),
        fortune_global_500=sum(1 for _, _, f500 in orgs if f500),
        registered_organisations=counted["registered"],
        buyers=counted["buyers"],
        offers=counted["offers"],
        needs=counted["needs"],
        launches=counted["launches"],
        partners_by_sector=_partners(session, fair.id),
        meetings_requested=sum(requests.values()),
        meetings_accepted=requests.get("accepted", 0),
        meetings_held=meetings.get("held", 0),
        no_show_rate=round(meetings.get("no_show", 0) / due, 4) if due else None,
        deals=sum(n for s, n in deals.items() if s != "cancelled"),
        deals_signed=deals.get("signed", 0),
        deal_value=_deal_value(session, fair.id),
        computed_from=f"market database, fair {fair.id}"
        + (" (synthetic data)" if fair.synthetic else ""),
    )


def _partners(session: Session, fair_id: int) -> dict[str, int]:
    rows = session.execute(
        sa.select(m.Partner.sector, sa.func.count())
        .where(m.Partner.fair_id == fair_id)
        .group_by(m.Partner.sector)
        .order_by(m.Partner.sector)
    )
    return {sector: int(n) for sector, n in rows}


def _deal_value(session: Session, fair_id: int) -> dict[str, float]:
    rows = session.execute(
        sa.select(m.Deal.currency, sa.func.sum(m.Deal.value))
        .where(m.Deal.fair_id == fair_id, m.Deal.status != "cancelled")
        .group_by(m.Deal.currency)
        .order_by(m.Deal.currency)
    )
    return {currency: round(float(total or 0), 2) for currency, total in rows}
