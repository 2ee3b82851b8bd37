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


@dataclass(frozen=True)
class RulesFinding:
    outcome: str
    value: float
    flagged: bool
    excluded: bool
    note: str
    citations: tuple[str, ...]


NO_RULES = RulesFinding("", 1.0, False, False, "", ())


@dataclass
class Exact:
    """Per candidate pair: best (need, offer) rows, exact score and rules finding."""

    score: Floats
    need_row: Ints
    offer_row: Ints
    findings: list[RulesFinding]


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


def _finding(scorer: Scorer, provider: int, buyer: int, service: int, mask: int) -> RulesFinding:
    feasibility = scorer.inputs.feasibility
    assert feasibility is not None
    economies = scorer.economies
    ebops = scorer.services[service]
    verdicts = []
    for mode in (m for m in range(1, 5) if mask & (1 << (m - 1))):
        key = (economies[provider], economies[buyer], ebops, mode)
        if key not in scorer.verdicts:
            scorer.verdicts[key] = feasibility(*key)
        verdicts.append((mode, scorer.verdicts[key]))
    return combine(verdicts)


def combine(verdicts: Sequence[tuple[int, Verdict]]) -> RulesFinding:
    """One finding for the modes a pair could use: the best mode counts, any ban is flagged."""
    if not verdicts:
        return RulesFinding("not_covered", RULE_VALUES["not_covered"], False, False, "", ())
    best = min((v.outcome for _, v in verdicts), key=OUTCOME_ORDER.index)
    banned = [m for m, v in verdicts if v.outcome == "prohibited"]
    cited: list[str] = []
    for _, verdict in sorted(verdicts, key=lambda mv: OUTCOME_ORDER.index(mv[1].outcome)):
        cited += [c for c in verdict.citations if c not in cited]
    note = "; ".join(
        f"mode {m}: {v.outcome}" + (f" ({', '.join(v.citations)})" if v.citations else "")
        for m, v in verdicts
    )
    return RulesFinding(
        outcome=best,
        value=RULE_VALUES[best],
        flagged=bool(banned),
        excluded=len(banned) == len(verdicts),
        note=note,
        citations=tuple(cited),
    )


def _rules(scorer: Scorer, ni: Ints, oi: Ints) -> tuple[Ints, list[RulesFinding]]:
    """Index of the rules finding of each (need, offer) pair, asking once per distinct case."""
    n, o = scorer.needs, scorer.offers
    common = n.modes[ni] & o.modes[oi]
    mask = np.where(common > 0, common, o.modes[oi])
    width_e, width_c = len(scorer.economies), max(len(scorer.services), 1)
    key = ((o.economy[oi] * width_e + n.economy[ni]) * width_c + o.service[oi]) * 16 + mask
    unique, inverse = np.unique(key, return_inverse=True)
    found = []
    for k in unique.tolist():
        rest, m = divmod(k, 16)
        rest, code = divmod(rest, width_c)
        provider, buyer = divmod(rest, width_e)
        found.append(_finding(scorer, provider, buyer, code, m))
    return inverse.ravel().astype(np.int64), found


def exact_scores(scorer: Scorer, pairs: Sequence[tuple[int, int]]) -> Exact:
    """Exact scores of (buyer, exhibitor) pairs; -inf where no usable (need, offer) pair."""
    pair_id, ni, oi = _expand(scorer, pairs)
    if scorer.inputs.feasibility is not None and len(ni):
        which, found = _rules(scorer, ni, oi)
        rules = np.array([f.value for f in found], dtype=np.float32)[which]
        excluded = np.array([f.excluded for f in found], dtype=np.bool_)[which]
    else:
        which, found = np.zeros(len(ni), dtype=np.int64), [NO_RULES]
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
    finding_of = np.zeros(len(pairs), dtype=np.int64)
    finding_of[chosen] = which[first]
    return Exact(score, need_row, offer_row, [found[i] for i in finding_of.tolist()])
