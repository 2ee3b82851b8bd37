"""What a profile holds, and the small helpers its sections share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from servtrade.errors import ServtradeError
from servtrade.stats.indicators import series
from servtrade.stats.results import Observation, Query, Result
from servtrade.stats.selection import resolve_query
from servtrade.stats.store import Store
from servtrade.vocab.economies import Economy


@dataclass(frozen=True)
class Figure:
    """One headline number with where it came from."""

    label: str
    display: str
    period: str
    provenance: str
    source: str


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    spec: dict[str, Any]


@dataclass
class Profile:
    economy: Economy
    year: int
    unit: str | None
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    restrictiveness: list[dict[str, Any]] = field(default_factory=list)
    regimes: list[dict[str, Any]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    # language of the texts the charts add themselves (the dashboard passes its page language;
    # the HTML and PDF downloads are English)
    lang: str = "en"


def source_of(o: Observation) -> str:
    """The published source of an observation, else its dataset id."""
    src = o.source or {}
    if not src.get("publisher"):
        return o.dataset
    text = f"{src['publisher']}, \u201c{src.get('title')}\u201d"
    return f"{text} ({src['date']})" if src.get("date") else text


def attempt(fn: Callable[[], list[Result]]) -> list[Result]:
    """The indicator's results, or none when the store cannot answer."""
    try:
        return fn()
    except ServtradeError:
        return []


def annual(store: Store, economy: str, item: str, flow: str, unit: str | None) -> list[Observation]:
    """One observation per year (the first alternative in dataset order), optionally in ``unit``."""
    q = resolve_query(Query(economy, item=item, flow=flow, unit=unit))
    chosen: dict[str, Observation] = {}
    for o in series(store, q):
        if o.period_type == "year" and o.value is not None and o.period not in chosen:
            chosen[o.period] = o
    return [chosen[p] for p in sorted(chosen)]


def scale_of(values: Sequence[float]) -> tuple[float, str]:
    """Divide by a billion or a million so that axis labels stay short."""
    top = max((abs(v) for v in values), default=0.0)
    return (1e9, "billion") if top >= 1e9 else (1e6, "million")
