"""Exact scheduling with OR-Tools CP-SAT: maximise the objective, report the proven bound.

The model is compact: one boolean per (request, start slot, pool), never one per table;
a pool's capacity per slot is a cardinality constraint over the requests that may use it.
The same builder solves sub-problems for large-neighbourhood search: requests not in ``free``
keep their ``fixed`` placement and only reduce availability, caps and capacity.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from ortools.sat.python import cp_model

from servtrade.market.scheduling_compile import Option, Problem, day_runs, day_slots
from servtrade.market.scheduling_model import Schedule, Stats
from servtrade.market.scheduling_result import Placed, busy_grid, make_schedule, pool_load

Expr = cp_model.LinearExpr


def _sum(terms: Sequence[cp_model.LinearExprT]) -> cp_model.LinearExpr:
    """Typed sum of variables, expressions and constants."""
    return cp_model.LinearExpr.sum(list(terms))


@dataclass
class Model:
    """A built CP-SAT model with its decision variables per (request, option)."""

    cp: cp_model.CpModel
    x: dict[tuple[int, Option], cp_model.IntVar] = field(default_factory=dict)
    by_slot: dict[tuple[int, int], list[cp_model.IntVar]] = field(default_factory=dict)
    by_zone: dict[tuple[int, int, str], list[cp_model.IntVar]] = field(default_factory=dict)
    penalties: list[tuple[int, Expr]] = field(default_factory=list)


def _usable(prob: Problem, r: int, opt: Option, grid: list[list[int]],
            load: list[list[int]]) -> bool:  # fmt: skip
    pool = opt[1]
    return all(
        grid[prob.a[r]][t] < 0 and grid[prob.b[r]][t] < 0 and load[pool][t] < prob.pool_cap[pool][t]
        for t in prob.covers(r, opt)
    )


@dataclass(frozen=True)
class Context:
    """What the fixed part of a schedule leaves: pool per participant and slot (-1 = free),
    meetings per pool and slot, meetings per participant."""

    grid: list[list[int]]
    load: list[list[int]]
    counts: list[int]


def empty_context(prob: Problem) -> Context:
    return Context(busy_grid(prob, {}), pool_load(prob, {}), [0] * len(prob.parts))


def _add_variables(prob: Problem, m: Model, free: Sequence[int], ctx: Context) -> None:
    grid, load = ctx.grid, ctx.load
    by_pool: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    zone_of = [pool.zone for pool in prob.pools]
    for r in free:
        row = []
        for opt in prob.options[r]:
            if not _usable(prob, r, opt, grid, load):
                continue
            var = m.cp.new_bool_var(f"x{r}_{opt[0]}_{opt[1]}")
            m.x[(r, opt)] = var
            row.append(var)
            for t in prob.covers(r, opt):
                by_pool[(opt[1], t)].append(var)
                for j in (prob.a[r], prob.b[r]):
                    m.by_slot.setdefault((j, t), []).append(var)
                    m.by_zone.setdefault((j, t, zone_of[opt[1]]), []).append(var)
        if len(row) > 1:
            m.cp.add_at_most_one(row)
    for vars_ in m.by_slot.values():
        if len(vars_) > 1:
            m.cp.add_at_most_one(vars_)
    for (p, t), vars_ in by_pool.items():
        room = prob.pool_cap[p][t] - load[p][t]
        if len(vars_) > room:
            m.cp.add(_sum(vars_) <= room)


def _add_caps(prob: Problem, m: Model, ctx: Context) -> None:
    """Per-participant maximum (hard) and minimum (soft: shortfall is penalised)."""
    per: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (r, _opt), var in m.x.items():
        per[prob.a[r]].append(var)
        per[prob.b[r]].append(var)
    counts = ctx.counts
    penalty = prob.inst.shortfall_penalty
    for j, vars_ in per.items():
        room = prob.cap[j] - counts[j]
        if len(vars_) > room:
            m.cp.add(_sum(vars_) <= room)
        missing = prob.minimum[j] - counts[j]
        if penalty and missing > 0:
            short = m.cp.new_int_var(0, missing, f"short{j}")
            m.cp.add(short >= missing - _sum(vars_))
            m.penalties.append((penalty, short))


def _busy(m: Model, fixed_row: list[int], j: int, t: int) -> Expr:
    return _sum([1 if fixed_row[t] >= 0 else 0, *m.by_slot.get((j, t), [])])


def _add_gaps(prob: Problem, m: Model, ctx: Context, touched: set[int]) -> None:
    """Gaps of a day = blocks of busy slots - 1 (when any); a block starts at a 0 -> 1 step."""
    grid = ctx.grid
    for j in touched:
        for d, slots in enumerate(day_slots(prob.inst)):
            busy = [_busy(m, grid[j], j, t) for t in slots]
            starts = []
            for i, t in enumerate(slots):
                start = m.cp.new_bool_var(f"blk{j}_{t}")
                m.cp.add(start >= busy[i] - (busy[i - 1] if i else 0))
                starts.append(start)
            any_ = m.cp.new_bool_var(f"any{j}_{d}")
            m.cp.add(any_ <= _sum(busy))
            m.penalties.append((prob.inst.gap_penalty, _sum(starts) - any_))


def _add_moves(prob: Problem, m: Model, ctx: Context, touched: set[int]) -> None:
    """A move: busy at t in zone z and at the next slot of the run in another zone."""
    grid = ctx.grid
    zones = sorted({pool.zone for pool in prob.pools})
    zone_of = [pool.zone for pool in prob.pools]

    def in_zone(j: int, t: int, z: str) -> Expr:
        fixed_here = 1 if grid[j][t] >= 0 and zone_of[grid[j][t]] == z else 0
        return _sum([fixed_here, *m.by_zone.get((j, t, z), [])])

    for j in touched:
        for run in day_runs(prob.inst):
            for t, u in pairwise(run):
                move = m.cp.new_bool_var(f"mv{j}_{t}")
                for z in zones:
                    other = _busy(m, grid[j], j, u) - in_zone(j, u, z)
                    m.cp.add(move >= in_zone(j, t, z) + other - 1)
                m.penalties.append((prob.inst.move_penalty, move))


def build_model(prob: Problem, free: Sequence[int], ctx: Context | None = None,
                hint: Placed | None = None) -> Model:  # fmt: skip
    """CP-SAT model over the requests ``free`` in the room ``ctx`` leaves (default: all).

    Without a context the model's objective is the schedule's objective; with one it
    covers only the participants the free requests touch."""
    full = ctx is None
    ctx = ctx or empty_context(prob)
    m = Model(cp_model.CpModel())
    _add_variables(prob, m, free, ctx)
    _add_caps(prob, m, ctx)
    touched = {prob.a[r] for r, _ in m.x} | {prob.b[r] for r, _ in m.x}
    if prob.inst.gap_penalty:
        _add_gaps(prob, m, ctx, touched)
    if prob.inst.move_penalty and len({pool.zone for pool in prob.pools}) > 1:
        _add_moves(prob, m, ctx, touched)
    gain = cp_model.LinearExpr.weighted_sum(list(m.x.values()), [prob.value[r] for r, _opt in m.x])
    const = _untouched_shortfall(prob, touched) if full else 0
    penalty = _sum([w * e for w, e in m.penalties])
    m.cp.maximize(gain - penalty - const)
    for (r, opt), var in m.x.items():
        if hint is not None:
            m.cp.add_hint(var, 1 if hint.get(r) == opt else 0)
    return m


def _untouched_shortfall(prob: Problem, touched: set[int]) -> int:
    """Penalty of people the model has no variable for (no usable request): a constant."""
    short = sum(m for j, m in enumerate(prob.minimum) if j not in touched and m > 0)
    return prob.inst.shortfall_penalty * short


def run(
    m: Model,
    *,
    time_limit: float | None = None,
    deterministic_time: float | None = None,
    workers: int = 2,
    seed: int = 0,
) -> tuple[cp_model.CpSolver, Any, dict[int, Option]]:
    """Solve ``m``; return the solver, its status and the placements it chose."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    # CP-SAT's seed is a signed 32-bit field; any whole number is a valid seed for our callers
    solver.parameters.random_seed = seed % 2**31
    if time_limit is not None:
        solver.parameters.max_time_in_seconds = time_limit
    if deterministic_time is not None:
        solver.parameters.max_deterministic_time = deterministic_time
    status = solver.solve(m.cp)
    placed: dict[int, Option] = {}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        placed = {r: opt for (r, opt), var in m.x.items() if solver.boolean_value(var)}
    return solver, status, placed


def solve_exact(prob: Problem, *, time_limit: float | None = 10.0, workers: int = 2, seed: int = 0,
                hint: Placed | None = None) -> Schedule:  # fmt: skip
    """Solve the whole problem with CP-SAT within ``time_limit`` seconds."""
    began = time.perf_counter()
    m = build_model(prob, range(len(prob.reqs)), hint=hint)
    solver, status, placed = run(m, time_limit=time_limit, workers=workers, seed=seed)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    bound = solver.best_objective_bound if found or status == cp_model.UNKNOWN else None
    if not found and hint is not None:
        placed = dict(hint)
    stats = Stats(
        solver="exact",
        status=solver.status_name(status).lower(),
        seconds=round(time.perf_counter() - began, 3),
        counters={
            "variables": len(m.x),
            "constraints": len(m.cp.proto.constraints),
            "branches": solver.num_branches,
            "conflicts": solver.num_conflicts,
            "workers": workers,
        },
    )
    return make_schedule(prob, placed, stats, bound=bound)
