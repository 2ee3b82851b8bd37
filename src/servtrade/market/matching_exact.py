"""Exact scores of candidate (buyer, exhibitor) pairs, with the rules engine's verdicts.

Each participant pair is expanded to all its (need, offer) pairs; the best one carries the
pair. The rules callable is asked once per distinct (provider economy, buyer economy,
service, mode); a pair whose every common mode is prohibited is excluded (or flagged when
the inputs ask for flags), and one with some prohibited mode is always flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from servtrade.market.matching_features import Floats, Ints, Side
from servtrade.market.matching_scorer import Scorer, Verdict

#: value of the rules factor per outcome; best outcome first
RULE_VALUES = {
    "allowed": 1.0,
    "out_of_scope": 1.0,
    "not_covered": 0.75,
    "conditional": 0.5,
    "prohibited": 0.0,
}
OUTCOME_ORDER = tuple(RULE_VALUES)
_RANK = {o: n for n, o in enumerate(OUTCOME_ORDER)}


@dataclass(frozen=True)
class RulesFinding:
    """The rules' say on one (need, offer) pair over the modes it could use."""

    outcome: str
    value: float
    flagged: bool
    excluded: bool
    verdicts: tuple[tuple[int, Verdict], ...] = ()

    @property
    def note(self) -> str:
        return "; ".join(
            f"mode {m}: {v.outcome}" + (f" ({', '.join(v.citations)})" if v.citations else "")
            for m, v in self.verdicts
        )

    @property
    def citations(self) -> tuple[str, ...]:
        """Citations of every mode's verdict, most restrictive outcome first."""
        cited: list[str] = []
        ranked = sorted(self.verdicts, key=lambda mv: -OUTCOME_ORDER.index(mv[1].outcome))
        for _, verdict in ranked:
            cited += [c for c in verdict.citations if c not in cited]
        return tuple(cited)


NO_RULES = RulesFinding("", 1.0, False, False)


@dataclass
class Exact:
    """Per candidate pair: best (need, offer) rows and exact score; findings on demand."""

    scorer: Scorer
    score: Floats
    need_row: Ints
    offer_row: Ints

    def finding(self, i: int) -> RulesFinding:
        """The rules finding of candidate ``i``'s best (need, offer) pair."""
        if self.scorer.inputs.feasibility is None:
            return NO_RULES
        ni, oi = int(self.need_row[i]), int(self.offer_row[i])
        n, o = self.scorer.needs, self.scorer.offers
        common = int(n.modes[ni] & o.modes[oi]) or int(o.modes[oi])
        return _finding(
            self.scorer, int(o.economy[oi]), int(n.economy[ni]), int(o.service[oi]), common
        )


def _locate(side: Side, owners: Ints) -> tuple[Ints, Ints]:
    """First row and number of rows of each owner on a side (sorted by owner)."""
    index = np.searchsorted(side.owners, owners)
    ends = np.append(side.starts[1:], len(side.items))
    return side.starts[index], ends[index] - side.starts[index]


def _expand(scorer: Scorer, pairs: Sequence[tuple[int, int]]) -> tuple[Ints, Ints, Ints]:
    buyers = np.array([b for b, _ in pairs], dtype=np.int64)
    exhibitors = np.array([e for _, e in pairs], dtype=np.int64)
    n_start, n_len = _locate(scorer.needs, buyers)
    o_start, o_len = _locate(scorer.offers, exhibitors)
    count = n_len * o_len
    pair_id = np.repeat(np.arange(len(pairs)), count)
    within = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    ni = np.repeat(n_start, count) + within // np.repeat(o_len, count)
    oi = np.repeat(o_start, count) + within % np.repeat(o_len, count)
    return pair_id, ni, oi


def _verdict(scorer: Scorer, provider: int, buyer: int, service: int, mode: int) -> Verdict:
    feasibility = scorer.inputs.feasibility
    assert feasibility is not None
    key = (scorer.economies[provider], scorer.economies[buyer], scorer.services[service], mode)
    if key not in scorer.verdicts:
        scorer.verdicts[key] = feasibility(*key)
    return scorer.verdicts[key]


