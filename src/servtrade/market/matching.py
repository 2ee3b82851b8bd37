"""Explained matchmaking between exhibitors' offers and buyers' needs: a pure function over values.

A pair's score is the sum of named, weighted factors, each a value in [0, 1]:

==================  ==================================================================
service_code        closeness of the two EBOPS 2010 items in the tree (1 = same item)
service_text        TF-IDF cosine similarity of the two descriptions
mode                share of the need's modes of supply (GATS 1-4) the offer covers
market              buyer's economy among the offer's target markets, and the
                    provider's economy among the need's accepted origins (half each)
mutual_interest     meeting requests between the two (half for each direction)
size                closeness of the need's size and the offer's size
rules               the rules engine's verdict for the service and modes (allowed 1,
                    not covered 0.75, conditional 0.5, prohibited 0: excluded or flagged)
attractiveness      size and growth of that service in the buyer's economy (observatory)
==================  ==================================================================

Rules and statistics come in as callables built by the service; when one is missing its
weight is dropped and the others are rescaled, and the result says so. Scoring is
vectorised: candidate pools by blocks of needs against all offers with an upper bound
for the rules factor, then exact scores (with verdicts) for the candidates only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from servtrade.market.matching_exact import Exact, exact_scores
from servtrade.market.matching_explain import Factor, explain_pair
from servtrade.market.matching_features import Floats, Ints, Item, Side
from servtrade.market.matching_scorer import (
    FACTORS,
    Feasibility,
    MatchInputs,
    Scorer,
    Verdict,
    effective_weights,
)
from servtrade.market.matching_select import allocate, cap_for, merge_pools, top_per_row

__all__ = [
    "FACTORS",
    "Factor",
    "Feasibility",
    "Item",
    "MatchInputs",
    "Matcher",
    "Recommendation",
    "Verdict",
    "effective_weights",
]

BLOCK_ROWS = 512
Direction = Literal["buyer", "exhibitor"]


@dataclass(frozen=True)
class Recommendation:
    """A counterpart for ``participant``; the factors' contributions add up to ``score``."""

    participant: int
    counterpart: int
    counterpart_role: Direction
    score: float
    factors: tuple[Factor, ...]
    offer: int
    need: int
    flagged: bool
    verdict: str | None
    citations: tuple[str, ...]


@dataclass
class Pools:
    """Candidate counterparts per participant (upper-bound scores), one side at a time."""

    scores: Floats
    ids: Ints
    row: dict[int, int] = field(default_factory=dict)

    @classmethod
    def empty(cls, owners: Sequence[int], p: int) -> Pools:
        return cls(
            np.full((len(owners), p), -np.inf, dtype=np.float32),
            np.full((len(owners), p), -1, dtype=np.int64),
            {int(o): n for n, o in enumerate(owners)},
        )

    def ensure(self, owner: int) -> int:
        if owner not in self.row:
            self.row[owner] = len(self.row)
            p = self.scores.shape[1]
            self.scores = np.vstack([self.scores, np.full((1, p), -np.inf, dtype=np.float32)])
            self.ids = np.vstack([self.ids, np.full((1, p), -1, dtype=np.int64)])
        return self.row[owner]

    def candidates(self, owner: int) -> list[int]:
        row = self.row.get(owner)
        if row is None:
            return []
        return [int(i) for i in self.ids[row] if i >= 0]


