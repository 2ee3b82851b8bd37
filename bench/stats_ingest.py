"""Ingest benchmark on a SYNTHETIC BaTIS-shaped file (bench/stats_synthetic.py).

Compares, in one run on the same file:
- servtrade's ingest (validation, code mapping in DuckDB, quarantine, atomic publish);
- the floor: the faster of a plain DuckDB read_csv -> Parquet and polars sink_parquet;
- what analysts write: pandas read_csv(chunksize=...) with the same validation and mapping.
Each fast contender runs ``--repeat`` times, interleaved; the ratios use each one's fastest run.
Writes bench/results/stats_ingest.json (``--scale small``: 5.4M rows, the default) or
stats_ingest_full.json (``--scale full``: 54M rows, ~2.4 GB; give ``--work`` a folder with room)
and prints the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from servtrade.stats.catalog import get_dataset
from servtrade.stats.ingest import ingest_file
from servtrade.stats.ingest.vocabulary import economy_rows, item_rows
from servtrade.stats.store import Store
from stats_synthetic import generate


def timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def pandas_pipeline(src: Path, out: Path) -> None:
    dataset = get_dataset("batis")
    econ, items = economy_rows(dataset), item_rows(dataset)
    flows = {"X": "exports", "M": "imports"}
    writer = None
    for chunk in pd.read_csv(src, chunksize=1_000_000, dtype=str, keep_default_na=False):
        frame = pd.DataFrame(
            {
                "reporter": chunk["Reporter"].str.strip().str.lower().map(econ),
                "partner": chunk["Partner"].str.strip().str.lower().map(econ),
                "item": chunk["Item_code"].str.strip().map(items),
                "flow": chunk["Flow"].str.strip().map(flows),
                "period": chunk["Year"],
                "value": pd.to_numeric(chunk["Balanced_value"], errors="coerce") * 1e6,
                "reported": pd.to_numeric(chunk["Reported_value"], errors="coerce") * 1e6,
                "estimated": pd.to_numeric(chunk["Estimated_value"], errors="coerce") * 1e6,
            }
        )
        bad = frame[["reporter", "partner", "item", "flow"]].isna().any(axis=1)
        frame[bad].to_csv(out.with_suffix(".rejects.csv"), mode="a")
        table = pa.Table.from_pandas(frame[~bad], preserve_index=False)
        writer = writer or pq.ParquetWriter(out, table.schema)
        writer.write_table(table)
    if writer:
        writer.close()


def ingest_peak_rss_mb(src: Path, root: Path) -> float:
    """Peak RSS of servtrade's ingest alone: the same ingest again, in a child process that
    reports its VmHWM (ru_maxrss would count the pages a forked child shares with us)."""
    code = (
        "import re, sys; from pathlib import Path; from servtrade.stats.ingest import ingest_file;"
        " from servtrade.stats.store import Store;"
        " ingest_file(Store(Path(sys.argv[2])), Path(sys.argv[1]), dataset='batis');"
        " print(re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text())[1])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(src), str(root)], check=True, capture_output=True
    )
    return int(done.stdout.split()[-1]) / 1024


SCALES = {"small": 5_400_000, "full": 54_000_000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--rows", type=int, help="override the scale's row count")
    parser.add_argument(
        "--repeat", type=int, help="runs of each fast contender (default 3; 1 at full)"
    )
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--skip-pandas", action="store_true")
    args = parser.parse_args()
    rows = args.rows or SCALES[args.scale]
    repeat = args.repeat or (1 if args.scale == "full" else 3)
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        work = Path(tmp)
        src = generate(work / "batis.csv", rows)
        size = src.stat().st_size
        runs: dict[str, list[float]] = {"servtrade": [], "duckdb_plain": [], "polars_plain": []}
        for n in range(repeat):  # interleaved, so a burst of load hits every contender alike
            runs["servtrade"].append(
                timed(lambda n=n: ingest_file(Store(work / f"store{n}"), src, dataset="batis"))
            )
            shutil.rmtree(work / f"store{n}")
            runs["duckdb_plain"].append(timed(lambda: duckdb_plain(src, work / "d.parquet")))
            runs["polars_plain"].append(
                timed(lambda: pl.scan_csv(src).sink_parquet(work / "p.parquet"))
            )
        rss_ours = ingest_peak_rss_mb(src, work / "store-rss")
        t_pandas = (
            None if args.skip_pandas else timed(lambda: pandas_pipeline(src, work / "pd.parquet"))
        )
    t_ours, t_duck, t_polars = (min(runs[k]) for k in ("servtrade", "duckdb_plain", "polars_plain"))
    floor = min(t_duck, t_polars)
    result = {
        "data": "SYNTHETIC BaTIS-shaped CSV (bench/stats_synthetic.py)",
        "scale": args.scale,
        "rows": rows,
        "bytes": size,
        "seconds": {
            "servtrade": t_ours,
            "duckdb_plain": t_duck,
            "polars_plain": t_polars,
            "pandas_pipeline": t_pandas,
        },
        "runs": runs,
        "ratio_vs_floor": t_ours / floor,
        "speedup_vs_pandas": (t_pandas / t_ours) if t_pandas else None,
        # this process: file generation and every baseline included
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_mb_servtrade_ingest": rss_ours,
        # the machine is shared: a load average above the core count skews every timing
        "load_average_1m": os.getloadavg()[0],
        "load_average_before": list(load_before),
        "load_average_after": list(os.getloadavg()),
        "cores": os.cpu_count(),
        "targets": {
            "ratio_vs_floor": "<= 1.5",
            "speedup_vs_pandas": ">= 2",
            "peak_rss_mb_servtrade_ingest (full scale)": "<= 2048",
        },
    }
    name = "stats_ingest_full.json" if args.scale == "full" else "stats_ingest.json"
    out = Path(__file__).parent / "results" / name
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def duckdb_plain(src: Path, out: Path) -> None:
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * FROM read_csv('{src}')) TO '{out}' (FORMAT parquet)")


if __name__ == "__main__":
    main()
