"""A mutable partial schedule with O(duration) place/remove and an undo journal.

The fast solver and incremental rescheduling explore moves on it and roll back the ones that
do not pay off.
"""

from __future__ import annotations

from servtrade.market.scheduling_compile import Option, Problem, day_runs, day_slots
from servtrade.market.scheduling_result import Placed, count_gaps, count_moves


class State:
    """Who meets when, where, and how many meetings each participant has."""

    def __init__(self, prob: Problem, placed: Placed | None = None) -> None:
        slots = prob.slots
        self.prob = prob
        self.occ = [[-1] * slots for _ in prob.parts]  # request held by participant j at t
        self.pgrid = [[-1] * slots for _ in prob.parts]  # pool of that request
        self.load = [[0] * slots for _ in prob.pools]
        self.pool_occ: list[list[set[int]]] = [[set() for _ in range(slots)] for _ in prob.pools]
        self.count = [0] * len(prob.parts)
        self.where: list[Option | None] = [None] * len(prob.reqs)
        self.journal: list[tuple[int, Option | None]] = []
        self.value = 0
        self.days = day_slots(prob.inst)
        self.runs = day_runs(prob.inst)
        self.zone_of = [pool.zone for pool in prob.pools]
        reach: list[set[int]] = [set() for _ in prob.parts]  # slots j could meet in at all
        for r, opts in enumerate(prob.options):
            for opt in opts:
                reach[prob.a[r]].update(prob.covers(r, opt))
                reach[prob.b[r]].update(prob.covers(r, opt))
        self.reach = [sorted(x) for x in reach]
        for r, opt in (placed or {}).items():
            self.place(r, opt)

    def free(self, j: int, window: range) -> bool:
        row = self.occ[j]
        return all(row[t] < 0 for t in window)

    def saturated(self, j: int) -> bool:
        """True if ``j`` is busy in every slot it could meet in: nothing of j can move."""
        row = self.occ[j]
        return all(row[t] >= 0 for t in self.reach[j])

    def room(self, pool: int, window: range) -> bool:
        cap, load = self.prob.pool_cap[pool], self.load[pool]
        return all(load[t] < cap[t] for t in window)

    def fits(self, r: int, opt: Option) -> bool:
        prob = self.prob
        a, b = prob.a[r], prob.b[r]
        if self.count[a] >= prob.cap[a] or self.count[b] >= prob.cap[b]:
            return False
        window = prob.covers(r, opt)
        return self.free(a, window) and self.free(b, window) and self.room(opt[1], window)

    def _set(self, r: int, opt: Option, holder: int, sign: int) -> None:
        prob = self.prob
        pool = opt[1] if sign > 0 else -1
        for t in prob.covers(r, opt):
            for j in (prob.a[r], prob.b[r]):
                self.occ[j][t] = holder
                self.pgrid[j][t] = pool
            self.load[opt[1]][t] += sign
            if sign > 0:
                self.pool_occ[opt[1]][t].add(r)
            else:
                self.pool_occ[opt[1]][t].discard(r)
        self.count[prob.a[r]] += sign
        self.count[prob.b[r]] += sign
        self.value += sign * prob.value[r]

    def place(self, r: int, opt: Option) -> None:
        self.journal.append((r, self.where[r]))
        self._set(r, opt, r, 1)
        self.where[r] = opt

    def remove(self, r: int) -> None:
        opt = self.where[r]
        if opt is None:
            return
        self.journal.append((r, opt))
        self._set(r, opt, -1, -1)
        self.where[r] = None

    def mark(self) -> int:
        return len(self.journal)

    def undo(self, mark: int) -> None:
        """Roll back every place/remove made since ``mark``."""
        while len(self.journal) > mark:
            r, before = self.journal.pop()
            now = self.where[r]
            if now is not None:
                self._set(r, now, -1, -1)
            if before is not None:
                self._set(r, before, r, 1)
            self.where[r] = before

    def placed(self) -> dict[int, Option]:
        return {r: opt for r, opt in enumerate(self.where) if opt is not None}

    def blockers(self, r: int, opt: Option) -> set[int]:
        """Meetings of either participant that overlap ``opt``."""
        prob = self.prob
        found: set[int] = set()
        for t in prob.covers(r, opt):
            for j in (prob.a[r], prob.b[r]):
                if self.occ[j][t] >= 0:
                    found.add(self.occ[j][t])
        return found

    def score(self, people: set[int], requests: set[int]) -> int:
        """Objective restricted to ``requests`` and the penalties of ``people``."""
        prob, inst = self.prob, self.prob.inst
        total = sum(prob.value[r] for r in requests if self.where[r] is not None)
        if inst.shortfall_penalty:
            short = sum(max(0, prob.minimum[j] - self.count[j]) for j in people)
            total -= inst.shortfall_penalty * short
        if inst.gap_penalty:
            total -= inst.gap_penalty * sum(count_gaps(self.pgrid[j], self.days) for j in people)
        if inst.move_penalty:
            moves = sum(count_moves(self.pgrid[j], self.runs, self.zone_of) for j in people)
            total -= inst.move_penalty * moves
        return total
