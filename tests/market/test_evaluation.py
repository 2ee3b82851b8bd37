"""Ranking metrics and the side-by-side evaluation on a planted fair."""

from __future__ import annotations

import math

from servtrade.market.evaluation import evaluate, metrics


def test_metrics_on_a_hand_computed_case() -> None:
    ranked = {1: [10, 11, 12], 2: [20, 21, 22]}
    truth = {1: {10, 12}, 2: {99}, 3: set()}
    scores = metrics("x", ranked, truth, k=3)
    dcg = 1 + 1 / math.log2(4)
    ideal = 1 + 1 / math.log2(3)
    assert scores.precision == round((2 / 3 + 0) / 2, 4)
    assert scores.recall == round((1 + 0) / 2, 4)
    assert scores.ndcg == round((dcg / ideal + 0) / 2, 4)


def test_our_matcher_beats_tag_overlap_which_beats_random() -> None:
    result = evaluate(60, 8, 2, k=10)
    by_method = {m["method"]: m for m in result["methods"]}
    ours = by_method["servtrade matcher"]
    tags = by_method["tag overlap (Jaccard of EBOPS codes)"]
    chance = by_method["random"]
    for metric in ("precision", "recall", "ndcg"):
        assert ours[metric] > tags[metric] > chance[metric]
    assert result["fair"] == {"exhibitors": 60, "economies": 8, "seed": 2, "synthetic": True}
    assert result["buyers_judged"] > 200
