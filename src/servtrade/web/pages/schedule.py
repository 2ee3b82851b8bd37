"""``/fair/schedule`` and ``/fair/tables/{id}``: the organiser's slot x table grid of a fair
(one day at a time) and printable per-table sheets.

Server-rendered, no script; the print stylesheet is served from the template folder so the
pages need no inline style.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from servtrade.market import schedule_agenda
from servtrade.web.deps import FactoryDep
from servtrade.web.templating import templates

router = APIRouter(include_in_schema=False)
STYLESHEET = Path(__file__).parent.parent / "templates" / "schedule" / "schedule.css"


@router.get("/fair/schedule", response_class=HTMLResponse)
def grid(
    request: Request,
    factory: FactoryDep,
    fair: int | None = Query(None),
    day: int = Query(1, ge=1, le=366),
) -> HTMLResponse:
    context = schedule_agenda.grid(factory, fair, day)
    return templates.TemplateResponse(request, "schedule/grid.html", context)


@router.get("/fair/tables/{table_id}", response_class=HTMLResponse)
def table_sheet(request: Request, table_id: int, factory: FactoryDep) -> HTMLResponse:
    context = schedule_agenda.table_sheet(factory, table_id)
    return templates.TemplateResponse(request, "schedule/table.html", context)


@router.get("/fair/schedule.css")
def stylesheet() -> Response:
    return Response(STYLESHEET.read_text(encoding="utf-8"), media_type="text/css")
