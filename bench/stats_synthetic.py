"""SYNTHETIC BaTIS-shaped CSV generator (not real data) for the stats benchmarks.

Layout follows the OECD-WTO BaTIS BPM6 bulk file: one row per reporter x partner x item x
year x flow with reported, estimated and balanced value columns. Economies are real ISO codes
(so the ingest maps them through the vocabulary); values are random with a heavy-tailed spread
so a few large economies dominate, as in real trade data.

Full scale is about 54M rows (~3 GB): ``--rows 54000000``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import polars as pl
import pycountry

HEADER = [
    "Reporter",
    "type_Reporter",
    "Partner",
    "type_Partner",
    "Flow",
    "Item_code",
    "type_Item",
    "Year",
    "Reported_value",
    "Estimated_value",
    "Balanced_value",
]
ITEMS = ["S", "SA", "SB", "SC", "SD", "SE", "SF", "SG", "SH", "SI", "SJ", "SK", "SL"]
ITEMS += ["SC1", "SC2", "SC3", "SD1", "SD2", "SE1", "SE2", "SF1", "SF2", "SF3", "SG1", "SG2"]
ITEMS += ["SI1", "SI2", "SI3", "SJ1", "SJ2", "SJ3", "SK1", "SK2", "SC11", "SC12", "SC21"]
ITEMS += ["SC22", "SC31", "SC32", "SD1", "SD2"]
YEARS = list(range(2005, 2022))
FLOWS = ["X", "M"]


def economies(n: int = 200) -> list[str]:
    codes = sorted(c.alpha_3 for c in pycountry.countries)
    return codes[:n]


def generate(path: Path, rows: int, seed: int = 7, chunk: int = 2_000_000) -> Path:
    """Write ``rows`` synthetic rows to ``path`` in chunks (bounded memory)."""
    rng = np.random.default_rng(seed)
    econ = np.array(economies())
    items = np.array(ITEMS)
    weight = rng.pareto(1.2, len(econ)) + 0.05
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + "\n")
        while written < rows:
            n = min(chunk, rows - written)
            rep = rng.integers(0, len(econ), n)
            par = rng.integers(0, len(econ), n)
            size = weight[rep] * weight[par] * rng.lognormal(3.0, 1.5, n)
            reported = np.where(rng.random(n) < 0.6, np.round(size, 3), np.nan)
            frame = pl.DataFrame(
                {
                    "Reporter": econ[rep],
                    "type_Reporter": "c",
                    "Partner": econ[par],
                    "type_Partner": "c",
                    "Flow": np.array(FLOWS)[rng.integers(0, 2, n)],
                    "Item_code": items[rng.integers(0, len(items), n)],
                    "type_Item": "i",
                    "Year": rng.choice(YEARS, n),
                    "Reported_value": reported,
                    "Estimated_value": np.round(size * 1.02, 3),
                    "Balanced_value": np.round(size * 0.99, 3),
                }
            )
            out.write(frame.write_csv(include_header=False, null_value=""))
            written += n
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=5_400_000)
    args = parser.parse_args()
    generate(args.path, args.rows)
    print(f"wrote {args.rows:,} SYNTHETIC rows to {args.path}")


if __name__ == "__main__":
    main()
