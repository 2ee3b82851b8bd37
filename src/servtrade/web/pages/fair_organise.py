"""``/fair/organise``: the organiser's desk -- import organisations, participants, offers and
needs from CSV or XLSX, and run the meeting scheduler.

For the fair's organiser and admins (everyone else gets 403, signed-out visitors 401). An
upload goes through :func:`servtrade.web.uploads.read_upload` (size limit, content sniffing,
XLSX bomb checks) and then the same use case as ``POST /api/market/fairs/{id}/import/{kind}``:
every row valid, or nothing imported, with each bad row named by file, line and column.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from servtrade.accounts.identity import Identity
from servtrade.accounts.policy import Action
from servtrade.accounts.roles import Scope
from servtrade.errors import ConflictError, InputError
from servtrade.market import access, schedule_service, services
from servtrade.market.importer import SCHEMAS
from servtrade.market.schemas import FairPublic
from servtrade.web.auth import CsrfDep, IdentityDep, SignedIn, current_identity, require_scope
from servtrade.web.deps import FactoryDep
from servtrade.web.templating import templates
from servtrade.web.uploads import Kind as UploadKind
from servtrade.web.uploads import Upload, read_upload

router = APIRouter(include_in_schema=False, dependencies=[Depends(current_identity)])
Posting = [SignedIn, CsrfDep, Depends(require_scope(Scope.WRITE))]
# the order an organiser loads a fair in: organisations before the participants that name them
KINDS = ("organisations", "participants", "offers", "needs")
ImportKind = Literal["organisations", "participants", "offers", "needs"]
SOLVERS = ("fast", "exact")
# each kind's columns, required ones first, as the importer checks them (docs/fair.md)
COLUMNS = {
    kind: sorted(
        ((name, spec.is_required()) for name, spec in SCHEMAS[kind].model_fields.items()),
        key=lambda column: not column[1],
    )
    for kind in KINDS
}


def _fair(factory: FactoryDep, who: Identity, fair_id: int | None) -> FairPublic:
    """The fair to organise: the one asked for, else the organiser's own (else the newest)."""
    wanted = fair_id if fair_id is not None else who.fair_id
    with factory() as session:
        chosen = access.authorize_fair(session, who.actor, wanted, Action.MANAGE)
        found = services.fair_public(chosen)
    return found


def _render(request: Request, fair: FairPublic, status: int = 200, **extra: Any) -> HTMLResponse:
    context = {"fair": fair, "kinds": KINDS, "columns": COLUMNS, "solvers": SOLVERS} | extra
    return templates.TemplateResponse(request, "fair/organise.html", context, status_code=status)


@router.get("/fair/organise", response_class=HTMLResponse)
def organise(
    request: Request, factory: FactoryDep, who: IdentityDep, fair: int | None = Query(None)
) -> HTMLResponse:
    return _render(request, _fair(factory, who, fair))


def _import(factory: FactoryDep, who: Identity, kind: str, upload: Upload, fair_id: int) -> Any:
    """The upload written to a scratch file named like it (CSV re-encoded as UTF-8, so a
    GB18030 file reads too), then imported with the caller as actor."""
    with tempfile.TemporaryDirectory(prefix="servtrade-import-") as scratch:
        stem = Path(upload.filename).stem[:80] or kind
        if upload.kind is UploadKind.XLSX:
            path = Path(scratch) / f"{stem}.xlsx"
            path.write_bytes(upload.data)
        else:
            path = Path(scratch) / f"{stem}.csv"
            path.write_text(upload.text(), encoding="utf-8")
        return services.import_file(factory, kind, path, fair_id, actor=who.actor)


@router.post("/fair/organise/import", dependencies=Posting, response_class=HTMLResponse)
async def import_upload(
    *,
    request: Request,
    factory: FactoryDep,
    who: IdentityDep,
    fair: Annotated[int, Form(ge=1)],
    kind: Annotated[ImportKind, Form()],
    file: Annotated[UploadFile, File()],
) -> Response:
    """Show the import report, or every rejected row (nothing is imported then)."""
    chosen = _fair(factory, who, fair)
    try:
        upload = await read_upload(file, (UploadKind.CSV, UploadKind.XLSX))
        report = await run_in_threadpool(_import, factory, who, kind, upload, chosen.id)
    except InputError as exc:
        return _render(request, chosen, exc.status, failed=exc, failed_kind=kind)
    return _render(request, chosen, report=report)


@router.post("/fair/organise/schedule", dependencies=Posting, response_class=HTMLResponse)
def schedule_submit(
    *,
    request: Request,
    factory: FactoryDep,
    who: IdentityDep,
    fair: Annotated[int, Form(ge=1)],
    solver: Annotated[Literal["fast", "exact"], Form()] = "fast",
    time_limit: Annotated[float, Form(gt=0, le=300)] = 10.0,
) -> Response:
    """Replace the fair's schedule and show the summary, with a link to the grid."""
    chosen = _fair(factory, who, fair)
    try:
        result = schedule_service.run_schedule(
            factory, chosen.id, solver=solver, time_limit=time_limit, actor=who.actor
        )
    except (ConflictError, InputError) as exc:
        return _render(request, chosen, exc.status, schedule_failed=exc)
    return _render(request, chosen, schedule=_summary(result))


def _summary(result: dict[str, Any]) -> dict[str, Any]:
    """The figures the page shows; unscheduled requests counted by reason."""
    reasons: dict[str, int] = {}
    for item in result["unscheduled"]:
        reasons[item["reason"]] = reasons.get(item["reason"], 0) + 1
    keep = ("solver", "status", "seconds", "objective", "bound", "gap", "fixed_meetings")
    return {k: result[k] for k in keep} | {
        "meetings": len(result["meetings"]),
        "unscheduled": len(result["unscheduled"]),
        "reasons": sorted(reasons.items()),
        "notes": result["notes"],
    }
