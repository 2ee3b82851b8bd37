"""``/observatory/load``: an analyst uploads a statistics file as a new vintage of a dataset.

The same ingest as ``POST /api/stats/ingest`` and ``servtrade stats ingest`` (layout and
encoding detected, codes mapped, rejects quarantined, nothing published past the dataset's
reject threshold, the previous vintage kept on any failure), behind the analyst role: signed-out
visitors get 401, other roles 403. The page shows what the ingest did, or why it refused the
file, naming the file, line and field.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from servtrade.accounts.roles import Scope
from servtrade.errors import ErrorDetail, ServtradeError, ValidationError
from servtrade.stats.catalog import catalog
from servtrade.web.api.stats_ingest import LIMITS, ingest_upload, may_load_datasets
from servtrade.web.auth import CsrfDep, IdentityDep, SignedIn, current_identity, require_scope
from servtrade.web.deps import SettingsDep
from servtrade.web.templating import templates
from servtrade.web.uploads import Kind as UploadKind
from servtrade.web.uploads import read_upload

router = APIRouter(include_in_schema=False, dependencies=[Depends(current_identity)])
Posting = [SignedIn, CsrfDep, Depends(require_scope(Scope.WRITE))]
CODE = re.compile(r"^[A-Za-z0-9._-]{1,80}$")
Optional = Annotated[str, Form(max_length=200)]


def _choices() -> dict[str, Any]:
    """Datasets loaded from CSV files (the releases YAML is the command line's), and the
    series codes of those that name their series (WDI)."""
    datasets = [(d.id, d.title) for d in catalog().values() if d.layout != "releases"]
    series = sorted({code for d in catalog().values() for code in d.series})
    return {"datasets": datasets, "series_codes": series}


def _render(request: Request, status: int = 200, **extra: Any) -> HTMLResponse:
    context = _choices() | {"form": {"dataset": "", "series": ""}} | extra
    return templates.TemplateResponse(request, "observatory/load.html", context, status_code=status)


@router.get("/observatory/load", response_class=HTMLResponse)
def load_page(request: Request, who: IdentityDep) -> HTMLResponse:
    may_load_datasets(who)
    return _render(request)


def _code(name: str, text: str) -> str | None:
    """An optional dataset id or series code from the form: blank is ``None``."""
    value = text.strip()
    if not value:
        return None
    if not CODE.match(value):
        message = "use letters, digits, '.', '_' or '-' (at most 80)"
        raise ValidationError(
            f"{name} {value[:80]!r} is not a code: {message}",
            errors=[ErrorDetail(message, field=name, value=value[:80])],
        )
    return value


@router.post("/observatory/load", dependencies=Posting, response_class=HTMLResponse)
async def load_submit(
    *,
    request: Request,
    settings: SettingsDep,
    who: IdentityDep,
    file: Annotated[UploadFile, File()],
    dataset: Optional = "",
    series: Optional = "",
) -> Response:
    """Ingest the file; show rows read, stored and rejected, or the located errors."""
    may_load_datasets(who)
    form = {"dataset": dataset.strip()[:80], "series": series.strip()[:80]}
    try:
        wanted, code = _code("dataset", dataset), _code("series", series)
        upload = await read_upload(file, (UploadKind.CSV,), LIMITS)
        summary = await run_in_threadpool(
            ingest_upload, settings, upload.filename, upload.data, dataset=wanted, series=code
        )
    except ServtradeError as exc:
        if exc.status >= 500:  # the store failed: the error page, and the log
            raise
        return _render(request, exc.status, failed=exc, details=_named(exc), form=form)
    # the ingest names its scratch copy; the analyst knows the file by its own name
    return _render(request, summary=summary | {"file": upload.filename}, form=form)


def _named(exc: ServtradeError) -> list[ErrorDetail]:
    """The error's details with the file named as uploaded, not by its scratch path."""
    return [replace(d, file=PurePath(d.file).name) if d.file else d for d in exc.errors]
