"""Benchmark: matching quality on a generated CIFTIS-scale fair with planted compatibilities.

precision@10, recall@10 and nDCG@10 of the servtrade matcher, a tag-overlap baseline
(Jaccard of EBOPS codes, how closed event apps match) and a random ranking, side by side
on the same fair (see :mod:`servtrade.market.evaluation` for how the truth is planted).

    .venv/bin/python bench/market_eval.py [--exhibitors 2000] [--economies 85] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from servtrade.market.evaluation import evaluate

RESULT = Path(__file__).parent / "results" / "market_eval.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhibitors", type=int, default=2000)
    parser.add_argument("--economies", type=int, default=85)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    start = time.perf_counter()
    result = evaluate(args.exhibitors, args.economies, args.seed, args.k)
    ours, tags, _random = result["methods"]
    result["ratios_over_tag_overlap"] = {
        m: round(ours[m] / tags[m], 2) for m in ("precision", "recall", "ndcg") if tags[m]
    }
    result["seconds"] = round(time.perf_counter() - start, 1)
    result["date"] = date.today().isoformat()
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
