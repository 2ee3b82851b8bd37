"""Market attractiveness from the observatory, as values for matching.

For a buyer's economy and a service: how large its imports of that service are (percentile
among the economies asked about) and how fast they grew over the last five years (percentile
of the compound annual growth), half each. The service is looked up at its own EBOPS item or
the nearest broader item the store holds. Nothing loaded: no lookup, and matching drops the
factor's weight and says so.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from servtrade.config import Settings
from servtrade.errors import ServtradeError
from servtrade.market.matching_features import MarketLookup, MarketSignal
from servtrade.vocab.ebops import ebops_tree

YEARS = 5
MAX_REMEMBERED = 64  # answers kept, one per fair and store state
_ROWS: dict[tuple[object, ...], list[tuple[str, str, int, float, str, str, str]]] = {}


@dataclass(frozen=True)
class Imports:
    latest: float
    year: int
    cagr: float | None
    dataset: str
    vintage: str
    unit: str


def _percentiles(values: dict[str, float]) -> dict[str, float]:
    ordered = sorted(values, key=lambda k: values[k])
    n = len(ordered)
    return {k: (i + 1) / n for i, k in enumerate(ordered)}


def _series(
    rows: Iterable[tuple[str, str, int, float, str, str, str]],
) -> dict[tuple[str, str], Imports]:
    """Latest value and growth per (economy, item) from (economy, item, year, value, ...)."""
    by_key: dict[tuple[str, str], list[tuple[int, float, str, str, str]]] = {}
    for economy, item, year, value, dataset, vintage, unit in rows:
        by_key.setdefault((economy, item), []).append((year, value, dataset, vintage, unit))
    found = {}
    for key, points in by_key.items():
        points.sort()
        year, latest, dataset, vintage, unit = points[-1]
        first_year, first = points[0][0], points[0][1]
        span = year - first_year
        cagr = (latest / first) ** (1 / span) - 1 if span and first > 0 and latest > 0 else None
        found[key] = Imports(latest, year, cagr, dataset, vintage, unit)
    return found


def _rows(
    settings: Settings, economies: Sequence[str], items: Sequence[str], year: int
) -> list[tuple[str, str, int, float, str, str, str]]:
    from servtrade.stats.pool import kept_store
    from servtrade.stats.results import Query
    from servtrade.stats.selection import fetch

    query = Query("WLD", item="S", flow="imports", start=year - YEARS, end=year)
    with kept_store(settings) as store:  # a server asks on every recommendation
        # the answer changes only with the store's files (a new vintage is a new file)
        key = (tuple(str(f) for f in store.latest_files()), tuple(economies), tuple(items), year)
        found = _ROWS.get(key)
        if found is None:
            observations = fetch(store, query, reporters=list(economies), items=list(items))
            found = [
                (o.reporter, o.item, int(o.period[:4]), float(o.value), o.dataset, o.vintage,
                 o.unit)
                for o in observations
                if o.value is not None and o.period_type == "year"
            ]  # fmt: skip
            if len(_ROWS) >= MAX_REMEMBERED:
                del _ROWS[next(iter(_ROWS))]
            _ROWS[key] = found
    return found


def store_state(settings: Settings | None) -> tuple[tuple[str, int], ...]:
    """The statistics store's published state: market signals change only when it does."""
    if settings is None:
        return ()
    from servtrade.stats.pool import store_stamp

    return store_stamp(settings)


def outside_database(*args: object, **kwargs: object) -> Hashable:
    """What a market answer depends on besides the database (for ``db.kept_read``): the
    statistics store's state (of the :class:`Settings` among the arguments) and today's date
    (a fair without a start date is judged as of today)."""
    settings = next((a for a in (*args, *kwargs.values()) if isinstance(a, Settings)), None)
    return store_state(settings), date.today()


def market_lookup(
    settings: Settings | None, economies: Sequence[str], codes: Sequence[str], year: int
) -> MarketLookup | None:
    """A lookup (economy, EBOPS code) -> signal, or None when the store has nothing to say."""
    if settings is None or not economies or not codes:
        return None
    tree = ebops_tree()
    chains = {c: [c, *(a.code for a in tree.ancestors(c))] for c in codes if c in tree}
    items = sorted({i for chain in chains.values() for i in chain})
    try:
        series = _series(_rows(settings, economies, items, year))
    except ServtradeError:
        return None
    if not series:
        return None
    size = {
        item: _percentiles({e: s.latest for (e, i), s in series.items() if i == item})
        for item in items
    }
    growth = {
        item: _percentiles(
            {e: s.cagr for (e, i), s in series.items() if i == item and s.cagr is not None}
        )
        for item in items
    }

    def lookup(economy: str, code: str) -> MarketSignal | None:
        for item in chains.get(code, [code]):
            found = series.get((economy, item))
            if found is None:
                continue
            grew = growth[item].get(economy)
            value = 0.5 * size[item][economy] + 0.5 * (grew if grew is not None else 0.0)
            rate = f"{100 * found.cagr:+.1f}%/yr" if found.cagr is not None else "growth unknown"
            return MarketSignal(
                round(value, 6),
                f"{economy} imports of {item} in {found.year}: {found.latest:,.0f} {found.unit} "
                f"(size percentile {size[item][economy]:.2f}), {rate} "
                f"({found.dataset}, vintage {found.vintage})",
            )
        return None

    return lookup
