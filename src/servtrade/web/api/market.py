"""``/api/market``: fairs, KPIs, exhibitor directory, participants, recommendations, listings,
and the organiser's imports.

Thin: each route parses its parameters, calls one use case of
:mod:`servtrade.market.services` with the caller as actor, and returns its schema. Lists are
paginated with ``limit`` and ``offset`` and say their ``total``. Every route needs a session or
a token with the ``read`` scope (401 without); what a caller sees is decided per object by
:mod:`servtrade.market.access` (404 for what it may not see, 403 for what it may not do).
"""

from __future__ import annotations

import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile

from servtrade.accounts.roles import Scope
from servtrade.market import services
from servtrade.market.queries import ExhibitorFilter, ListingFilter
from servtrade.market.schemas import (
    ExhibitorPublic,
    FairKpis,
    FairPublic,
    ImportReport,
    ListingPublic,
    Page,
    ParticipantPublic,
    RecommendationsPublic,
    Role,
)
from servtrade.web.auth import Reader, Writer, require_scope
from servtrade.web.deps import FactoryDep, SettingsDep
from servtrade.web.uploads import Kind as UploadKind
from servtrade.web.uploads import read_upload

router = APIRouter(
    prefix="/api/market", tags=["market"], dependencies=[Depends(require_scope(Scope.READ))]
)

LIMIT = Query(50, ge=1, le=services.MAX_PAGE, description="Page size.")
OFFSET = Query(0, ge=0, description="Rows to skip.")
ROLE = Query(None, description="Only participants with this role.")
SERVICE = Query(None, max_length=12, description="EBOPS 2010 code; items below it match too.")


@router.get("/fairs", response_model=list[FairPublic], summary="Fairs in the database")
def fairs(factory: FactoryDep) -> list[FairPublic]:
    return services.list_fairs(factory)


@router.get("/fairs/{fair_id}", response_model=FairPublic, summary="One fair")
def fair(fair_id: int, factory: FactoryDep) -> FairPublic:
    return services.get_fair(factory, fair_id)


@router.get("/fairs/{fair_id}/kpis", response_model=FairKpis, summary="The fair's key figures")
def kpis(
    fair_id: int,
    factory: FactoryDep,
    settings: SettingsDep,
    dataset: str = Query(services.RANKING_DATASET, max_length=40, description="Ranking dataset."),
    year: int | None = Query(None, ge=1950, le=2100, description="Year of the top-30 ranking."),
) -> FairKpis:
    return services.kpis(factory, fair_id, settings, dataset, year)


@router.get(
    "/fairs/{fair_id}/exhibitors",
    response_model=Page[ExhibitorPublic],
    summary="Exhibitor directory (filter by zone, economy, service)",
)
def exhibitors(
    *,
    fair_id: int,
    who: Reader,
    factory: FactoryDep,
    zone: str | None = Query(None, max_length=200),
    economy: str | None = Query(None, max_length=3, description="ISO alpha-3 code."),
    service: str | None = SERVICE,
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> Page[ExhibitorPublic]:
    where = ExhibitorFilter(zone, economy.upper() if economy else None, service)
    return services.exhibitors(factory, fair_id, where, limit, offset, actor=who.actor)


@router.get(
    "/fairs/{fair_id}/participants",
    response_model=Page[ParticipantPublic],
    summary="Participants (hidden ones left out)",
)
def participants(
    *,
    fair_id: int,
    who: Reader,
    factory: FactoryDep,
    role: Role | None = ROLE,
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> Page[ParticipantPublic]:
    return services.participants(factory, fair_id, role, limit, offset, actor=who.actor)


@router.get(
    "/participants/{participant_id}",
    response_model=ParticipantPublic,
    summary="One participant (contact details only with consent)",
)
def participant(participant_id: int, who: Reader, factory: FactoryDep) -> ParticipantPublic:
    return services.participant(factory, participant_id, actor=who.actor)


@router.get(
    "/participants/{participant_id}/recommendations",
    response_model=RecommendationsPublic,
    summary="Explained recommendations for one participant",
)
def recommendations(
    *,
    participant_id: int,
    who: Reader,
    factory: FactoryDep,
    settings: SettingsDep,
    k: int = Query(10, ge=1, le=100, description="How many."),
    flag_prohibited: bool = Query(
        False, description="Show pairs the rules prohibit, flagged, instead of leaving them out."
    ),
) -> RecommendationsPublic:
    return services.recommend(
        factory,
        participant_id,
        k,
        exclude_prohibited=not flag_prohibited,
        settings=settings,
        actor=who.actor,
    )


@router.get("/listings", response_model=Page[ListingPublic], summary="Marketplace search")
def listings(
    *,
    factory: FactoryDep,
    q: str | None = Query(None, max_length=200, description="Words in title or description."),
    category: str | None = Query(None, max_length=30),
    service: str | None = SERVICE,
    economy: str | None = Query(None, max_length=3),
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> Page[ListingPublic]:
    where = ListingFilter(q, category, service, economy.upper() if economy else None)
    return services.listings(factory, where, limit, offset)


class ImportKind(StrEnum):
    organisations = "organisations"
    participants = "participants"
    offers = "offers"
    needs = "needs"
    listings = "listings"


@router.post(
    "/fairs/{fair_id}/import/{kind}",
    response_model=ImportReport,
    summary="Import a CSV or XLSX file (organiser of the fair): all rows valid, or nothing",
)
async def import_table(
    fair_id: int,
    kind: ImportKind,
    who: Writer,
    factory: FactoryDep,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or GB18030) or XLSX, at most 20 MB.")],
) -> ImportReport:
    upload = await read_upload(file, (UploadKind.CSV, UploadKind.XLSX))
    suffix = ".xlsx" if upload.kind is UploadKind.XLSX else ".csv"
    with tempfile.TemporaryDirectory(prefix="servtrade-import-") as scratch:
        path = Path(scratch) / (Path(upload.filename).stem[:80] + suffix)
        path.write_bytes(upload.data)
        return services.import_file(factory, kind.value, path, fair_id, actor=who.actor)
