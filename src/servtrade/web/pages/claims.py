"""``/claims``: paste a release or article and see its numeric claims highlighted, each with
its verdict and arithmetic beside it (server-rendered; no script)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.stats.claims.dates import make_document
from servtrade.stats.claims.report import ClaimResult, Report
from servtrade.web.api.claims import MAX_TEXT, limit_body, run_check
from servtrade.web.auth import current_identity
from servtrade.web.deps import SettingsDep
from servtrade.web.templating import templates

# checking texts takes uploads: signed-in users only (401 with a sign-in link otherwise)
router = APIRouter(include_in_schema=False, dependencies=[Depends(current_identity)])

EXAMPLE = (
    "From January to August, China's services trade totaled 5.25 trillion yuan, up 7.4%; "
    "exports 2.3 trillion, up 14.7%; the deficit narrowed by 228.07 billion yuan."
)


@dataclass(frozen=True)
class Segment:
    """A piece of the pasted text: plain, or the span of claim number ``n``."""

    text: str
    n: int | None = None
    result: ClaimResult | None = None


def segments(text: str, results: list[ClaimResult]) -> list[list[Segment]]:
    """The text cut at claim spans, as paragraphs (blank lines separate them)."""
    pieces: list[Segment] = []
    pos = 0
    for n, r in enumerate(results, start=1):
        start, end = r.claim.start, r.claim.end
        if start < pos:  # overlapping spans: show the later claim unhighlighted
            continue
        pieces += [Segment(text[pos:start]), Segment(text[start:end], n, r)]
        pos = end
    pieces.append(Segment(text[pos:]))
    paragraphs: list[list[Segment]] = [[]]
    for piece in pieces:
        if piece.n is not None:
            paragraphs[-1].append(piece)
            continue
        for i, part in enumerate(piece.text.split("\n\n")):
            if i:
                paragraphs.append([])
            paragraphs[-1].append(Segment(part))
    return [p for p in paragraphs if any(s.text.strip() for s in p)]


def _date(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        detail = ErrorDetail("is not a date", field="date", value=text, hint="use YYYY-MM-DD")
        raise ValidationError(f"invalid date {text!r}", errors=[detail]) from None


def _page(request: Request, text: str, when: str, report: Report | None) -> HTMLResponse:
    results = report.documents[0].claims if report else []
    context = {
        "text": text,
        "date": when,
        "report": report,
        "results": results,
        "paragraphs": segments(text, results) if report else [],
        "derived": report.documents[0].derived if report else [],
        "max_text": MAX_TEXT,
    }
    return templates.TemplateResponse(request, "claims/page.html", context)


@router.get("/claims", response_class=HTMLResponse)
def claims_form(request: Request) -> HTMLResponse:
    return _page(request, EXAMPLE, "2025-09-30", None)


@router.post("/claims", response_class=HTMLResponse, dependencies=[Depends(limit_body)])
def claims_check(
    request: Request,
    settings: SettingsDep,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    when: Annotated[str, Form(alias="date", max_length=10)] = "",
) -> HTMLResponse:
    text = text.replace("\r\n", "\n")  # browsers send form text with CRLF line ends
    report = run_check(settings, [make_document("text", text, _date(when))])
    return _page(request, text, when, report)
