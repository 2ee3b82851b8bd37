"""Benchmark: rule evaluations per second, indexed versus a naive linear scan (same run).

The rulebook is the encoded lists plus 1,000 synthetic measures (ids SYN-xxxx, ``synthetic: true``,
spread over the three negative lists with random sector codes, modes and conditions). Cases are
built once; the loop times ``evaluate`` only. Both paths must give identical verdicts.

    .venv/bin/python bench/rules_eval.py [--seconds 3] [--synthetic 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import time
from datetime import date
from pathlib import Path

from servtrade.rules.book import Rulebook
from servtrade.rules.cases import make_case
from servtrade.rules.evaluate import evaluate
from servtrade.rules.loader import default_rulebook
from servtrade.rules.model import (
    Case,
    Condition,
    Effect,
    Kind,
    Measure,
    Reference,
    Sector,
    Verification,
)
from servtrade.vocab.ebops import ebops_tree
from servtrade.vocab.w120 import w120_sectors

RESULT = Path(__file__).parent / "results" / "rules_eval.json"
LISTS = ("CN-NAT-2024", "CN-FTZ-2024", "CN-HN-2021")


def code_pool() -> list[str]:
    codes = [f"w120:{s.code}" for s in w120_sectors()]
    codes += sorted({f"cpc:{c}" for s in w120_sectors() for c in s.cpc_codes})
    codes += [f"ebops:{i.code}" for i in ebops_tree().items() if i.breakdown == "standard"]
    codes += [
        f"gbt4754:{s}{d:02d}"
        for s, lo, hi in (("F", 51, 52), ("G", 53, 60), ("I", 63, 65), ("L", 71, 72), ("M", 73, 75))
        for d in range(lo, hi + 1)
    ]
    return codes


def synthetic(rng: random.Random, n: int, codes: list[str]) -> list[Measure]:
    found = []
    for i in range(n):
        picked = rng.sample(codes, rng.randint(1, 3))
        split = rng.randint(0, len(picked))
        conditions = (
            (Condition("fact_is_not", (("fact", "local_presence"), ("value", True))),)
            if i % 5 == 0
            else ()
        )
        found.append(
            Measure(
                id=f"SYN-{i:04d}",
                list_id=LISTS[i % 3],
                item=f"syn {i}",
                sector=Sector(
                    tuple(picked[:split]), tuple(picked[split:]), activity="synthetic activity"
                ),
                modes=frozenset(rng.sample([1, 2, 4], rng.randint(1, 3))),
                kind=rng.choice(list(Kind)[:5]),
                binds=frozenset(rng.sample(["individual", "entity_abroad"], rng.randint(1, 2))),
                effect=rng.choice(list(Effect)),
                requirement="synthetic requirement",
                reference=Reference("synthetic", str(i)),
                summary_en="Synthetic measure for benchmarking.",
                verification=Verification.unverified,
                conditions=conditions,
                synthetic=True,
            )
        )
    return found


def cases(rng: random.Random, n: int, codes: list[str]) -> list[Case]:
    found = []
    for _ in range(n):
        zone = rng.choice([None, None, "ftz", "hainan"])
        found.append(
            make_case(
                provider_economy=rng.choice(["USA", "DEU", "JPN", "HKG", "SGP"]),
                provider_type=rng.choice(["individual", "entity_abroad"]),
                buyer_economy="CHN",
                service=rng.choice(codes),
                mode=rng.choice([1, 2, 3, 4]),
                zone=zone,
                on=date(2024, rng.randint(5, 12), rng.randint(1, 28)),
                data=rng.choice([None, None, ["personal"]]),
            )
        )
    return found


def rate(
    book: Rulebook, batch: list[Case], seconds: float, *, linear: bool = False, cold: bool = False
) -> dict[str, float]:
    """Evaluations per second of CPU time (one core, robust to a shared machine) and wall time.

    ``cold`` drops the rulebook's memos before every pass, so each case is weighed afresh.
    """
    count, cpu, wall = 0, 0.0, 0.0
    while cpu < seconds:
        if cold:
            book.forget()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for case in batch:
            evaluate(case, book=book, linear=linear)
        cpu += time.process_time() - cpu0
        wall += time.perf_counter() - wall0
        count += len(batch)
    return {"per_cpu_s": count / cpu, "per_wall_s": count / wall, "evaluations": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per path (default 3)")
    parser.add_argument(
        "--synthetic", type=int, default=1000, help="synthetic measures (default 1000)"
    )
    args = parser.parse_args()
    rng = random.Random(20240421)
    codes = code_pool()
    base = default_rulebook()
    book = base.with_changes(add=synthetic(rng, args.synthetic, codes))
    batch = cases(rng, 1000, codes)
    for case in batch:  # identical answers, and warm caches (service codes, list choices, index)
        fast, slow = evaluate(case, book=book), evaluate(case, book=book, linear=True)
        assert (fast.outcome, fast.measure_ids) == (slow.outcome, slow.measure_ids), case
    indexed = rate(book, batch, args.seconds)
    cold = rate(book, batch, args.seconds, cold=True)
    naive = rate(book, batch[:200], args.seconds, linear=True)
    speed = indexed["per_cpu_s"]
    result = {
        "benchmark": "rules_eval",
        "date": date.today().isoformat(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cores_used": 1,
        "measures_encoded": len(base.measures),
        "measures_synthetic": args.synthetic,
        "measures_total": len(book.measures),
        "cases": len(batch),
        "indexed_evals_per_cpu_s": round(speed),
        "indexed_evals_per_wall_s": round(indexed["per_wall_s"]),
        "indexed_cold_evals_per_cpu_s": round(cold["per_cpu_s"]),
        "linear_scan_evals_per_cpu_s": round(naive["per_cpu_s"]),
        "speedup_vs_linear_scan": round(speed / naive["per_cpu_s"], 1),
        "speedup_cold_vs_linear_scan": round(cold["per_cpu_s"] / naive["per_cpu_s"], 1),
        "evaluations": {
            "indexed": indexed["evaluations"],
            "cold": cold["evaluations"],
            "linear": naive["evaluations"],
        },
        "target_evals_per_s": 100_000,
        "meets_target": speed >= 100_000,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "notes": [
            "synthetic measures (ids SYN-xxxx) are labelled synthetic and are not real rules",
            "rates are per second of CPU time of this single-threaded process "
            "(the machine is shared)",
            "indexed: measures found through the sector/mode index; weighings of a (list, mode, "
            "service, provider type, data, facts) combination are memoised in the rulebook",
            "cold: the memos are dropped before every pass over the 1,000 cases",
            "linear scan: every measure examined and weighed afresh for every case",
        ],
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"indexed: {speed:,.0f} evals/CPU-s (cold {cold['per_cpu_s']:,.0f}); linear scan: "
        f"{naive['per_cpu_s']:,.0f}; ratio {result['speedup_vs_linear_scan']}x over "
        f"{len(book.measures)} measures ({args.synthetic} synthetic); target 100,000/s "
        f"{'met' if speed >= 100_000 else 'NOT met'}; load average {result['load_average']}"
    )


if __name__ == "__main__":
    main()
