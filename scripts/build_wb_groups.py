"""Build data/classifications/wb_groups.csv from the World Bank WDI country metadata.

Usage: python scripts/build_wb_groups.py [SHARED_DIR] > data/classifications/wb_groups.csv

Input (read-only): ../shared/data/wdi-metadata/Metadata_Country_API_3_DS2_en_csv_v2_3060949.csv
(World Bank, CC-BY-4.0). Rows with an empty Region are aggregates (World, regions, income
groups, lending groups ...) and are marked ``is_aggregate=yes``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

SOURCE = "data/wdi-metadata/Metadata_Country_API_3_DS2_en_csv_v2_3060949.csv"


def build(shared: Path) -> list[dict[str, str]]:
    with (shared / SOURCE).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = [
        {
            "code": r["Country Code"].strip(),
            "name": r["TableName"].strip(),
            "region": r["Region"].strip(),
            "income_group": r["IncomeGroup"].strip(),
            "is_aggregate": "no" if r["Region"].strip() else "yes",
        }
        for r in rows
    ]
    return sorted(out, key=lambda r: (r["is_aggregate"], r["code"]))


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "shared"
    rows = build(shared)
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


if __name__ == "__main__":
    main()
