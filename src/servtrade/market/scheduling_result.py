"""From solver placements (request -> start slot and pool) to a :class:`Schedule`.

Shared by every solver: the objective breakdown, the concrete table of each meeting, and the
reason each request stayed unscheduled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from servtrade.market.scheduling_compile import Option, Problem, day_runs, day_slots
from servtrade.market.scheduling_model import (
    Meeting,
    Reason,
    Schedule,
    Stats,
    Unscheduled,
)

Placed = Mapping[int, Option]


@dataclass(frozen=True)
class Breakdown:
    weight: int
    gaps: int
    moves: int
    shortfall: int
    objective: int


def busy_grid(prob: Problem, placed: Placed) -> list[list[int]]:
    """``grid[j][t]`` = pool index participant j meets in at slot t, or -1 when free."""
    grid = [[-1] * prob.slots for _ in prob.parts]
    for r, (start, pool) in placed.items():
        for t in range(start, start + prob.dur[r]):
            grid[prob.a[r]][t] = pool
            grid[prob.b[r]][t] = pool
    return grid


def count_gaps(row: list[int], days: list[list[int]]) -> int:
    gaps = 0
    for slots in days:
        busy = [row[t] >= 0 for t in slots]
        starts = sum(1 for i, x in enumerate(busy) if x and (i == 0 or not busy[i - 1]))
        gaps += max(0, starts - 1)
    return gaps


def count_moves(row: list[int], runs: list[list[int]], zone_of: list[str]) -> int:
    return sum(
        1
        for run in runs
        for t, u in pairwise(run)
        if row[t] >= 0 and row[u] >= 0 and zone_of[row[t]] != zone_of[row[u]]
    )


def evaluate(prob: Problem, placed: Placed) -> Breakdown:
    """The objective of ``placed`` as defined in :mod:`scheduling_model`."""
    inst = prob.inst
    weight = sum(prob.value[r] for r in placed)
    counts = [0] * len(prob.parts)
    for r in placed:
        counts[prob.a[r]] += 1
        counts[prob.b[r]] += 1
    shortfall = sum(max(0, m - c) for m, c in zip(prob.minimum, counts, strict=True))
    gaps = moves = 0
    if inst.gap_penalty or inst.move_penalty:
        grid = busy_grid(prob, placed)
        zone_of = [pool.zone for pool in prob.pools]
        days, runs = day_slots(inst), day_runs(inst)
        gaps = sum(count_gaps(row, days) for row in grid) if inst.gap_penalty else 0
        moves = sum(count_moves(row, runs, zone_of) for row in grid) if inst.move_penalty else 0
    objective = (
        weight
        - inst.gap_penalty * gaps
        - inst.move_penalty * moves
        - inst.shortfall_penalty * shortfall
    )
    return Breakdown(weight, gaps, moves, shortfall, objective)


def _pick_unit(free: list[tuple[str, int]], wanted: Iterable[str | None]) -> tuple[str, int]:
    for want in wanted:
        for unit in free:
            if unit[0] == want:
                return unit
    return free[0]


def assign_tables(
    prob: Problem, placed: Placed, previous: Mapping[int, str] | None = None
) -> dict[int, str]:
    """Concrete location of each meeting: first-fit by start slot, which never fails when the
    per-slot count fits the pool (interval graphs are perfect); prefers the previous location,
    then the table one of the two participants sat at just before (fewer walks)."""
    previous = previous or {}
    until: dict[tuple[str, int], int] = {}
    units_of = [
        [(loc.id, k) for loc in pool.locations for k in range(loc.capacity)] for pool in prob.pools
    ]
    last: dict[tuple[int, int], str] = {}  # (participant, slot) -> location
    result: dict[int, str] = {}
    for r in sorted(placed, key=lambda r: (placed[r][0], r not in previous, r)):
        start, pool = placed[r]
        free = [u for u in units_of[pool] if until.get(u, 0) <= start]
        hints = (
            previous.get(r),
            last.get((prob.a[r], start - 1)),
            last.get((prob.b[r], start - 1)),
        )
        unit = _pick_unit(free, hints)
        end = start + prob.dur[r]
        until[unit] = end
        result[r] = unit[0]
        last[(prob.a[r], end - 1)] = last[(prob.b[r], end - 1)] = unit[0]
    return result


def _free(grid: list[list[int]], j: int, window: range) -> bool:
    return all(grid[j][t] < 0 for t in window)


def explain(prob: Problem, r: int, *, grid: list[list[int]], counts: list[int],
            load: list[list[int]]) -> Unscheduled:  # fmt: skip
    """Why request ``r`` is not in ``placed``, judged against the final schedule."""
    rid = prob.reqs[r].id
    if not prob.options[r]:
        if not any(pool.owner is None for pool in prob.pools):
            return Unscheduled(rid, Reason.no_location, "no table and no booth of either side")
        return Unscheduled(rid, Reason.no_common_slot, "no window where both are available")
    for j in (prob.a[r], prob.b[r]):
        if counts[j] >= prob.cap[j]:
            return Unscheduled(rid, Reason.cap_reached, f"{prob.parts[j].id} has {counts[j]}")
    both_free = [
        o for o in prob.options[r] if _free(grid, prob.a[r], prob.covers(r, o))
        and _free(grid, prob.b[r], prob.covers(r, o))
    ]  # fmt: skip
    if not both_free:
        return Unscheduled(rid, Reason.participant_busy, "every common window is taken")
    for start, pool in both_free:
        span = prob.covers(r, (start, pool))
        if all(load[pool][t] < prob.pool_cap[pool][t] for t in span):
            return Unscheduled(rid, Reason.not_selected, f"fits at slot {start}")
    return Unscheduled(rid, Reason.capacity, "all locations full when both are free")


def pool_load(prob: Problem, placed: Placed) -> list[list[int]]:
    load = [[0] * prob.slots for _ in prob.pools]
    for r, (start, pool) in placed.items():
        for t in range(start, start + prob.dur[r]):
            load[pool][t] += 1
    return load


def make_schedule(
    prob: Problem,
    placed: Placed,
    stats: Stats,
    *,
    bound: float | None = None,
    previous: Mapping[int, str] | None = None,
    moved: int = 0,
    cancelled: Iterable[int] = (),
) -> Schedule:
    """Assemble the :class:`Schedule` of ``placed`` with tables, reasons and objective."""
    tables = assign_tables(prob, placed, previous)
    meetings = tuple(
        Meeting(prob.reqs[r].id, prob.reqs[r].first, prob.reqs[r].second, start,
                prob.dur[r], tables[r])
        for r, (start, _pool) in sorted(placed.items(), key=lambda kv: (kv[1][0], kv[0]))
    )  # fmt: skip
    grid, load = busy_grid(prob, placed), pool_load(prob, placed)
    counts = [0] * len(prob.parts)
    for r in placed:
        counts[prob.a[r]] += 1
        counts[prob.b[r]] += 1
    gone = set(cancelled)
    unscheduled = tuple(
        Unscheduled(prob.reqs[r].id, Reason.cancelled, "withdrawn")
        if r in gone
        else explain(prob, r, grid=grid, counts=counts, load=load)
        for r in range(len(prob.reqs))
        if r not in placed
    )
    objective = evaluate(prob, placed).objective
    if bound is not None:
        bound = max(bound, float(objective))
    return Schedule(meetings, unscheduled, objective, bound, stats, moved)
