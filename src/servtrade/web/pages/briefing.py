"""The economy profile in the dashboard, with HTML and PDF downloads."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from servtrade.briefing.model import Profile
from servtrade.briefing.profile import profile_for
from servtrade.briefing.render import html_to_pdf, to_html
from servtrade.stats import charts
from servtrade.web.deps import SettingsDep
from servtrade.web.templating import page_lang, templates

router = APIRouter(include_in_schema=False)

Economy = Annotated[str, Query(min_length=2, max_length=80, description="Economy code or name")]
Year = Annotated[int | None, Query(ge=1950, le=2100)]


@router.get("/observatory/profile", response_class=HTMLResponse)
async def profile_page(
    request: Request, settings: SettingsDep, economy: Economy = "CHN", year: Year = None
) -> HTMLResponse:
    lang = page_lang(request)  # the charts' own texts; the downloads below stay English
    built = await run_in_threadpool(profile_for, settings, economy, year=year, lang=lang)
    svgs = await run_in_threadpool(chart_svgs, built)
    context = {
        "profile": built, "p": built, "svgs": svgs, "economy": economy,
        "on": date(built.year, 12, 31), "generated": datetime.now(UTC),
    }  # fmt: skip
    return templates.TemplateResponse(request, "observatory/profile.html", context)


def chart_svgs(built: Profile) -> dict[str, str]:
    """The profile's charts as inline SVG, by key (the page translates the text around them)."""
    return {c.key: charts.render(c.spec, "svg").decode() for c in built.charts}


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
