"""One entry point for every indicator by name, shared by the CLI, the API and the pages."""

from __future__ import annotations

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.stats import indicators, structure
from servtrade.stats.results import Query, Result
from servtrade.stats.store import Store

INDICATORS = (
    "value",
    "yoy",
    "cagr",
    "balance",
    "change",
    "share",
    "share-of-total",
    "aggregate",
    "rank",
    "rca",
    "hhi",
    "contribution",
    "mirror",
)


def run_indicator(
    store: Store, name: str, q: Query, *, by: str = "reporter", top: int = 10
) -> list[Result]:
    """Compute indicator ``name`` for ``q``."""
    simple = {
        "value": indicators.value,
        "yoy": indicators.yoy,
        "cagr": indicators.cagr,
        "balance": indicators.balance,
        "change": indicators.change,
        "share": indicators.share,
        "aggregate": indicators.aggregate,
        "rca": structure.rca,
        "contribution": structure.contribution,
        "mirror": structure.mirror,
    }
    if name in simple:
        return simple[name](store, q)
    if name == "share-of-total":
        return indicators.share(store, q, of="total")
    if name == "rank":
        return structure.rank(store, q, by=by, top=top)
    if name == "hhi":
        return structure.hhi(store, q, by=by)
    detail = ErrorDetail(
        "is not an indicator",
        field="indicator",
        value=name,
        hint="use one of " + ", ".join(INDICATORS),
    )
    raise ValidationError(f"unknown indicator {name!r}", errors=[detail])
