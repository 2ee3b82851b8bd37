"""``POST /api/stats/check``: the claim checker over HTTP (a thin skin over
:mod:`servtrade.stats.claims`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, model_validator

from servtrade.accounts.roles import Scope
from servtrade.config import Settings
from servtrade.errors import ErrorDetail, InputError
from servtrade.stats.claims import Document, Report, Sources, check_documents
from servtrade.stats.claims.dates import make_document
from servtrade.stats.claims_sources import observatory
from servtrade.web.auth import require_scope
from servtrade.web.deps import SettingsDep

MAX_BODY = 1_000_000  # bytes; a release or article is a few kilobytes
MAX_TEXT = 200_000  # characters per document
MAX_DOCUMENTS = 10


class PayloadTooLargeError(InputError):
    status = 413
    code = "payload_too_large"


class DocumentIn(BaseModel):
    name: str = Field("text", min_length=1, max_length=120, description="Name used in claim ids.")
    text: str = Field(..., max_length=MAX_TEXT, description="The release or article text.")
    date: dt.date | None = Field(None, description="Date of the text; default: its dateline.")


class CheckRequest(BaseModel):
    """Either ``text`` (one document) or ``documents`` (checked together)."""

    text: str | None = Field(None, max_length=MAX_TEXT, description="One text to check.")
    documents: list[DocumentIn] = Field(default_factory=list, max_length=MAX_DOCUMENTS)
    date: dt.date | None = Field(None, description="Date for every text (YYYY-MM-DD).")
    observatory: bool = Field(True, description="Also check against the loaded series.")

    @model_validator(mode="after")
    def _some_text(self) -> CheckRequest:
        if self.text is None and not self.documents:
            raise ValueError("give 'text' or at least one entry in 'documents'")
        return self


async def limit_body(request: Request) -> None:
    """Refuse bodies over :data:`MAX_BODY` bytes with 413."""
    declared = request.headers.get("content-length", "")
    size = int(declared) if declared.isdigit() else len(await request.body())
    if size > MAX_BODY:
        detail = ErrorDetail(
            "is too large",
            field="body",
            value=f"{size} bytes",
            hint=f"send at most {MAX_BODY:,} bytes (one release or article)",
        )
        raise PayloadTooLargeError(f"request body too large ({size:,} bytes)", errors=[detail])


def documents_of(body: CheckRequest) -> list[Document]:
    given = [DocumentIn(text=body.text, date=body.date)] if body.text is not None else []
    given += body.documents
    names = [
        d.name if [x.name for x in given].count(d.name) == 1 else f"{d.name}{i}"
        for i, d in enumerate(given, start=1)
    ]
    return [
        make_document(n, d.text, d.date or body.date) for n, d in zip(names, given, strict=True)
    ]


def run_check(settings: Settings, documents: list[Document], use_data: bool = True) -> Report:
    return check_documents(documents, observatory(settings) if use_data else Sources())


router = APIRouter(prefix="/api/stats", tags=["stats"])


@router.post(
    "/check",
    summary="Find and check the numeric claims of texts (signed-in users)",
    dependencies=[Depends(require_scope(Scope.READ)), Depends(limit_body)],
)
def check(body: CheckRequest, settings: SettingsDep) -> dict[str, Any]:
    """Each claim with its text span, parsed values, checks (with arithmetic), computed value
    and verdict: consistent, within_rounding, inconsistent or not_checkable."""
    return {"ok": True, **run_check(settings, documents_of(body), body.observatory).to_dict()}