class Matcher:
    """Scores, candidate pools and recommendations for one fair's offers and needs."""

    def __init__(self, inputs: MatchInputs, pool: int = 30) -> None:
        self.scorer = Scorer(inputs)
        self.p = pool
        self.buyer_pools: Pools | None = None
        self.exhibitor_pools: Pools | None = None

    @property
    def weights(self) -> dict[str, float]:
        return dict(self.scorer.weights)

    @property
    def notes(self) -> list[str]:
        return list(self.scorer.notes)

    # -- candidate pools -------------------------------------------------------------------

    def build_pools(self) -> None:
        """Top candidates for every buyer and every exhibitor, block by block."""
        needs, offers = self.scorer.needs, self.scorer.offers
        self.buyer_pools = Pools.empty([int(o) for o in needs.owners], self.p)
        self.exhibitor_pools = Pools.empty([int(o) for o in offers.owners], self.p)
        all_offers = np.arange(len(offers.items))
        for first, last in _owner_blocks(needs, BLOCK_ROWS):
            rows = np.arange(needs.starts[first], _end(needs, last))
            owner_scores = self._owner_block(rows, all_offers, first, last)
            top_s, top_i = top_per_row(owner_scores, offers.owners, self.p)
            self.buyer_pools.scores[first:last] = top_s
            self.buyer_pools.ids[first:last] = top_i
            col_s, col_i = top_per_row(owner_scores.T, needs.owners[first:last], self.p)
            pools = self.exhibitor_pools
            pools.scores, pools.ids = merge_pools(pools.scores, pools.ids, col_s, col_i, self.p)

    def _owner_block(self, rows: Ints, cols: Ints, first: int, last: int) -> Floats:
        """Upper-bound scores of a block of buyers (rows of needs) × every exhibitor."""
        block = self.scorer.block(rows, cols)
        by_exhibitor = np.maximum.reduceat(block, self.scorer.offers.starts, axis=1)
        row_starts = self.scorer.needs.starts[first:last] - self.scorer.needs.starts[first]
        return np.maximum.reduceat(by_exhibitor, row_starts, axis=0).astype(np.float32)

    def add(self, item: Item, side: Literal["offer", "need"]) -> int:
        """Add an offer or need; re-score only the pairs it is part of. Returns that count."""
        if self.buyer_pools is None or self.exhibitor_pools is None:
            self.build_pools()
        assert self.buyer_pools is not None and self.exhibitor_pools is not None
        self.scorer.add(item, side)
        own, other = (
            (self.exhibitor_pools, self.buyer_pools)
            if side == "offer"
            else (self.buyer_pools, self.exhibitor_pools)
        )
        counterpart_side = self.scorer.needs if side == "offer" else self.scorer.offers
        scores = self.scorer.item_row(item, side)  # one score per counterpart item
        per_owner = np.maximum.reduceat(scores, counterpart_side.starts).astype(np.float32)
        row = own.ensure(item.owner)
        new_s, new_i = top_per_row(per_owner[None, :], counterpart_side.owners, self.p)
        own.scores[row : row + 1], own.ids[row : row + 1] = merge_pools(
            own.scores[row : row + 1], own.ids[row : row + 1], new_s, new_i, self.p
        )
        for owner in counterpart_side.owners:
            other.ensure(int(owner))
        rows = np.array([other.row[int(o)] for o in counterpart_side.owners], dtype=np.int64)
        col_s = per_owner[:, None]
        col_i = np.full((len(rows), 1), item.owner, dtype=np.int64)
        merged_s, merged_i = merge_pools(other.scores[rows], other.ids[rows], col_s, col_i, self.p)
        other.scores[rows], other.ids[rows] = merged_s, merged_i
        return len(scores)

    # -- recommendations -------------------------------------------------------------------

    def candidate_pairs(self, participant: int) -> tuple[list[tuple[int, int]], Direction | None]:
        """(buyer, exhibitor) pairs to score exactly for one participant, from pools or fresh."""
        pairs: list[tuple[int, int]] = []
        roles: list[Direction] = []
        if participant in set(self.scorer.needs.owners.tolist()):
            roles.append("exhibitor")
            exhibitors = (
                self.buyer_pools.candidates(participant)
                if self.buyer_pools is not None
                else self.scorer.fresh_candidates(participant, "need", self.p)
            )
            pairs += [(participant, e) for e in exhibitors]
        if participant in set(self.scorer.offers.owners.tolist()):
            roles.append("buyer")
            buyers = (
                self.exhibitor_pools.candidates(participant)
                if self.exhibitor_pools is not None
                else self.scorer.fresh_candidates(participant, "offer", self.p)
            )
            pairs += [(b, participant) for b in buyers]
        return pairs, (roles[0] if len(roles) == 1 else None)

    def counterparts(self, participant: int) -> list[int]:
        """Every counterpart :meth:`recommend` may choose from for one participant."""
        pairs, _ = self.candidate_pairs(participant)
        return sorted({_other(p, participant) for p in pairs})

    def recommend(
        self, participant: int, k: int = 10, keep: Callable[[int], bool] | None = None
    ) -> list[Recommendation]:
        """The ``k`` best counterparts of one participant (among those ``keep`` accepts),
        each explained; only the ones returned are explained."""
        pairs, _ = self.candidate_pairs(participant)
        if not pairs:
            return []
        exact = exact_scores(self.scorer, pairs)
        order = sorted(
            (
                i
                for i in range(len(pairs))
                if np.isfinite(exact.score[i])
                and (keep is None or keep(_other(pairs[i], participant)))
            ),
            key=lambda i: (-float(exact.score[i]), _other(pairs[i], participant)),
        )
        return [self._explain(participant, pairs[i], exact, i) for i in order[:k]]

    def match_all(self, k: int = 10, slack: float | None = 3.0) -> MatchResult:
        """Everyone's top ``k`` with caps: no counterpart in more than ``slack`` × its share.

        ``slack=None`` turns the caps off (plain top ``k``, e.g. to evaluate ranking quality).
        """
        if self.buyer_pools is None or self.exhibitor_pools is None:
            self.build_pools()
        assert self.buyer_pools is not None and self.exhibitor_pools is not None
        pairs = _pool_pairs(self.buyer_pools, self.exhibitor_pools)
        exact = exact_scores(self.scorer, pairs)
        ranked = _ranked(pairs, exact)
        n_buyers, n_exhibitors = len(self.buyer_pools.row), len(self.exhibitor_pools.row)
        for_buyers = {b: ranked.get(("b", b), []) for b in self.buyer_pools.row}
        for_exhibitors = {e: ranked.get(("e", e), []) for e in self.exhibitor_pools.row}
        cap_b = None if slack is None else cap_for(n_buyers, n_exhibitors, k, slack)
        cap_e = None if slack is None else cap_for(n_exhibitors, n_buyers, k, slack)
        chosen_b = allocate(for_buyers, k, cap_b)
        chosen_e = allocate(for_exhibitors, k, cap_e)
        return MatchResult(self, pairs, exact, chosen_b, chosen_e)

    def _explain(
        self, participant: int, pair: tuple[int, int], exact: Exact, i: int
    ) -> Recommendation:
        buyer, exhibitor = pair
        counterpart, role = (exhibitor, "exhibitor") if participant == buyer else (buyer, "buyer")
        need_row, offer_row = int(exact.need_row[i]), int(exact.offer_row[i])
        finding = exact.finding(i)
        factors, score = explain_pair(self.scorer, need_row, offer_row, finding)
        return Recommendation(
            participant=participant,
            counterpart=counterpart,
            counterpart_role=role,  # type: ignore[arg-type]
            score=score,
            factors=factors,
            offer=self.scorer.offers.items[offer_row].id,
            need=self.scorer.needs.items[need_row].id,
            flagged=finding.flagged,
            verdict=finding.outcome or None,
            citations=finding.citations,
        )


