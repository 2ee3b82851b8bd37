"""Scheduler at fair scale: fast solver vs CP-SAT (60 s) at 1,000 participants, and a valid
schedule at 10,000 participants x 12 slots x 1,000 tables against the LP bound.

Synthetic instances (servtrade.market.scheduling_instances.generate). Writes
bench/results/schedule_scale.json. Run once: ``.venv/bin/python bench/schedule_scale.py``
(about 3 minutes on 2 cores; ``--quick`` shrinks everything for a smoke run).
"""

from __future__ import annotations

import json
import platform
import resource
import sys
import time
from pathlib import Path

from servtrade.market.schedule_check import check_schedule
from servtrade.market.scheduling import schedule
from servtrade.market.scheduling_bound import lp_bound
from servtrade.market.scheduling_compile import compile_instance
from servtrade.market.scheduling_instances import generate

OUT = Path(__file__).parent / "results" / "schedule_scale.json"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def thousand(quick: bool) -> dict[str, object]:
    size: dict[str, int] = {"exhibitors": 300, "buyers": 700, "requests": 4200, "slots": 12,
                            "tables": 250, "seed": 1}  # fmt: skip
    if quick:
        size.update(exhibitors=30, buyers=70, requests=420, tables=25)
    inst = generate(**size)
    began = time.perf_counter()
    fast = schedule(inst, solver="fast", time_limit=5.5)
    fast_seconds = time.perf_counter() - began
    exact = schedule(inst, solver="exact", time_limit=10 if quick else 60, workers=2)
    lp = lp_bound(compile_instance(inst))
    ok = check_schedule(inst, fast.meetings, fast.unscheduled, fast.objective).ok
    return {
        "instance": {**size, "label": inst.label},
        "fast": {"objective": fast.objective, "seconds": round(fast_seconds, 2), "valid": ok,
                 "counters": fast.stats.counters},
        "cpsat_60s": {"objective": exact.objective, "bound": exact.bound,
                      "status": exact.stats.status, "seconds": exact.stats.seconds},
        "lp_bound": lp,
        "fast_over_cpsat": round(fast.objective / max(1, exact.objective), 4),
        "fast_over_lp_bound": round(fast.objective / lp, 4),
        "cpsat_over_own_bound": round(exact.objective / (exact.bound or 1), 4),
        "pass": ok and fast.objective >= exact.objective and fast_seconds < 6,
    }  # fmt: skip


def ten_thousand(quick: bool) -> dict[str, object]:
    size: dict[str, int] = {"exhibitors": 3000, "buyers": 7000, "requests": 42000, "slots": 12,
                            "tables": 1000, "seed": 1}  # fmt: skip
    if quick:
        size.update(exhibitors=300, buyers=700, requests=4200, tables=100)
    inst = generate(**size)
    began = time.perf_counter()
    fast = schedule(inst, solver="fast", time_limit=20)
    seconds = time.perf_counter() - began
    peak = peak_mb()
    report = check_schedule(inst, fast.meetings, fast.unscheduled, fast.objective)
    lp_began = time.perf_counter()
    lp = lp_bound(compile_instance(inst))
    return {
        "instance": {**size, "label": inst.label},
        "fast": {"objective": fast.objective, "meetings": len(fast.meetings),
                 "seconds_including_compile": round(seconds, 2), "valid": report.ok,
                 "counters": fast.stats.counters},
        "peak_memory_mb_after_solve": round(peak, 1),
        "lp_bound": lp,
        "lp_seconds": round(time.perf_counter() - lp_began, 2),
        "fast_over_lp_bound": round(fast.objective / lp, 4),
        "pass": report.ok and seconds < 30 and peak <= 4096,
    }  # fmt: skip


def main() -> None:
    quick = "--quick" in sys.argv
    result = {
        "benchmark": "schedule_scale",
        "synthetic": True,
        "machine": {"python": platform.python_version(), "cpus": 2},
        "thousand": thousand(quick),
        "ten_thousand": ten_thousand(quick),
    }
    print(json.dumps(result, indent=2))
    if not quick:
        OUT.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
