"""A :data:`SeriesLookup` built from a plain row fetcher, so the caller can wire the checker
to the observatory's store without the checker importing it.

The caller passes ``fetch(reporter, items, flows, periods) -> rows``; each row is a mapping
with the observatory's fields (``dataset``, ``vintage``, ``period``, ``value`` in units,
``unit``, ``growth_pct``, ``source``). Share and published-average series whose item codes are
dataset-specific are mapped by ``data/claims/observatory.yaml``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from servtrade.stats.claims.sources import Observation, SeriesAnswer, SeriesLookup, SeriesQuery
from servtrade.stats.claims.tables import entries

Row = Mapping[str, Any]
RowFetch = Callable[[str, Sequence[str], Sequence[str], Sequence[str]], Sequence[Row]]
TABLE = "observatory.yaml"


@cache
def _items(kind: str) -> dict[tuple[str, str], str]:
    return {
        (str(e.get("item")), str(e.get("flow"))): str(e.get("series_item"))
        for e in entries(TABLE, kind)
    }


def series_item(query: SeriesQuery) -> str | None:
    """The observatory item holding what ``query`` asks for (None: no such series)."""
    if query.measure == "share":
        return _items("share_items").get((query.item, query.flow))
    if query.measure == "average":
        return _items("average_items").get((query.item, query.flow))
    return query.item


def printed_step(value: float) -> float:
    """The unit of the last significant digit of a stored value (470.6e9 -> 1e8)."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    mantissa, exponent = f"{abs(value):.11e}".split("e")
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    return float(10 ** (int(exponent) - (len(digits) - 1)))


def _source(row: Row) -> str | None:
    source = row.get("source")
    if isinstance(source, Mapping):
        return " — ".join(str(source[k]) for k in ("publisher", "title") if source.get(k)) or None
    return None if source is None else str(source)


def _observation(row: Row) -> Observation:
    value = float(row["value"])
    growth = row.get("growth_pct")
    return Observation(
        period=str(row["period"]),
        value=value,
        unit=str(row["unit"]),
        growth_pct=None if growth is None else float(growth),
        step=printed_step(value),
        source=_source(row),
    )


def series_lookup(fetch: RowFetch) -> SeriesLookup:
    """A lookup answering :class:`SeriesQuery` from ``fetch``."""

    def lookup(query: SeriesQuery) -> SeriesAnswer | None:
        item = series_item(query)
        if item is None:
            return None
        rows = [
            r
            for r in fetch(query.reporter, [item], [query.flow], query.periods)
            if r.get("value") is not None
        ]
        if not rows:
            return None
        return SeriesAnswer(
            dataset=", ".join(sorted({str(r.get("dataset")) for r in rows})),
            vintage=", ".join(sorted({str(r.get("vintage")) for r in rows})),
            series=f"{query.reporter} {item} {query.flow}",
            observations=tuple(_observation(r) for r in rows),
        )

    return lookup
