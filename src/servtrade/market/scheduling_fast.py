"""The scalable solver: greedy construction, ejection chains, replacement, then CP-SAT LNS.

1. Construction: requests by value (ties broken by a seeded shuffle), each at the window
   where the fewest still-pending requests of its two participants compete.
2. Ejection chains: an unscheduled request takes a window by moving the (at most two)
   meetings in its way elsewhere, recursively to a small depth (Kempe-style swaps).
3. Replacement: when a request is worth more than what blocks it (overlaps, a cap, a full
   pool), the blockers go and are re-inserted where possible.
4. Large-neighbourhood search (:mod:`scheduling_lns`): CP-SAT re-optimises the requests of a
   few related participants with the rest fixed, accepting only improvements.

Deterministic for a seed (CP-SAT sub-solves use one worker and a deterministic time limit);
only the optional wall-clock ``time_limit`` can cut the search short.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable

from servtrade.market.scheduling_compile import Option, Problem
from servtrade.market.scheduling_lns import improve
from servtrade.market.scheduling_model import Schedule, Stats
from servtrade.market.scheduling_result import make_schedule
from servtrade.market.scheduling_state import State


class Clock:
    def __init__(self, seconds: float | None) -> None:
        self.began = time.perf_counter()
        self.seconds = seconds

    def elapsed(self) -> float:
        return time.perf_counter() - self.began

    def over(self, share: float = 1.0) -> bool:
        return self.seconds is not None and self.elapsed() > self.seconds * share


def _order(prob: Problem, rng: random.Random) -> list[int]:
    order = list(range(len(prob.reqs)))
    rng.shuffle(order)
    order.sort(key=lambda r: -prob.value[r])
    return order


def _demand(prob: Problem) -> list[list[int]]:
    """``demand[j][t]``: requests of participant j that could still use slot t."""
    demand = [[0] * prob.slots for _ in prob.parts]
    for r, opts in enumerate(prob.options):
        for t in {t for opt in opts for t in prob.covers(r, opt)}:
            demand[prob.a[r]][t] += 1
            demand[prob.b[r]][t] += 1
    return demand


def _release(prob: Problem, demand: list[list[int]], r: int) -> None:
    for t in {t for opt in prob.options[r] for t in prob.covers(r, opt)}:
        demand[prob.a[r]][t] -= 1
        demand[prob.b[r]][t] -= 1


def construct(st: State, order: Iterable[int]) -> None:
    """Greedy: each request at its least contested window that still fits."""
    prob = st.prob
    demand = _demand(prob)
    for r in order:
        _release(prob, demand, r)
        best: Option | None = None
        best_key = (0, 0)
        a, b = prob.a[r], prob.b[r]
        for opt in prob.options[r]:
            if not st.fits(r, opt):
                continue
            window = prob.covers(r, opt)
            key = (sum(demand[a][t] + demand[b][t] for t in window), st.load[opt[1]][opt[0]])
            if best is None or key < best_key:
                best, best_key = opt, key
        if best is not None:
            st.place(r, best)


def place_direct(st: State, r: int) -> bool:
    for opt in st.prob.options[r]:
        if st.fits(r, opt):
            st.place(r, opt)
            return True
    return False


def _pool_blocker(st: State, r: int, opt: Option, gone: set[int]) -> int | None:
    """A meeting to evict so the pool has room over ``opt`` (None if it has room anyway)."""
    prob = st.prob
    for t in prob.covers(r, opt):
        others = st.pool_occ[opt[1]][t] - gone
        if len(others) >= prob.pool_cap[opt[1]][t]:
            return min(others, key=lambda q: (prob.value[q], q))
    return None


def eject_insert(st: State, r: int, depth: int, frozen: frozenset[int]) -> bool:
    """Place ``r``, moving at most two meetings per level out of its way (depth-limited)."""
    if place_direct(st, r):
        return True
    prob = st.prob
    if depth == 0 or st.count[prob.a[r]] >= prob.cap[prob.a[r]]:
        return False
    if st.count[prob.b[r]] >= prob.cap[prob.b[r]]:
        return False
    if st.saturated(prob.a[r]) or st.saturated(prob.b[r]):
        return False
    for opt in prob.options[r]:
        moved = st.blockers(r, opt)
        extra = _pool_blocker(st, r, opt, moved)
        if extra is not None:
            moved.add(extra)
        if not moved or len(moved) > 2 or moved & frozen:
            continue
        mark = st.mark()
        for q in moved:
            st.remove(q)
        if st.fits(r, opt):
            st.place(r, opt)
            if all(eject_insert(st, q, depth - 1, frozen | {r}) for q in sorted(moved)):
                return True
        st.undo(mark)
    return False


def _cheapest(st: State, j: int) -> list[int]:
    """Placed meetings of ``j``, cheapest first (cap evictions take from the front)."""
    prob = st.prob
    mine = [q for q in prob.by_part[j] if st.where[q] is not None]
    return sorted(mine, key=lambda q: (prob.value[q], q))


def _evictions(st: State, r: int, opt: Option, cheapest: dict[int, list[int]]) -> set[int]:
    """Meetings that must go for ``r`` to take ``opt``: overlaps, cap, full pool."""
    prob = st.prob
    moved = st.blockers(r, opt)
    for j in (prob.a[r], prob.b[r]):
        own = sum(1 for q in moved if j in (prob.a[q], prob.b[q]))
        if st.count[j] - own >= prob.cap[j]:
            extra = next((q for q in cheapest[j] if q not in moved), None)
            if extra is not None:
                moved.add(extra)
    q = _pool_blocker(st, r, opt, moved)
    if q is not None:
        moved.add(q)
    return moved


def replace(st: State, r: int) -> bool:
    """Schedule ``r`` in place of cheaper meetings if that raises the objective."""
    prob = st.prob
    people = {prob.a[r], prob.b[r]}
    best: tuple[int, Option, set[int]] | None = None
    cheapest = {j: _cheapest(st, j) for j in people}
    for opt in prob.options[r]:
        moved = _evictions(st, r, opt, cheapest)
        loss = sum(prob.value[q] for q in moved)
        if loss < prob.value[r] and (best is None or loss < best[0]):
            best = (loss, opt, moved)
    if best is None:
        return False
    _loss, opt, moved = best
    touched = people | {j for q in moved for j in (prob.a[q], prob.b[q])}
    scope = moved | {r}
    mark, before = st.mark(), st.score(touched, scope)
    for q in moved:
        st.remove(q)
    if not st.fits(r, opt):
        st.undo(mark)
        return False
    st.place(r, opt)
    for q in sorted(moved, key=lambda q: -prob.value[q]):
        eject_insert(st, q, 1, frozenset({r}))
    if st.score(touched, scope) <= before:
        st.undo(mark)
        return False
    return True


def repair_pass(st: State, clock: Clock, depth: int) -> int:
    """Try every unscheduled request (by value): ejection chains of growing depth (cheap
    ones for everybody first), then replacement of cheaper meetings."""
    prob = st.prob
    gained = 0
    order = sorted(range(len(prob.reqs)), key=lambda r: (-prob.value[r], r))
    for level in range(1, depth + 2):
        for r in order:
            if clock.over(0.6):
                return gained
            if st.where[r] is not None or not prob.options[r]:
                continue
            done = replace(st, r) if level > depth else eject_insert(st, r, level, frozenset())
            gained += int(done)
    return gained


def solve_fast(prob: Problem, *, seed: int = 0, time_limit: float | None = 5.0,
               depth: int = 2, lns_rounds: int = 200) -> Schedule:  # fmt: skip
    """Schedule ``prob`` quickly; ``lns_rounds`` bounds the CP-SAT improvement rounds."""
    clock = Clock(time_limit)
    rng = random.Random(seed)  # noqa: S311 - seeded search, not cryptography
    st = State(prob)
    construct(st, _order(prob, rng))
    built, built_at = st.value, clock.elapsed()
    inserted = repair_pass(st, clock, depth)
    repaired, repaired_at = st.value, clock.elapsed()
    rounds = improve(st, rng, lns_rounds, lambda: clock.over(0.95))
    stats = Stats(
        solver="fast",
        status="feasible",
        seconds=round(clock.elapsed(), 3),
        counters={
            "construction_value": built,
            "construction_seconds": round(built_at, 3),
            "repair_inserted": inserted,
            "repair_value": repaired,
            "repair_seconds": round(repaired_at, 3),
            "lns_rounds": rounds,
            "lns_value": st.value,
            "seed": seed,
        },
    )
    return make_schedule(prob, st.placed(), stats)
