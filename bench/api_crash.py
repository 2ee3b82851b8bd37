"""Crash test of meeting bookings (bench/_crash.py): a burst of concurrent bookings against
``servtrade serve`` on PostgreSQL, SIGKILL mid-burst, restart, then lost / duplicate / torn
bookings counted in SQL. Writes bench/results/crash_bookings.json. The same code runs in
``tests/ops/test_crash_bookings.py``. Without a reachable PostgreSQL the run says so and exits 0
without writing.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from _apiserver import ROOT, postgres_unreachable
from _crash import run

RESULTS = ROOT / "bench" / "results" / "crash_bookings.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="servtrade_crash")
    parser.add_argument("--kill-fraction", type=float, default=0.4)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    reason = postgres_unreachable()
    if reason:
        print(f"skipped: {reason}")
        return 0
    with tempfile.TemporaryDirectory(prefix="servtrade-crash-") as tmp:
        found = run(
            Path(tmp), args.database, kill_fraction=args.kill_fraction, concurrency=args.concurrency
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(found, indent=2) + "\n")
    dup = sum(found["duplicates"].values())
    print(
        f"accepted before the kill {found['accepted_before_kill']} "
        f"(answers {found['answers_before_kill']}, in flight {found['in_flight_at_kill']}), "
        f"lost {found['lost']}, duplicates {dup}, torn {found['torn']}; "
        f"restart {found['restart_seconds']} s, health {found['health_after_restart']}, "
        f"booking after restart {found['booking_after_restart']}; {args.out}"
    )
    ok = found["lost"] == 0 and dup == 0 and found["torn"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
