"""``/fair``: overview with KPIs and charts, exhibitor directory, recommendations, marketplace.

Server-rendered (no script): filters are plain GET forms, charts are SVG drawn on the server.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from servtrade.errors import NotFoundError
from servtrade.market import services
from servtrade.market.queries import ExhibitorFilter, ListingFilter
from servtrade.market.schemas import LISTING_CATEGORIES_ALL
from servtrade.web.auth import IdentityDep, current_identity
from servtrade.web.deps import FactoryDep, SettingsDep
from servtrade.web.templating import templates

# the fair is for its members: without a session every page answers 401 with a sign-in link
router = APIRouter(include_in_schema=False, dependencies=[Depends(current_identity)])
PAGE = 25


def _pages(total: int, offset: int) -> dict[str, Any]:
    return {
        "total": total,
        "offset": offset,
        "previous": max(offset - PAGE, 0) if offset > 0 else None,
        "next": offset + PAGE if offset + PAGE < total else None,
        "size": PAGE,
    }


def _clean(text: str | None, limit: int = 200) -> str | None:
    text = (text or "").strip()[:limit]
    return text or None


@router.get("/fair", response_class=HTMLResponse)
def overview(
    request: Request, factory: FactoryDep, settings: SettingsDep, fair: int | None = Query(None)
) -> HTMLResponse:
    try:
        context = services.overview(factory, fair, settings)
    except NotFoundError:
        if fair is not None:
            raise
        context = {"fair": None}
    context["fairs"] = services.list_fairs(factory)
    return templates.TemplateResponse(request, "fair/overview.html", context)


@router.get("/fair/exhibitors", response_class=HTMLResponse)
def exhibitors(
    *,
    request: Request,
    factory: FactoryDep,
    who: IdentityDep,
    fair: int | None = Query(None),
    zone: str | None = Query(None),
    economy: str | None = Query(None),
    service: str | None = Query(None),
    offset: int = Query(0, ge=0),
) -> HTMLResponse:
    chosen = services.get_fair(factory, fair)
    where = ExhibitorFilter(
        _clean(zone), (_clean(economy, 3) or "").upper() or None, _clean(service, 12)
    )
    page = services.exhibitors(factory, chosen.id, where, PAGE, offset, actor=who.actor)
    context = {
        "fair": chosen,
        "page": page,
        "pages": _pages(page.total, offset),
        "filters": where,
        "zones": services.overview_zones(factory, chosen.id),
    }
    return templates.TemplateResponse(request, "fair/exhibitors.html", context)


@router.get("/fair/participants/{participant_id}", response_class=HTMLResponse)
def recommendations(
    *,
    request: Request,
    participant_id: int,
    factory: FactoryDep,
    settings: SettingsDep,
    who: IdentityDep,
    flag_prohibited: bool = Query(False),
) -> HTMLResponse:
    result = services.recommend(
        factory,
        participant_id,
        10,
        exclude_prohibited=not flag_prohibited,
        settings=settings,
        actor=who.actor,
    )
    context = {
        "result": result,
        "participant": services.participant(factory, participant_id, actor=who.actor),
        "fair": services.get_fair(factory, result.fair_id),
        "flag_prohibited": flag_prohibited,
    }
    return templates.TemplateResponse(request, "fair/participant.html", context)


@router.get("/fair/marketplace", response_class=HTMLResponse)
def marketplace(
    *,
    request: Request,
    factory: FactoryDep,
    q: str | None = Query(None),
    category: str | None = Query(None),
    service: str | None = Query(None),
    offset: int = Query(0, ge=0),
) -> HTMLResponse:
    where = ListingFilter(_clean(q), _clean(category, 30), _clean(service, 12))
    page = services.listings(factory, where, PAGE, offset)
    context = {
        "page": page,
        "pages": _pages(page.total, offset),
        "filters": where,
        "categories": LISTING_CATEGORIES_ALL,
    }
    return templates.TemplateResponse(request, "fair/marketplace.html", context)
