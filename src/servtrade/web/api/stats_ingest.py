"""``POST /api/stats/ingest``: an analyst uploads a statistics file as a new vintage.

The same ingest as ``servtrade stats ingest`` (layout and encoding detected, codes mapped,
rejects quarantined, nothing published past the reject threshold, the previous vintage kept
on any failure), behind the ``analyst`` role and the ``write`` scope, with the upload limits
of :mod:`servtrade.web.uploads`.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool

from servtrade.accounts.identity import Identity
from servtrade.accounts.policy import Action, Kind, Resource, authorize
from servtrade.errors import ServtradeError
from servtrade.stats.ingest import ingest_file
from servtrade.stats.store import open_store
from servtrade.web.auth import Writer
from servtrade.web.deps import SettingsDep
from servtrade.web.uploads import Kind as UploadKind
from servtrade.web.uploads import Limits, read_upload

router = APIRouter(prefix="/api/stats", tags=["stats"])
LIMITS = Limits(max_bytes=50 * 1024 * 1024)
Code = Annotated[str | None, Form(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9._-]+$")]


def may_load_datasets(who: Identity) -> None:
    """Analysts and admins load datasets (403 for everyone else)."""
    authorize(who.actor, Action.CREATE, Resource(kind=Kind.DATASET))


def ingest_upload(
    settings: SettingsDep,
    filename: str,
    data: bytes,
    *,
    dataset: str | None = None,
    series: str | None = None,
    vintage: str | None = None,
) -> dict[str, Any]:
    """Write ``data`` to a scratch file named like the upload and ingest it."""
    name = Path(filename).name or "upload.csv"
    with tempfile.TemporaryDirectory(prefix="servtrade-upload-") as scratch:
        path = Path(scratch) / name
        path.write_bytes(data)
        try:
            summary = ingest_file(
                open_store(settings), path, dataset=dataset, series=series, vintage=vintage
            )
        except ServtradeError as exc:
            raise _as_uploaded(exc, str(path), name) from None
    # the caller knows the file by its own name, not by the server's scratch copy
    return {**summary.to_dict(), "file": name}


def _as_uploaded(exc: ServtradeError, scratch: str, name: str) -> ServtradeError:
    """``exc`` naming the uploaded file instead of the scratch path (which leaks nothing
    useful and says where the server keeps temporary files)."""
    exc.message = exc.message.replace(scratch, name)
    exc.errors = [
        replace(
            d, file=name if d.file == scratch else d.file, message=d.message.replace(scratch, name)
        )
        for d in exc.errors
    ]
    return exc


@router.post("/ingest", summary="Load a statistics file as a new vintage (analysts)")
async def ingest(
    *,
    who: Writer,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV: WDI, BaTIS, SDMX-CSV or WTO layout.")],
    dataset: Code = None,
    series: Code = None,
    vintage: Code = None,
) -> dict[str, Any]:
    """Rows read = stored + rejected; rejects are in the quarantine file the answer names."""
    may_load_datasets(who)
    upload = await read_upload(file, (UploadKind.CSV,), LIMITS)
    return await run_in_threadpool(
        ingest_upload, settings, upload.filename, upload.data,
        dataset=dataset, series=series, vintage=vintage,
    )  # fmt: skip
