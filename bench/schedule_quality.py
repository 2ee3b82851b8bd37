"""Fast solver vs CP-SAT's proven optimum on instances of at most 300 participants.

Candidates: hosted-buyer fairs of 60-300 participants (varied density, tables, two-slot
meetings, booths, caps) and brokerage-forum shapes (lunch break, all meetings must, idle gaps
penalised). CP-SAT (2 workers, up to 90 s) must prove optimality for an instance to count;
the fast solver gets 5 s. Synthetic instances. Writes bench/results/schedule_quality.json.
Run once: ``.venv/bin/python bench/schedule_quality.py`` (``--quick`` for a smoke run).
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from servtrade.market.schedule_check import check_schedule
from servtrade.market.scheduling import Instance, schedule
from servtrade.market.scheduling_instances import brokerage, generate

OUT = Path(__file__).parent / "results" / "schedule_quality.json"


def candidates(quick: bool) -> list[Instance]:
    fairs = [
        generate(exhibitors=e, buyers=b, requests=r, slots=s, tables=t, density=d,
                 long_share=ls, booths=bo, max_meetings=cap, seed=seed)
        for seed, (e, b, r, s, t, d, ls, bo, cap) in enumerate([
            (20, 40, 150, 8, 15, 0.8, 0.0, False, None),
            (30, 70, 300, 10, 25, 0.8, 0.0, False, None),
            (30, 70, 400, 12, 20, 0.7, 0.0, False, 8),
            (40, 100, 500, 12, 35, 0.8, 0.1, False, None),
            (50, 120, 600, 12, 40, 0.9, 0.0, True, None),
            (60, 140, 700, 12, 50, 0.8, 0.0, False, 10),
            (60, 160, 800, 12, 45, 0.75, 0.1, True, None),
            (80, 200, 1000, 12, 60, 0.8, 0.0, False, None),
            (90, 210, 1200, 12, 80, 0.8, 0.0, False, None),
            (90, 210, 1200, 12, 70, 0.8, 0.0, True, 9),
            (25, 60, 250, 6, 20, 1.0, 0.0, False, None),
            (35, 80, 350, 8, 30, 0.6, 0.0, False, None),
            (45, 100, 450, 10, 35, 0.7, 0.2, False, None),
            (70, 180, 900, 12, 55, 0.85, 0.0, False, 8),
            (100, 200, 1200, 12, 90, 0.8, 0.0, False, None),
            (75, 150, 1000, 14, 60, 0.8, 0.0, True, None),
            (40, 120, 600, 12, 30, 0.9, 0.1, False, 6),
            (60, 120, 720, 12, 40, 0.7, 0.0, False, None),
            (30, 90, 420, 10, 25, 0.8, 0.0, True, None),
            (50, 100, 500, 12, 45, 0.9, 0.1, False, None),
            (80, 180, 1000, 12, 70, 0.75, 0.0, False, None),
            (100, 200, 1100, 12, 100, 0.8, 0.0, True, None),
            (20, 60, 240, 8, 12, 0.8, 0.0, False, None),
            (65, 135, 800, 12, 50, 0.85, 0.15, False, None),
            (90, 190, 1100, 12, 75, 0.7, 0.0, False, None),
            (55, 145, 750, 12, 45, 0.8, 0.0, True, None),
        ])
    ]  # fmt: skip
    shapes = [(30, 60, 10), (40, 80, 10), (60, 120, 12)]
    forums = [
        brokerage(participants=p, meetings=m, slots=s, seed=seed)
        for seed, (p, m, s) in enumerate(shapes)
    ]
    every = fairs + forums
    return every[:4] if quick else every


def run(inst: Instance, exact_limit: float) -> dict[str, object]:
    exact = schedule(inst, solver="exact", time_limit=exact_limit, workers=2)
    fast = schedule(inst, solver="fast", time_limit=5)
    valid = all(
        check_schedule(inst, s.meetings, s.unscheduled, s.objective).ok for s in (exact, fast)
    )
    return {
        "label": inst.label,
        "participants": len(inst.participants),
        "requests": len(inst.requests),
        "slots": inst.slots,
        "locations": len(inst.locations),
        "optimum": exact.objective if exact.stats.status == "optimal" else None,
        "cpsat_status": exact.stats.status,
        "cpsat_seconds": exact.stats.seconds,
        "fast_objective": fast.objective,
        "fast_seconds": fast.stats.seconds,
        "ratio": round(fast.objective / exact.objective, 5) if exact.objective > 0 else None,
        "both_valid": valid,
    }


def main() -> None:
    quick = "--quick" in sys.argv
    rows = []
    for inst in candidates(quick):
        row = run(inst, 10 if quick else 90)
        rows.append(row)
        print(f"{row['label']:<55} {row['cpsat_status']:<9} ratio={row['ratio']}", flush=True)
    proven = [r for r in rows if r["optimum"] is not None and r["ratio"] is not None]
    ratios = [float(r["ratio"]) for r in proven]  # type: ignore[arg-type]
    summary = {
        "proven_optimal_instances": len(proven),
        "ratio_min": min(ratios) if ratios else None,
        "ratio_median": statistics.median(ratios) if ratios else None,
        "all_valid": all(r["both_valid"] for r in rows),
        "pass": len(proven) >= 20 and bool(ratios) and min(ratios) >= 0.98,
    }
    print(json.dumps(summary, indent=2))
    if not quick:
        result = {"benchmark": "schedule_quality", "synthetic": True, "summary": summary,
                  "instances": rows}  # fmt: skip
        OUT.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
