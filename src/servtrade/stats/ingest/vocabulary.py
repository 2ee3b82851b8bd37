"""Vocabulary tables loaded into DuckDB, so validation and code mapping are SQL joins."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from servtrade.stats.catalog import FLOWS, Dataset
from servtrade.vocab.ebops import aggregates, ebops_tree
from servtrade.vocab.economies import economy_index


def economy_rows(dataset: Dataset) -> dict[str, str]:
    """Lookup key (casefolded code, alias or name) -> economy code."""
    keys = dict(economy_index().keys)
    keys.update({k.casefold(): v for k, v in dataset.economy_aliases.items()})
    return keys


def item_rows(dataset: Dataset) -> dict[str, str]:
    """Lookup key (EBOPS letter code, Comtrade code, aggregate id/alias) -> stored item code."""
    keys: dict[str, str] = {}
    for item in ebops_tree().items():
        keys[item.comtrade_code] = item.code
    for item in ebops_tree().items():
        keys[item.code] = item.code
    for agg in aggregates().values():
        for alias in (agg.id, *agg.aliases):
            keys[alias] = agg.id
    keys.update({code: code for code in dataset.extra_items})
    return keys


def flow_rows(dataset: Dataset) -> dict[str, str]:
    keys = {f: f for f in FLOWS}
    keys.update(dataset.flows)
    return keys


def _register(con: duckdb.DuckDBPyConnection, name: str, mapping: dict[str, str]) -> None:
    table: Any = pa.table({"key": list(mapping), "code": list(mapping.values())})
    con.register(f"{name}_arrow", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")  # noqa: S608 - values quoted by literal()/quote()
    con.unregister(f"{name}_arrow")


def load_vocabulary(con: duckdb.DuckDBPyConnection, dataset: Dataset) -> None:
    """Create the temp tables ``economies``, ``items`` and ``flows`` (key, code)."""
    _register(con, "economies", economy_rows(dataset))
    _register(con, "items", item_rows(dataset))
    _register(con, "flows", flow_rows(dataset))
