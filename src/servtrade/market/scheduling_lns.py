"""Large-neighbourhood search: free the requests of a few related participants, let CP-SAT
re-optimise them around the fixed rest of the schedule, keep the result only if it is better.

Neighbourhoods grow from an unscheduled request along the request graph (its participants,
then their partners), so each sub-problem is where the schedule can still gain.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from ortools.sat.python import cp_model

from servtrade.market.scheduling_exact import Context, build_model, run
from servtrade.market.scheduling_state import State

SUB_REQUESTS = 120  # free requests per sub-problem: CP-SAT closes these in well under 0.1 s
SUB_TIME = 0.2  # deterministic time units per sub-solve (about seconds, machine independent)
PATIENCE = 40  # stop after this many sub-problems in a row without a gain


def _seeds(st: State) -> list[int]:
    """Participants of unscheduled requests that have a usable window at all."""
    prob = st.prob
    out = {
        j
        for r, opt in enumerate(st.where)
        if opt is None and prob.options[r]
        for j in (prob.a[r], prob.b[r])
    }
    return sorted(out)


def neighbourhood(st: State, rng: random.Random, seeds: list[int]) -> tuple[set[int], list[int]]:
    """Participants grown from a random seed until their requests number ``SUB_REQUESTS``;
    when the seed's part of the request graph is exhausted, growth restarts elsewhere."""
    prob = st.prob
    people: set[int] = set()
    queue: list[int] = []
    free: set[int] = set()
    everyone = len(prob.parts)
    while len(free) < SUB_REQUESTS and len(people) < everyone:
        if not queue:
            j = rng.choice(seeds)
            if j in people:
                j = rng.choice([k for k in range(everyone) if k not in people])
            people.add(j)
            queue.append(j)
            free.update(prob.by_part[j])
        j = queue.pop(0)
        partners = [prob.b[r] if prob.a[r] == j else prob.a[r] for r in prob.by_part[j]]
        rng.shuffle(partners)
        for k in partners:
            if k not in people and len(free) < SUB_REQUESTS:
                people.add(k)
                queue.append(k)
                free.update(prob.by_part[k])
    touched = people | {j for r in free for j in (prob.a[r], prob.b[r])}
    return touched, sorted(free)


def lns_step(st: State, rng: random.Random, seeds: list[int]) -> tuple[bool, bool]:
    """One sub-problem: (did it improve, was it the whole problem solved to optimality)."""
    prob = st.prob
    touched, free = neighbourhood(st, rng, seeds)
    whole = len(free) == len(prob.reqs)
    scope = set(free)
    before = st.score(touched, scope)
    hint = {r: opt for r in free if (opt := st.where[r]) is not None}
    mark = st.mark()
    for r in free:
        st.remove(r)
    model = build_model(prob, free, Context(st.pgrid, st.load, st.count), hint=hint)
    _solver, status, placed = run(model, deterministic_time=SUB_TIME, workers=1, seed=0)
    closed = whole and status == cp_model.OPTIMAL
    for r, opt in sorted(placed.items()):
        if not st.fits(r, opt):  # pragma: no cover - the model only offers fitting options
            st.undo(mark)
            return False, False
        st.place(r, opt)
    if st.score(touched, scope) <= before:
        st.undo(mark)
        return False, closed
    return True, closed


def improve(st: State, rng: random.Random, rounds: int, stop: Callable[[], bool]) -> int:
    """Run up to ``rounds`` LNS steps (fewer if ``stop()``); return how many ran."""
    inst = st.prob.inst
    penalised = inst.gap_penalty or inst.move_penalty or inst.shortfall_penalty
    done = idle = 0
    for _ in range(rounds):
        seeds = _seeds(st)
        if not seeds:
            if not penalised:
                break
            seeds = list(range(len(st.prob.parts)))
        if stop():
            break
        gained, closed = lns_step(st, rng, seeds)
        done += 1
        idle = 0 if gained else idle + 1
        if closed or idle >= PATIENCE:
            break
    return done
