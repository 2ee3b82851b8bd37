"""The observatory as the claim checker sees it: lookups over the loaded series.

``stats.claims`` never opens the store (an import contract says so); this adapter, on the
observatory's side, builds the lookups that the CLI and the API pass in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from servtrade.config import Settings
from servtrade.stats.claims import Sources
from servtrade.stats.claims.observatory import Row, series_lookup
from servtrade.stats.results import Query
from servtrade.stats.selection import fetch
from servtrade.stats.store import Store, open_store

RowsLookup = Callable[[str, Sequence[str], Sequence[str], Sequence[str]], list[Row]]


def store_rows(store: Store) -> RowsLookup:
    """The observatory's rows for (reporter, items, flows, periods)."""

    def rows(
        reporter: str, items: Sequence[str], flows: Sequence[str], periods: Sequence[str]
    ) -> list[Row]:
        query = Query(reporter=reporter, item=items[0], flow=flows[0])
        found = fetch(store, query, periods=list(periods), items=list(items), flows=list(flows))
        return [o.to_dict() for o in found]

    return rows


def observatory(settings: Settings) -> Sources:
    """Lookups over the loaded series, or none when the store is empty."""
    store = open_store(settings)
    if not store.datasets():
        return Sources()
    return Sources(series=series_lookup(store_rows(store)))
