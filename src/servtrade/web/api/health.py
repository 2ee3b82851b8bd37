"""``/api/health``: is the service up, which version, can it reach its database."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from servtrade import __version__
from servtrade.db import ping
from servtrade.web.deps import EngineDep, SettingsDep

router = APIRouter(prefix="/api", tags=["health"])


class Health(BaseModel):
    ok: bool
    status: Literal["ok", "degraded"]
    version: str
    environment: str
    database: str


@router.get("/health", response_model=Health, summary="Service health and version")
def health(settings: SettingsDep, engine: EngineDep) -> Health:
    database = ping(engine)
    ok = database == "ok"
    return Health(
        ok=ok,
        status="ok" if ok else "degraded",
        version=__version__,
        environment=settings.environment.value,
        database=f"{engine.dialect.name}: {database}",
    )


@router.get("/docs", include_in_schema=False)
def docs() -> HTMLResponse:
    """Swagger UI from local assets (the tool works offline)."""
    return get_swagger_ui_html(
        openapi_url="/api/openapi.json",
        title="servtrade API",
        swagger_js_url="/static/vendor/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui.css",
        swagger_favicon_url="/static/vendor/favicon.png",
    )
