"""``/fair/schedule`` and ``/fair/tables/{id}``: the organiser's slot x table grid of a fair
(one day at a time) and printable per-table sheets.

Server-rendered, no script; the print stylesheet is served from the template folder so the
pages need no inline style.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from servtrade.accounts.policy import Action
from servtrade.market import access, schedule_agenda
from servtrade.web.auth import IdentityDep, current_identity
from servtrade.web.deps import FactoryDep
from servtrade.web.templating import templates

router = APIRouter(include_in_schema=False, dependencies=[Depends(current_identity)])
assets = APIRouter(include_in_schema=False)  # the stylesheet is public like /static
STYLESHEET = Path(__file__).parent.parent / "templates" / "schedule" / "schedule.css"


@router.get("/fair/schedule", response_class=HTMLResponse)
def grid(
    request: Request,
    factory: FactoryDep,
    who: IdentityDep,
    fair: int | None = Query(None),
    day: int = Query(1, ge=1, le=366),
) -> HTMLResponse:
    """Every meeting of the fair with names: for its organiser and admins only."""
    with factory() as session:
        fair = access.authorize_fair(session, who.actor, fair, Action.MANAGE).id
    context = schedule_agenda.grid(factory, fair, day)
    return templates.TemplateResponse(request, "schedule/grid.html", context)


@router.get("/fair/tables/{table_id}", response_class=HTMLResponse)
def table_sheet(
    request: Request, table_id: int, factory: FactoryDep, who: IdentityDep
) -> HTMLResponse:
    context = schedule_agenda.table_sheet(factory, table_id)
    with factory() as session:
        access.authorize_fair(session, who.actor, context["fair"].id, Action.MANAGE)
    return templates.TemplateResponse(request, "schedule/table.html", context)


@assets.get("/fair/schedule.css")
def stylesheet() -> Response:
    return Response(STYLESHEET.read_text(encoding="utf-8"), media_type="text/css")
