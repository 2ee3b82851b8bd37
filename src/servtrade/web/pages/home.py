"""The landing page: the three areas and what data is loaded."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from servtrade.db import latest_loads, ping
from servtrade.web.deps import EngineDep, FactoryDep
from servtrade.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, factory: FactoryDep, engine: EngineDep) -> HTMLResponse:
    context = {
        "loads": latest_loads(factory),
        "database": f"{engine.dialect.name} ({ping(engine)})",
    }
    return templates.TemplateResponse(request, "home.html", context)
