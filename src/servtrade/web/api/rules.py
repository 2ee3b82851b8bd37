"""``/api/rules``: evaluate cases (one or a batch), list the editions, show a measure.

A thin skin over :mod:`servtrade.rules`; errors are ServtradeErrors rendered by the app's one
JSON error shape. In a batch, each case that fails gets its own error object instead.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, model_validator

from servtrade.config import Settings, shared_data_dir
from servtrade.errors import ServtradeError
from servtrade.rules.book import Rulebook
from servtrade.rules.cases import make_case
from servtrade.rules.editions import lists_as_of
from servtrade.rules.evaluate import evaluate
from servtrade.rules.explain import list_to_dict, measure_to_dict, verdict_to_dict
from servtrade.rules.loader import rulebook_for
from servtrade.rules.stri import StriContext
from servtrade.web.deps import SettingsDep

router = APIRouter(prefix="/api/rules", tags=["rules"])
MAX_BATCH = 1000


class CaseIn(BaseModel):
    """A case in plain values; codes and names are resolved by the rules engine."""

    provider_economy: str = Field(..., max_length=80, examples=["USA"])
    provider_type: str = Field(..., max_length=40, examples=["individual"])
    buyer_economy: str = Field(..., max_length=80, examples=["CHN"])
    service: str = Field(..., max_length=40, examples=["gbt4754:F5182"])
    mode: int | str = Field(..., examples=[4])
    on: date = Field(..., examples=["2024-05-01"])
    zone: str | None = Field(None, max_length=20, examples=[None])
    data: list[str] | None = Field(None, max_length=4)
    facts: dict[str, bool | int | str] = Field(default_factory=dict, max_length=20)


class EvaluateRequest(BaseModel):
    """Either ``case`` (one) or ``cases`` (a batch of at most 1000)."""

    case: CaseIn | None = None
    cases: list[CaseIn] | None = Field(None, max_length=MAX_BATCH)
    explain: bool = Field(True, description="Include the trace tree.")
    stri: bool = Field(True, description="Add OECD STRI context when the shared data exist.")

    @model_validator(mode="after")
    def _one_of(self) -> EvaluateRequest:
        if (self.case is None) == (self.cases is None):
            raise ValueError("give either 'case' or 'cases'")
        return self


def book_for(settings: Settings) -> Rulebook:
    return rulebook_for(settings.data_dir / "measures")


@lru_cache(maxsize=4)
def _stri(shared: Path) -> StriContext:
    return StriContext(shared)


def _judge(
    case: CaseIn, book: Rulebook, context: StriContext | None, explain: bool
) -> dict[str, Any]:
    built = make_case(**case.model_dump(), book=book)
    found = verdict_to_dict(evaluate(built, book=book, context=context))
    if not explain:
        found.pop("trace")
    return found


@router.post("/evaluate", summary="Judge one case or a batch")
def evaluate_cases(body: EvaluateRequest, settings: SettingsDep) -> dict[str, Any]:
    book = book_for(settings)
    shared = shared_data_dir(settings) if body.stri else None
    context = _stri(shared) if shared else None
    if body.case is not None:
        return {"ok": True, "verdict": _judge(body.case, book, context, body.explain)}
    verdicts = []
    for case in body.cases or []:
        try:
            verdicts.append(_judge(case, book, context, body.explain))
        except ServtradeError as exc:
            verdicts.append(exc.to_dict())
    return {"ok": True, "count": len(verdicts), "verdicts": verdicts}


@router.get("/lists", summary="The encoded list editions, with status on a date")
def lists(settings: SettingsDep, on: date | None = Query(None)) -> dict[str, Any]:  # noqa: B008
    book = book_for(settings)
    rows = lists_as_of(book, on)
    return {
        "ok": True,
        "on": on.isoformat() if on else None,
        "lists": [
            {**list_to_dict(book.edition(r["list_id"]), book), "status": r["status"]} for r in rows
        ],
    }


@router.get("/lists/{list_id}", summary="One edition and its encoded measures")
def show_list(list_id: str, settings: SettingsDep) -> dict[str, Any]:
    book = book_for(settings)
    edition = book.edition(list_id)
    return {
        "ok": True,
        "list": list_to_dict(edition, book),
        "measures": [measure_to_dict(m) for m in book.measures_of(edition.id)],
    }


@router.get(
    "/measures/{measure_id}", summary="One measure with its codes, conditions and reference"
)
def show_measure(measure_id: str, settings: SettingsDep) -> dict[str, Any]:
    return {"ok": True, "measure": measure_to_dict(book_for(settings).measure(measure_id))}
