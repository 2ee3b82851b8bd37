"""Turn an :class:`Instance` into index arrays the solvers share.

Every request gets its *options*: (start slot, pool) pairs where both participants are
available for the whole duration, the window avoids breaks and day ends, and the pool may host
it. Pools are the interchangeable tables of one zone, or one booth (only for its owner).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from servtrade.market.scheduling_model import (
    Instance,
    Location,
    LocationKind,
    Participant,
    Request,
    validate_instance,
)

Option = tuple[int, int]  # (start slot, pool index)


@dataclass(frozen=True)
class Pool:
    id: str  # "tables:<zone>" or the booth's location id
    zone: str
    locations: tuple[Location, ...]
    owner: str | None

    @property
    def capacity(self) -> int:
        return sum(loc.capacity for loc in self.locations)


@dataclass
class Problem:
    """The compiled instance. Indices: j participants, r requests, p pools, t slots."""

    inst: Instance
    parts: list[Participant]
    pidx: dict[str, int]
    reqs: list[Request]
    ridx: dict[str, int]
    a: list[int]
    b: list[int]
    value: list[int]
    dur: list[int]
    pools: list[Pool]
    pool_cap: list[list[int]]
    options: list[list[Option]]
    cap: list[int]
    minimum: list[int]
    by_part: list[list[int]] = field(default_factory=list)  # requests of each participant

    @property
    def slots(self) -> int:
        return self.inst.slots

    def covers(self, r: int, opt: Option) -> range:
        return range(opt[0], opt[0] + self.dur[r])


def build_pools(inst: Instance) -> list[Pool]:
    """Tables grouped by zone (sorted for determinism), then every booth on its own."""
    zones: dict[str, list[Location]] = defaultdict(list)
    pools: list[Pool] = []
    for loc in inst.locations:
        if loc.kind is LocationKind.table:
            zones[loc.zone].append(loc)
    for zone in sorted(zones):
        pools.append(Pool(f"tables:{zone}", zone, tuple(zones[zone]), None))
    for loc in inst.locations:
        if loc.kind is LocationKind.booth:
            pools.append(Pool(loc.id, loc.zone, (loc,), loc.owner))
    return pools


def _starts(inst: Instance, first: Participant, second: Participant, dur: int) -> list[int]:
    both = set(range(inst.slots))
    for p in (first, second):
        if p.available is not None:
            both &= p.available
    return [
        s
        for s in range(inst.slots)
        if inst.window_ok(s, dur) and all(t in both for t in range(s, s + dur))
    ]


def _request_pools(pools: list[Pool], booths: dict[str, list[int]], req: Request) -> list[int]:
    shared = [i for i, pool in enumerate(pools) if pool.owner is None]
    return shared + booths.get(req.first, []) + booths.get(req.second, [])


def compile_instance(inst: Instance, *, check: bool = True) -> Problem:
    """Index ``inst`` for the solvers (validating it first unless ``check`` is False)."""
    if check:
        validate_instance(inst)
    parts = list(inst.participants)
    pidx = {p.id: j for j, p in enumerate(parts)}
    pools = build_pools(inst)
    booths: dict[str, list[int]] = defaultdict(list)
    for i, pool in enumerate(pools):
        if pool.owner is not None:
            booths[pool.owner].append(i)
    reqs = list(inst.requests)
    options: list[list[Option]] = []
    for req in reqs:
        starts = _starts(inst, parts[pidx[req.first]], parts[pidx[req.second]], req.duration)
        allowed = _request_pools(pools, booths, req)
        options.append([(s, p) for s in starts for p in allowed])
    prob = Problem(
        inst=inst,
        parts=parts,
        pidx=pidx,
        reqs=reqs,
        ridx={r.id: i for i, r in enumerate(reqs)},
        a=[pidx[r.first] for r in reqs],
        b=[pidx[r.second] for r in reqs],
        value=[inst.value(r) for r in reqs],
        dur=[r.duration for r in reqs],
        pools=pools,
        pool_cap=[[pool.capacity] * inst.slots for pool in pools],
        options=options,
        cap=[min(inst.cap(p), inst.slots) for p in parts],
        minimum=[inst.minimum(p) for p in parts],
    )
    prob.by_part = [[] for _ in parts]
    for r in range(len(reqs)):
        prob.by_part[prob.a[r]].append(r)
        prob.by_part[prob.b[r]].append(r)
    return prob


def day_runs(inst: Instance) -> list[list[int]]:
    """Runs of consecutive non-break slots on one day: gaps and moves are counted inside them."""
    runs: list[list[int]] = []
    current: list[int] = []
    for t in range(inst.slots):
        if t in inst.day_starts or t in inst.breaks:
            if current:
                runs.append(current)
            current = []
        if t not in inst.breaks:
            current.append(t)
    if current:
        runs.append(current)
    return runs


def day_slots(inst: Instance) -> list[list[int]]:
    """Non-break slots of each day (a gap may span a break: idle time on the same day)."""
    days: dict[int, list[int]] = defaultdict(list)
    for t in range(inst.slots):
        if t not in inst.breaks:
            days[inst.day_of(t)].append(t)
    return [days[d] for d in sorted(days)]