@dataclass
class MatchResult:
    """Everyone's recommendations; explanations are built when asked for."""

    matcher: Matcher
    pairs: list[tuple[int, int]]
    exact: Exact
    for_buyers: dict[int, list[int]]
    for_exhibitors: dict[int, list[int]]

    def __post_init__(self) -> None:
        self._index = {pair: i for i, pair in enumerate(self.pairs)}

    def counterparts(self, participant: int) -> list[int]:
        return self.for_buyers.get(participant, []) + self.for_exhibitors.get(participant, [])

    def recommendations(self, participant: int) -> list[Recommendation]:
        found = []
        for e in self.for_buyers.get(participant, []):
            found.append((participant, e))
        for b in self.for_exhibitors.get(participant, []):
            found.append((b, participant))
        return [
            self.matcher._explain(participant, pair, self.exact, self._index[pair])
            for pair in found
        ]

    def loads(self) -> dict[int, int]:
        """How many buyers' lists each exhibitor appears in."""
        counts: dict[int, int] = {}
        for chosen in self.for_buyers.values():
            for e in chosen:
                counts[e] = counts.get(e, 0) + 1
        return counts


def _other(pair: tuple[int, int], participant: int) -> int:
    return pair[1] if pair[0] == participant else pair[0]


def _end(side: Side, owner_index: int) -> int:
    return int(side.starts[owner_index]) if owner_index < len(side.starts) else len(side.items)


def _owner_blocks(side: Side, rows: int) -> list[tuple[int, int]]:
    """Ranges of owners whose items fill about ``rows`` rows (an owner is never split)."""
    blocks, first = [], 0
    while first < len(side.owners):
        limit = side.starts[first] + rows
        last = int(np.searchsorted(side.starts, limit, side="right"))
        last = max(last, first + 1)
        blocks.append((first, last))
        first = last
    return blocks


def _pool_pairs(buyers: Pools, exhibitors: Pools) -> list[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for b, row in buyers.row.items():
        found.update((b, int(e)) for e in buyers.ids[row] if e >= 0)
    for e, row in exhibitors.row.items():
        found.update((int(b), e) for b in exhibitors.ids[row] if b >= 0)
    return sorted(found)


def _ranked(pairs: Sequence[tuple[int, int]], exact: Exact) -> Mapping[tuple[str, int], list[int]]:
    """Per buyer and per exhibitor: counterparts by exact score (best first), excluded dropped."""
    lists: dict[tuple[str, int], list[int]] = {}
    if not pairs:
        return lists
    arr = np.array(pairs, dtype=np.int64)
    ok = np.isfinite(exact.score)
    b, e, s = arr[ok, 0], arr[ok, 1], exact.score[ok]
    for tag, own, other in (("b", b, e), ("e", e, b)):
        order = np.lexsort((other, -s, own))
        own_sorted, other_sorted = own[order], other[order]
        cuts = np.flatnonzero(np.diff(own_sorted)) + 1
        for chunk_own, chunk in zip(
            np.split(own_sorted, cuts), np.split(other_sorted, cuts), strict=True
        ):
            if len(chunk):
                lists[(tag, int(chunk_own[0]))] = chunk.tolist()
    return lists
