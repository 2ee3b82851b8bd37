"""The economy profile in the dashboard, with HTML and PDF downloads."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from servtrade.briefing.profile import profile_for
from servtrade.briefing.render import body_html, html_to_pdf, to_html
from servtrade.web.deps import SettingsDep
from servtrade.web.templating import templates

router = APIRouter(include_in_schema=False)

Economy = Annotated[str, Query(min_length=2, max_length=80, description="Economy code or name")]
Year = Annotated[int | None, Query(ge=1950, le=2100)]


@router.get("/observatory/profile", response_class=HTMLResponse)
async def profile_page(
    request: Request, settings: SettingsDep, economy: Economy = "CHN", year: Year = None
) -> HTMLResponse:
    built = await run_in_threadpool(profile_for, settings, economy, year=year)
    body = await run_in_threadpool(body_html, built)
    context = {"profile": built, "body": body, "economy": economy}
    return templates.TemplateResponse(request, "observatory/profile.html", context)


@router.get("/observatory/profile.html")
async def profile_download(settings: SettingsDep, economy: Economy, year: Year = None) -> Response:
    built = await run_in_threadpool(profile_for, settings, economy, year=year)
    html = await run_in_threadpool(to_html, built)
    name = f"servtrade-profile-{built.economy.code}-{built.year}.html"
    return Response(html, media_type="text/html", headers=_attachment(name))


@router.get("/observatory/profile.pdf")
async def profile_pdf(settings: SettingsDep, economy: Economy, year: Year = None) -> Response:
    built = await run_in_threadpool(profile_for, settings, economy, year=year)
    html = await run_in_threadpool(to_html, built)
    with tempfile.TemporaryDirectory() as tmp:
        out = await run_in_threadpool(html_to_pdf, html, Path(tmp) / "profile.pdf")
        data = out.read_bytes()
    name = f"servtrade-profile-{built.economy.code}-{built.year}.pdf"
    return Response(data, media_type="application/pdf", headers=_attachment(name))


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}
