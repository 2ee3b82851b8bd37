"""The scorer: factor values for blocks of needs × offers, or for lists of pairs.

Values only: rules verdicts and market statistics arrive as callables in :class:`MatchInputs`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from servtrade.market.matching_features import (
    MODE_FIT,
    SIZE_FIT,
    CodeDistance,
    Floats,
    Ints,
    Item,
    MarketLookup,
    TextModel,
    Vocabulary,
    build_side,
    code_similarity,
    market_table,
    owner_projection,
    pair_matrix,
)

FACTORS = (
    "service_code",
    "service_text",
    "mode",
    "market",
    "mutual_interest",
    "size",
    "rules",
    "attractiveness",
)
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "service_code": 0.30,
    "service_text": 0.20,
    "mode": 0.10,
    "market": 0.10,
    "mutual_interest": 0.10,
    "size": 0.05,
    "rules": 0.10,
    "attractiveness": 0.05,
}


Outcome = Literal["allowed", "conditional", "prohibited", "out_of_scope", "not_covered"]


@dataclass(frozen=True)
class Verdict:
    """What the rules engine says about one case, reduced to what matching needs."""

    outcome: Outcome
    citations: tuple[str, ...] = ()


#: (provider economy, buyer economy, service key such as "ebops:SI2", mode) -> verdict
Feasibility = Callable[[str | None, str | None, str, int], Verdict]


@dataclass(frozen=True)
class MatchInputs:
    offers: Sequence[Item]
    needs: Sequence[Item]
    distance: CodeDistance
    requests: Sequence[tuple[int, int]] = ()
    do_not_meet: Sequence[tuple[int, int]] = ()
    feasibility: Feasibility | None = None
    market: MarketLookup | None = None
    missing: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    weights: Mapping[str, float] | None = None
    exclude_prohibited: bool = True
    text_model: TextModel | None = None


def effective_weights(inputs: MatchInputs) -> tuple[dict[str, float], list[str]]:
    """Weights summing to 1 over the factors that have data; notes say what was dropped."""
    weights = dict(inputs.weights or DEFAULT_WEIGHTS)
    unknown = set(weights) - set(FACTORS)
    if unknown:
        raise ValueError(f"unknown matching factors {sorted(unknown)}; known: {FACTORS}")
    notes = []
    for name, present in (("rules", inputs.feasibility), ("attractiveness", inputs.market)):
        if present is None and weights.get(name, 0.0) > 0:
            weights[name] = 0.0
            why = inputs.missing.get(name, "not available")
            notes.append(f"{name}: weight dropped ({why}); other weights rescaled")
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("matching weights must add up to more than 0")
    return {f: weights.get(f, 0.0) / total for f in FACTORS}, notes


class Scorer:
    """Feature arrays of one fair and the factor values of any set of pairs."""

    def __init__(self, inputs: MatchInputs) -> None:
        self.inputs = inputs
        self.offer_items = list(inputs.offers)
        self.need_items = list(inputs.needs)
        texts = [i.text for i in (*self.offer_items, *self.need_items)]
        self.text = inputs.text_model or TextModel(texts)
        self.weights, self.notes = effective_weights(inputs)
        self.w = {f: np.float32(v) for f, v in self.weights.items()}
        self._distances: dict[tuple[str, str], int] = {}
        self.verdicts: dict[tuple[str | None, str | None, str, int], Verdict] = {}
        self._rebuild()

    def distance(self, a: str, b: str) -> int:
        key = (a, b) if a <= b else (b, a)
        if key not in self._distances:
            self._distances[key] = self.inputs.distance(*key)
        return self._distances[key]

    def _rebuild(self) -> None:
        self.vocab = Vocabulary([*self.offer_items, *self.need_items])
        self.offers = build_side(self.offer_items, self.vocab, self.text)
        self.needs = build_side(self.need_items, self.vocab, self.text)
        self.code_sim = code_similarity(self.vocab, self.distance)
        self.market = market_table(self.vocab, self.inputs.market)
        owners = sorted({i.owner for i in (*self.offer_items, *self.need_items)})
        index = {o: n for n, o in enumerate(owners)}
        requests = pair_matrix(self.inputs.requests, index, len(owners))
        blocked = pair_matrix(self.inputs.do_not_meet, index, len(owners))
        to_needs = owner_projection(self.needs, index, len(owners))
        to_offers = owner_projection(self.offers, index, len(owners)).T.tocsc()
        self.interest = sparse.csr_matrix(
            0.5 * (to_needs @ requests @ to_offers) + 0.5 * (to_needs @ requests.T @ to_offers)
        )
        self.blocked = sparse.csr_matrix(to_needs @ (blocked + blocked.T) @ to_offers)
        self.codes = list(self.vocab.codes)
        self.services = list(self.vocab.services)
        self.economies = [*self.vocab.economies, None]
        self._weighted_tables()

    def _weighted_tables(self) -> None:
        """Weighted lookup tables so that a block is a few row and column gathers."""
        n, o, w = self.needs, self.offers, self.w
        need_keys = np.stack([n.code, n.modes, n.size], axis=1)
        offer_keys = np.stack([o.code, o.modes, o.size], axis=1)
        need_prof, self.need_profile = np.unique(need_keys, axis=0, return_inverse=True)
        offer_prof, self.offer_profile = np.unique(offer_keys, axis=0, return_inverse=True)
        self.need_profile = self.need_profile.ravel()
        self.offer_profile = self.offer_profile.ravel()
        a, b = need_prof[:, None, :], offer_prof[None, :, :]
        self.static = (
            w["service_code"] * self.code_sim[a[..., 0], b[..., 0]]
            + w["mode"] * MODE_FIT[a[..., 1], b[..., 1]]
            + w["size"] * SIZE_FIT[a[..., 2], b[..., 2]]
            + w["rules"]  # upper bound: allowed
        ).astype(np.float32)
        half = np.float32(0.5) * w["market"]
        self.to_buyer = (half * o.markets.T).astype(np.float32)  # economy × offer
        self.from_provider = (half * n.markets).astype(np.float32)  # need × economy
        self.attract = None if self.market is None else w["attractiveness"] * self.market

    def add(self, item: Item, side: Literal["offer", "need"]) -> None:
        (self.offer_items if side == "offer" else self.need_items).append(item)
        self._rebuild()

    def base_values(self, ni: Ints, oi: Ints) -> dict[str, Floats]:
        """Factors that are lookups in small tables; ``ni``/``oi`` broadcast together."""
        n, o = self.needs, self.offers
        market = 0.5 * o.markets[oi, n.economy[ni]] + 0.5 * n.markets[ni, o.economy[oi]]
        values = {
            "service_code": self.code_sim[n.code[ni], o.code[oi]],
            "mode": MODE_FIT[n.modes[ni], o.modes[oi]],
            "market": market.astype(np.float32),
            "size": SIZE_FIT[n.size[ni], o.size[oi]],
        }
        if self.market is not None:
            values["attractiveness"] = self.market[n.economy[ni], o.code[oi]]
        return values

    def _total(self, values: Mapping[str, Floats], rules: float | Floats) -> Floats:
        total = self.w["rules"] * rules
        for name, value in values.items():
            total = total + self.w[name] * value
        return np.asarray(total, dtype=np.float32)

    def _unusable(self, ni: Ints, oi: Ints) -> NDArray[np.bool_]:
        """Same participant or organisation on both sides: never a match."""
        n, o = self.needs, self.offers
        same = (n.owner[ni] == o.owner[oi]) | (n.organisation[ni] == o.organisation[oi])
        return np.asarray(same, dtype=np.bool_)

    def block(self, rows: Ints, cols: Ints) -> Floats:
        """Upper-bound scores (rules counted as allowed) of needs ``rows`` × offers ``cols``."""
        n, o = self.needs, self.offers
        total = np.take(self.static[self.need_profile[rows]], self.offer_profile[cols], axis=1)
        total += self.to_buyer[n.economy[rows]][:, cols]
        total += np.take(self.from_provider[rows], o.economy[cols], axis=1)
        if self.attract is not None:
            total += np.take(self.attract[n.economy[rows]], o.code[cols], axis=1)
        text = (n.text[rows] @ o.text[cols].T).toarray()
        total += self.w["service_text"] * text
        whole = len(cols) == len(o.items)
        interest, blocked = self.interest[rows], self.blocked[rows]
        if not whole:
            interest, blocked = interest[:, cols], blocked[:, cols]
        total += self.w["mutual_interest"] * interest.toarray()
        ni, oi = rows[:, None], cols[None, :]
        total[(blocked.toarray() > 0) | self._unusable(ni, oi)] = -np.inf
        return total

    def pair_values(self, ni: Ints, oi: Ints) -> dict[str, Floats]:
        """Every factor but rules for the pairs (``ni[j]``, ``oi[j]``)."""
        values = self.base_values(ni, oi)
        product = self.needs.text[ni].multiply(self.offers.text[oi])
        values["service_text"] = np.asarray(product.sum(axis=1), dtype=np.float32).ravel()
        values["mutual_interest"] = np.asarray(self.interest[ni, oi], dtype=np.float32).ravel()
        return values

    def pair_totals(self, ni: Ints, oi: Ints, rules: Floats) -> Floats:
        total = self._total(self.pair_values(ni, oi), rules)
        blocked = np.asarray(self.blocked[ni, oi]).ravel() > 0
        total[blocked | self._unusable(ni, oi)] = -np.inf
        return total

    def item_row(self, item: Item, side: Literal["offer", "need"]) -> Floats:
        """Upper-bound scores of one (already added) item against every counterpart item."""
        own = self.offers if side == "offer" else self.needs
        row = next(r for r, i in enumerate(own.items) if i.id == item.id)
        if side == "need":
            scores = self.block(np.array([row]), np.arange(len(self.offers.items)))[0]
        else:
            scores = self.block(np.arange(len(self.needs.items)), np.array([row]))[:, 0]
        return np.asarray(scores, dtype=np.float32)

    def fresh_candidates(self, owner: int, side: Literal["offer", "need"], p: int) -> list[int]:
        """Top ``p`` counterparts of one participant by upper bound, computed on the spot."""
        own, other = (self.offers, self.needs) if side == "offer" else (self.needs, self.offers)
        rows = np.flatnonzero(own.owner == owner)
        if len(rows) == 0 or len(other.items) == 0:
            return []
        everyone = np.arange(len(other.items))
        block = self.block(everyone, rows).T if side == "offer" else self.block(rows, everyone)
        per_owner = np.maximum.reduceat(block.max(axis=0), other.starts)
        order = np.lexsort((other.owners, -per_owner))
        return [int(other.owners[i]) for i in order[:p] if np.isfinite(per_owner[i])]
