"""How good is the matchmaking? Ranking metrics on a generated fair with planted truth.

A buyer's true counterparts are the exhibitors with an offer of the same underlying service
as one of the buyer's needs (the generator's ``latent`` item), a mode of supply in common,
and markets that fit both ways. Our matcher, a tag-overlap baseline (Jaccard of EBOPS codes,
what closed event apps do) and a random ranking are scored side by side with
precision@k, recall@k and nDCG@k. Meeting requests are left out of the matcher's inputs
because the generator draws them from the same truth.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from servtrade.market.matching import Item, Matcher, MatchInputs
from servtrade.market.synthetic import generate
from servtrade.market.synthetic_parts import Row, SyntheticFair
from servtrade.vocab.ebops import ebops_tree

Ranked = Mapping[int, Sequence[int]]


@dataclass(frozen=True)
class Scores:
    method: str
    precision: float
    recall: float
    ndcg: float


def metrics(method: str, ranked: Ranked, truth: Mapping[int, set[int]], k: int) -> Scores:
    """Mean precision@k, recall@k and nDCG@k (binary relevance) over buyers with a truth."""
    p = r = n = 0.0
    judged = [b for b, t in truth.items() if t]
    for buyer in judged:
        relevant, top = truth[buyer], list(ranked.get(buyer, []))[:k]
        hits = [1.0 if e in relevant else 0.0 for e in top]
        p += sum(hits) / k
        r += sum(hits) / len(relevant)
        dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits))
        ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
        n += dcg / ideal
    count = max(len(judged), 1)
    return Scores(method, round(p / count, 4), round(r / count, 4), round(n / count, 4))


class Numbering:
    """Integer ids for the generated rows' external ids."""

    def __init__(self, fair: SyntheticFair) -> None:
        self.participant = {p["external_id"]: n for n, p in enumerate(fair.participants)}
        self.org_of = {p["external_id"]: p["organisation"] for p in fair.participants}
        economy = {o["external_id"]: o["economy"] for o in fair.organisations}
        self.economy = {pid: economy[org] for pid, org in self.org_of.items()}
        self.org = {o: n for n, o in enumerate(economy)}


def items(rows: Sequence[Row], ids: Numbering) -> list[Item]:
    return [
        Item(
            id=n,
            owner=ids.participant[r["participant"]],
            organisation=ids.org[ids.org_of[r["participant"]]],
            economy=ids.economy[r["participant"]],
            ebops=r["ebops"],
            modes=tuple(r["modes"]),
            markets=tuple(r["markets"]),
            size=r["size"],
            text=r["description"],
        )
        for n, r in enumerate(rows)
    ]


def planted_truth(fair: SyntheticFair, ids: Numbering) -> dict[int, set[int]]:
    """Per buyer, the exhibitors truly compatible with one of its needs (see module doc)."""
    by_latent: dict[str, list[Row]] = {}
    for offer in fair.offers:
        by_latent.setdefault(offer["latent"], []).append(offer)
    truth: dict[int, set[int]] = {}
    for need in fair.needs:
        buyer = need["participant"]
        found = truth.setdefault(ids.participant[buyer], set())
        for offer in by_latent.get(need["latent"], []):
            seller = offer["participant"]
            fits = (
                set(need["modes"]) & set(offer["modes"])
                and (not offer["markets"] or ids.economy[buyer] in offer["markets"])
                and (not need["markets"] or ids.economy[seller] in need["markets"])
            )
            if fits:
                found.add(ids.participant[seller])
    return truth


def tag_overlap(fair: SyntheticFair, ids: Numbering, k: int, seed: int) -> dict[int, list[int]]:
    """Jaccard overlap of the buyer's and the exhibitor's EBOPS code sets; ties at random."""
    codes = {c: n for n, c in enumerate(sorted({r["ebops"] for r in fair.offers + fair.needs}))}

    def matrix(rows: Sequence[Row], owners: list[int]) -> sparse.csr_matrix:
        index = {o: n for n, o in enumerate(owners)}
        pairs = {(index[ids.participant[r["participant"]]], codes[r["ebops"]]) for r in rows}
        r_, c_ = zip(*sorted(pairs), strict=True) if pairs else ((), ())
        return sparse.csr_matrix((np.ones(len(r_)), (r_, c_)), shape=(len(owners), len(codes)))

    buyers = sorted({ids.participant[r["participant"]] for r in fair.needs})
    sellers = sorted({ids.participant[r["participant"]] for r in fair.offers})
    b, e = matrix(fair.needs, buyers), matrix(fair.offers, sellers)
    inter = (b @ e.T).toarray()
    union = np.asarray(b.sum(axis=1)) + np.asarray(e.sum(axis=1)).T - inter
    jitter = np.random.default_rng(seed).random(inter.shape) * 1e-6
    score = inter / np.maximum(union, 1) + jitter
    top = np.argsort(-score, axis=1)[:, :k]
    return {buyer: [sellers[j] for j in top[n]] for n, buyer in enumerate(buyers)}


def random_ranking(fair: SyntheticFair, ids: Numbering, k: int, seed: int) -> dict[int, list[int]]:
    rng = random.Random(seed)  # noqa: S311 - a baseline, not secrets
    sellers = sorted({ids.participant[r["participant"]] for r in fair.offers})
    buyers = sorted({ids.participant[r["participant"]] for r in fair.needs})
    return {b: rng.sample(sellers, min(k, len(sellers))) for b in buyers}


def ours(fair: SyntheticFair, ids: Numbering, k: int) -> dict[int, list[int]]:
    tree = ebops_tree()
    inputs = MatchInputs(
        offers=items(fair.offers, ids), needs=items(fair.needs, ids), distance=tree.distance
    )
    result = Matcher(inputs).match_all(k=k, slack=None)
    return result.for_buyers


def evaluate(exhibitors: int, economies: int, seed: int, k: int = 10) -> dict[str, Any]:
    """Metrics of the three methods on one generated fair, with the fair's description."""
    fair = generate(exhibitors, economies, seed)
    ids = Numbering(fair)
    truth = planted_truth(fair, ids)
    methods: list[tuple[str, Callable[[], Ranked]]] = [
        ("servtrade matcher", lambda: ours(fair, ids, k)),
        ("tag overlap (Jaccard of EBOPS codes)", lambda: tag_overlap(fair, ids, k, seed)),
        ("random", lambda: random_ranking(fair, ids, k, seed)),
    ]
    results = [metrics(name, run(), truth, k) for name, run in methods]
    judged = [t for t in truth.values() if t]
    return {
        "fair": {"exhibitors": exhibitors, "economies": economies, "seed": seed, "synthetic": True},
        "k": k,
        "buyers_judged": len(judged),
        "mean_true_counterparts": round(sum(map(len, judged)) / max(len(judged), 1), 2),
        "methods": [r.__dict__ for r in results],
        "truth": "same planted service, a common mode, markets fitting both ways",
    }
