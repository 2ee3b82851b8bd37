"""``/rules``: fill in a case, see the verdict, its explanation tree and citations (no script)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from servtrade.config import shared_data_dir
from servtrade.errors import ServtradeError
from servtrade.rules.cases import make_case
from servtrade.rules.editions import lists_as_of
from servtrade.rules.evaluate import evaluate
from servtrade.rules.explain import verdict_to_dict
from servtrade.web.api.rules import _stri, book_for
from servtrade.web.deps import SettingsDep
from servtrade.web.templating import templates

router = APIRouter(include_in_schema=False)

FIELDS = ("provider_economy", "provider_type", "buyer_economy", "zone", "service", "mode", "on")
EXAMPLE = {
    "provider_economy": "USA",
    "provider_type": "individual",
    "buyer_economy": "CHN",
    "zone": "",
    "service": "gbt4754:F5182",
    "mode": "4",
    "on": "2024-05-01",
    "data": [],
}
DATA = ("personal", "sensitive_personal", "important", "other")


def _form(request: Request) -> dict[str, Any]:
    params = request.query_params
    if "service" not in params:
        return dict(EXAMPLE)
    form: dict[str, Any] = {f: params.get(f, "")[:80] for f in FIELDS}
    form["data"] = [d for d in params.getlist("data") if d in DATA]
    return form


@router.get("/rules", response_class=HTMLResponse)
def rules_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    book = book_for(settings)
    form = _form(request)
    verdict, error = None, None
    if "service" in request.query_params:
        try:
            case = make_case(
                **{f: form[f] for f in FIELDS if f != "zone"},
                zone=form["zone"] or None,
                data=form["data"] or None,
                book=book,
            )
            shared = shared_data_dir(settings)
            verdict = verdict_to_dict(
                evaluate(case, book=book, context=_stri(shared) if shared else None)
            )
        except ServtradeError as exc:
            error = exc
    context = {
        "form": form,
        "verdict": verdict,
        "error": error,
        "data_choices": DATA,
        "lists": lists_as_of(book, None),
    }
    return templates.TemplateResponse(
        request, "rules/page.html", context, status_code=error.status if error else 200
    )
