"""Fuzz every REST API operation with schemathesis, in process (bench/_apifuzz.py).

At least ``--per-family`` generated requests for each operation family (OpenAPI tag; the
claim checker counts as ``claims``), valid and invalid, anonymous and with an admin token, on
a migrated SQLite data dir with the bundled data and a small synthetic fair. Counts requests,
server errors (5xx or an exception out of the app) and error answers not in the one JSON
error shape, per family; writes bench/results/api_fuzz.json. Exits 1 when it finds any.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import schemathesis

from _apifuzz import DESTRUCTIVE, ROOT, SET_ROLE, SOLVER_SECONDS, open_site, timed_fuzz
from _apiserver import machine

RESULTS = ROOT / "bench" / "results" / "api_fuzz.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-family", type=int, default=1000)
    parser.add_argument("--per-operation", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    def progress(op: Any, tally: Any) -> None:
        print(f"  {op.label}: {tally.by_operation[op.label]} requests", flush=True)

    with tempfile.TemporaryDirectory(prefix="servtrade-fuzz-") as tmp, open_site(Path(tmp)) as site:
        found = timed_fuzz(
            site,
            per_family=args.per_family,
            min_per_operation=args.per_operation,
            seed=args.seed,
            progress=progress,
        )
        victims = site.victims_made
    found = {
        "schemathesis": schemathesis.__version__,
        "per_family_target": args.per_family,
        "per_operation_min": args.per_operation,
        "seed": args.seed,
        **found,
        "throwaway_accounts": victims,
        "notes": [
            "in process (ASGI), SQLite data dir with the bundled data (servtrade init) and a "
            "small synthetic fair (plus the demo fair), scheduled once",
            "positive and negative generation, anonymous and with an admin bearer token",
            f"destructive operations ran with throwaway accounts: {sorted(DESTRUCTIVE)}, and "
            f"{SET_ROLE} when aimed at the admin itself",
            f"schedule runs capped at time_limit {SOLVER_SECONDS} s; rate limits widened "
            "so that requests reach the handlers",
            "integer path ids point at existing rows two times in three",
        ],
        "machine": machine(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n")
    for family, d in found["families"].items():
        print(
            f"{family:9} {d['requests']:6} requests, server errors {d['server_errors']}, "
            f"shape violations {d['shape_violations']}"
        )
    print(
        f"total {found['requests']} requests in {found['seconds']} s: server errors "
        f"{found['server_errors']}, shape violations {found['shape_violations']}; {args.out}"
    )
    return 1 if found["server_errors"] or found["shape_violations"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
