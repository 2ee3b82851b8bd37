"""Query-latency benchmark on a SYNTHETIC BaTIS-shaped store (bench/stats_synthetic.py).

Builds a store with servtrade's own ingest, then asks the same questions two ways in one run:
- servtrade: ``run_indicator`` (ibis on DuckDB over the store's Parquet, with provenance);
- the baseline: hand-written DuckDB SQL over the same Parquet files, on one open connection.
Questions: single-economy indicators (value, yoy, cagr) and world rankings (top 10 reporters
of an item to one partner), the two timed in turn. Reports p50/p95 per question and the ratio
of the p50s; writes bench/results/stats_query.json (``--scale small``, 1M rows) or
stats_query_full.json (``--scale full``, 54M rows; give ``--work`` a folder with room).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from servtrade.stats.ingest import ingest_file
from servtrade.stats.queries import run_indicator
from servtrade.stats.results import Query
from servtrade.stats.store import Store
from servtrade.vocab.economies import economy_index
from stats_synthetic import generate


def timings(a: Callable[[], Any], b: Callable[[], Any], repeat: int) -> tuple[list[float], ...]:
    """Milliseconds of ``repeat`` runs of each, taken in turn (a burst of load on the shared
    machine then slows both alike) after one warm-up each (views, caches, file metadata)."""
    a()
    b()
    found: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, into in ((a, found[0]), (b, found[1])):
            start = time.perf_counter()
            fn()
            into.append((time.perf_counter() - start) * 1000)
    return found


def summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
    }


def keys(con: duckdb.DuckDBPyConnection, parquet: Path) -> dict[str, Any]:
    """A reporter/partner/item with exports in many years, two of them consecutive."""
    row = con.execute(
        "SELECT reporter, partner, item, list(DISTINCT year ORDER BY year) AS years"
        f" FROM read_parquet('{parquet}') WHERE flow = 'exports' GROUP BY ALL"
        " HAVING len(list_filter(years, lambda y: list_contains(years, y - 1))) > 0"
        " ORDER BY len(years) DESC, reporter LIMIT 1"
    ).fetchone()
    assert row is not None, "no series with two consecutive years: use more --rows"
    years = list(row[3])
    last = max(y for y in years if y - 1 in years)
    return {"reporter": row[0], "partner": row[1], "item": row[2], "first": years[0], "last": last}


def questions(store: Store, con: duckdb.DuckDBPyConnection, parquet: Path) -> dict[str, Any]:
    k = keys(con, parquet)
    r, p, i, y0, y1 = k["reporter"], k["partner"], k["item"], k["first"], k["last"]
    src = f"read_parquet('{parquet}')"
    members = ", ".join(f"'{c}'" for c, e in economy_index().by_code.items() if not e.is_aggregate)
    where = f"reporter = '{r}' AND partner = '{p}' AND item = '{i}' AND flow = 'exports'"
    return {
        "value (single economy)": (
            lambda: run_indicator(store, "value", Query(r, p, i, "exports", str(y1))),
            f"SELECT * FROM {src} WHERE {where} AND period = '{y1}'",
        ),
        "yoy (single economy)": (
            lambda: run_indicator(store, "yoy", Query(r, p, i, "exports", str(y1))),
            f"SELECT * FROM {src} WHERE {where} AND period IN ('{y1}', '{y1 - 1}')",
        ),
        "cagr (single economy)": (
            lambda: run_indicator(store, "cagr", Query(r, p, i, "exports", None, y0, y1)),
            f"SELECT * FROM {src} WHERE {where} AND year BETWEEN {y0} AND {y1}",
        ),
        "rank top 10 reporters (world ranking)": (
            lambda: run_indicator(store, "rank", Query(r, p, i, "exports", str(y1)), top=10),
            f"SELECT reporter, value FROM {src} WHERE partner = '{p}' AND item = '{i}'"
            f" AND flow = 'exports' AND period = '{y1}' AND reporter IN ({members})"
            " ORDER BY value DESC LIMIT 10",
        ),
    }


SCALES = {"small": 1_000_000, "full": 54_000_000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--rows", type=int, help="override the scale's row count")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    args = parser.parse_args()
    rows = args.rows or SCALES[args.scale]
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        work = Path(tmp)
        src = generate(work / "batis.csv", rows)
        store = Store(work / "store")
        ingest_file(store, src, dataset="batis", vintage="bench")
        src.unlink()
        parquet = store.data_file("batis", "bench")
        con = duckdb.connect()
        results = {}
        for name, (ours, sql) in questions(store, con, parquet).items():
            ran = timings(ours, lambda sql=sql: con.execute(sql).fetchall(), args.repeat)
            mine, hand = summary(ran[0]), summary(ran[1])
            results[name] = {
                "servtrade": mine,
                "duckdb_sql": hand,
                "ratio_p50": mine["p50_ms"] / hand["p50_ms"],
            }
    result = {
        "data": "SYNTHETIC BaTIS-shaped store (bench/stats_synthetic.py)",
        "scale": args.scale,
        "rows": rows,
        "repeat": args.repeat,
        "questions": results,
        "load_average_1m": os.getloadavg()[0],
        "load_average_before": list(load_before),
        "load_average_after": list(os.getloadavg()),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cores": os.cpu_count(),
        "targets": {
            "ratio_p50": "<= 1.5",
            "single economy p50 (54M rows)": "< 100 ms",
            "world ranking p50 (54M rows)": "< 250 ms",
        },
    }
    name = "stats_query_full.json" if args.scale == "full" else "stats_query.json"
    out = Path(__file__).parent / "results" / name
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