def _finding(scorer: Scorer, provider: int, buyer: int, service: int, mask: int) -> RulesFinding:
    modes = [m for m in range(1, 5) if mask & (1 << (m - 1))]
    return combine([(m, _verdict(scorer, provider, buyer, service, m)) for m in modes])


def combine(verdicts: Sequence[tuple[int, Verdict]]) -> RulesFinding:
    """One finding for the modes a pair could use: the best mode counts, any ban is flagged."""
    if not verdicts:
        return RulesFinding("not_covered", RULE_VALUES["not_covered"], False, False)
    best = min((v.outcome for _, v in verdicts), key=_RANK.__getitem__)
    banned = sum(1 for _, v in verdicts if v.outcome == "prohibited")
    return RulesFinding(
        outcome=best,
        value=RULE_VALUES[best],
        flagged=banned > 0,
        excluded=banned == len(verdicts),
        verdicts=tuple(verdicts),
    )


def _rules(scorer: Scorer, ni: Ints, oi: Ints) -> tuple[Floats, NDArray[np.bool_]]:
    """Rules value and exclusion of each (need, offer) pair, asking once per distinct case.

    Per mode the pair could use, the outcome's rank (best 0 .. prohibited 4); the pair's
    value is its best mode's, and it is excluded when every usable mode is prohibited.
    """
    n, o = scorer.needs, scorer.offers
    common = n.modes[ni] & o.modes[oi]
    mask = np.where(common > 0, common, o.modes[oi])
    provider, buyer, service = o.economy[oi], n.economy[ni], o.service[oi]
    width_e, width_s = len(scorer.economies), max(len(scorer.services), 1)
    rank = np.full((len(ni), 4), -1, dtype=np.int64)
    for mode in range(1, 5):
        rows = np.flatnonzero(mask & (1 << (mode - 1)))
        key = (provider[rows] * width_e + buyer[rows]) * width_s + service[rows]
        unique, inverse = np.unique(key, return_inverse=True)
        ranks = []
        for k in unique.tolist():
            rest, svc = divmod(k, width_s)
            p, b = divmod(rest, width_e)
            ranks.append(_RANK[_verdict(scorer, p, b, svc, mode).outcome])
        rank[rows, mode - 1] = np.array(ranks, dtype=np.int64)[inverse.ravel()]
    used = rank >= 0
    best = np.where(used, rank, len(OUTCOME_ORDER) - 1).min(axis=1)
    banned = (rank == _RANK["prohibited"]).sum(axis=1)
    values = np.array(list(RULE_VALUES.values()), dtype=np.float32)[best]
    return values, banned == used.sum(axis=1)


def exact_scores(scorer: Scorer, pairs: Sequence[tuple[int, int]]) -> Exact:
    """Exact scores of (buyer, exhibitor) pairs; -inf where no usable (need, offer) pair."""
    pair_id, ni, oi = _expand(scorer, pairs)
    if scorer.inputs.feasibility is not None and len(ni):
        rules, excluded = _rules(scorer, ni, oi)
    else:
        rules, excluded = np.ones(len(ni), dtype=np.float32), np.zeros(len(ni), dtype=np.bool_)
    total = scorer.pair_totals(ni, oi, rules) if len(ni) else np.zeros(0, np.float32)
    if scorer.inputs.exclude_prohibited:
        total[excluded] = -np.inf
    order = np.lexsort((oi, ni, -total, pair_id))
    first = order[np.flatnonzero(np.r_[True, np.diff(pair_id[order]) != 0])] if len(ni) else order
    chosen = pair_id[first]
    score = np.full(len(pairs), -np.inf, dtype=np.float32)
    need_row = np.zeros(len(pairs), dtype=np.int64)
    offer_row = np.zeros(len(pairs), dtype=np.int64)
    score[chosen], need_row[chosen], offer_row[chosen] = total[first], ni[first], oi[first]
    return Exact(scorer, score, need_row, offer_row)
