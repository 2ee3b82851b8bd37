"""What the claim checker asks of the observatory, passed in as values.

The checker never opens the store itself: the caller (the CLI, the API) hands it a
:data:`SeriesLookup` ("the series for reporter, item, flow, periods → values, dataset,
vintage") and optionally a :data:`RateLookup` for exchange rates. With neither, only internal
and cross-document checks run, and claims that need data say which series would settle them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from servtrade.stats.claims.subjects import Flow

Measure = Literal["value", "share", "average"]


@dataclass(frozen=True)
class SeriesQuery:
    """A question for the observatory.

    ``periods``: period codes as the store writes them (``2024``, ``2025H1``,
    ``2025-01..2025-08``, ``2012..2024`` for a span); ``measure`` ``share`` asks for the share
    (percent) of ``item`` in ``whole`` (the same flow), ``average`` for a published average
    annual growth rate over a span; ``currency``: the preferred currency of amounts, if any.
    """

    reporter: str
    item: str
    flow: Flow
    periods: tuple[str, ...]
    measure: Measure = "value"
    whole: str | None = None
    currency: str | None = None


@dataclass(frozen=True)
class Observation:
    """One value of a series: an amount (``unit`` a currency code, in units, not billions) or
    a percentage (``unit`` ``percent``), with the growth rate published beside it, if any."""

    period: str
    value: float
    unit: str
    growth_pct: float | None = None
    step: float = 0.0  # the printed precision of the stored value (0: treat as exact)
    source: str | None = None


@dataclass(frozen=True)
class SeriesAnswer:
    """The observations found, and where they come from."""

    dataset: str
    vintage: str
    series: str
    observations: tuple[Observation, ...]
    notes: tuple[str, ...] = field(default=())

    def provenance(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "vintage": self.vintage, "series": self.series}


SeriesLookup = Callable[[SeriesQuery], SeriesAnswer | None]
# (currency, per, period codes) -> units of ``currency`` per one ``per`` (e.g. CNY per USD).
RateLookup = Callable[[str, str, tuple[str, ...]], SeriesAnswer | None]


@dataclass(frozen=True)
class Sources:
    """The data the checker may consult; both optional."""

    series: SeriesLookup | None = None
    rates: RateLookup | None = None
