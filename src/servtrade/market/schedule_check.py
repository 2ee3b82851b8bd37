"""Independent validator of a schedule: shares only the value types with the solvers.

It re-derives everything from the :class:`Instance` (no compiled options, no solver state) so a
bug in the solvers' shared code cannot hide itself. Checks: known requests scheduled at most
once with their own pair and duration; windows inside the fair, off breaks, on one day;
availability; no participant or location double-booked beyond its capacity; booths used only
by their owner's meetings; maximum meetings; every request either scheduled or explained; and
the objective recomputed from scratch.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.market.scheduling_model import (
    Instance,
    LocationKind,
    Meeting,
    Priority,
    Unscheduled,
)


@dataclass(frozen=True)
class CheckReport:
    ok: bool
    problems: tuple[str, ...]
    meetings: int
    objective: int

    def raise_if_invalid(self) -> None:
        if not self.ok:
            raise ValidationError(
                f"schedule is invalid: {len(self.problems)} problem(s)",
                errors=[ErrorDetail(message=p) for p in self.problems],
                hint="re-run the scheduler or fix the listed meetings",
            )


def _window_problems(inst: Instance, m: Meeting) -> Iterable[str]:
    slots = list(range(m.start, m.start + m.duration))
    if m.duration < 1 or m.start < 0 or m.start + m.duration > inst.slots:
        last = m.start + m.duration - 1
        yield f"{m.request}: slots {m.start}..{last} outside 0..{inst.slots - 1}"
        return
    for t in slots:
        if t in inst.breaks:
            yield f"{m.request}: slot {t} is a break"
    days = {sum(1 for d in inst.day_starts if d <= t) for t in slots}
    if len(days) > 1:
        yield f"{m.request}: spans two days"


def _request_problems(inst: Instance, meetings: Sequence[Meeting]) -> Iterable[str]:
    requests = {r.id: r for r in inst.requests}
    people = {p.id: p for p in inst.participants}
    for rid, n in Counter(m.request for m in meetings).items():
        if n > 1:
            yield f"{rid}: scheduled {n} times"
    for m in meetings:
        req = requests.get(m.request)
        if req is None:
            yield f"{m.request}: no such request"
            continue
        if {m.first, m.second} != {req.first, req.second}:
            yield f"{m.request}: pair {m.first}/{m.second} is not the request's"
        if m.duration != req.duration:
            yield f"{m.request}: lasts {m.duration} slots, request says {req.duration}"
        yield from _window_problems(inst, m)
        for who in (m.first, m.second):
            avail = people[who].available if who in people else frozenset()
            missing = [t for t in range(m.start, m.start + m.duration) if avail is not None
                       and t not in avail]  # fmt: skip
            if missing:
                yield f"{m.request}: {who} not available at slot(s) {missing}"


def _booking_problems(inst: Instance, meetings: Sequence[Meeting]) -> Iterable[str]:
    seat: dict[tuple[str, int], list[str]] = defaultdict(list)
    room: dict[tuple[str, int], list[str]] = defaultdict(list)
    for m in meetings:
        for t in range(m.start, m.start + m.duration):
            seat[(m.first, t)].append(m.request)
            seat[(m.second, t)].append(m.request)
            room[(m.location, t)].append(m.request)
    for (who, t), held in sorted(seat.items()):
        if len(held) > 1:
            yield f"{who} double-booked at slot {t}: {sorted(held)}"
    places = {loc.id: loc for loc in inst.locations}
    for where in sorted({where for where, _t in room} - set(places)):
        yield f"no such location {where!r}"
    for (where, t), held in sorted(room.items()):
        loc = places.get(where)
        if loc is not None and len(held) > loc.capacity:
            yield f"{where} holds {len(held)} meetings at slot {t} (capacity {loc.capacity})"
    for m in meetings:
        loc = places.get(m.location)
        if (
            loc is not None
            and loc.kind is LocationKind.booth
            and loc.owner not in (m.first, m.second)
        ):
            yield f"{m.request}: booth {loc.id} belongs to {loc.owner}, not to this pair"


def _cap_problems(inst: Instance, meetings: Sequence[Meeting]) -> Iterable[str]:
    count = Counter(who for m in meetings for who in (m.first, m.second))
    for p in inst.participants:
        cap = p.max_meetings if p.max_meetings is not None else inst.max_meetings
        if cap is not None and count[p.id] > cap:
            yield f"{p.id} has {count[p.id]} meetings, maximum {cap}"


def _busy_days(inst: Instance, meetings: Sequence[Meeting]) -> dict[str, dict[int, str]]:
    zone = {loc.id: loc.zone for loc in inst.locations}
    busy: dict[str, dict[int, str]] = defaultdict(dict)
    for m in meetings:
        for t in range(m.start, m.start + m.duration):
            busy[m.first][t] = busy[m.second][t] = zone.get(m.location, "")
    return busy


def recompute_objective(inst: Instance, meetings: Sequence[Meeting]) -> int:
    """The objective from scratch: values, minus gaps, moves and shortfall penalties."""
    prio = {r.id: r for r in inst.requests}
    total = sum(
        prio[m.request].weight
        + (inst.must_bonus if prio[m.request].priority is Priority.must else 0)
        for m in meetings
        if m.request in prio
    )
    count = Counter(who for m in meetings for who in (m.first, m.second))
    for p in inst.participants:
        need = p.min_meetings if p.min_meetings is not None else (
            inst.min_per_buyer if p.role == "buyer" else 0)  # fmt: skip
        total -= inst.shortfall_penalty * max(0, need - count[p.id])
    busy = _busy_days(inst, meetings)
    for row in busy.values():
        total -= inst.gap_penalty * _gaps(inst, row) + inst.move_penalty * _moves(inst, row)
    return total


def _gaps(inst: Instance, row: dict[int, str]) -> int:
    gaps, day, last = 0, -1, None
    for t in range(inst.slots):
        if t in inst.day_starts:
            day, last = day + 1, None
        if t in inst.breaks:
            continue
        if t in row:
            if (
                last is not None
                and last < t - 1
                and any(u not in inst.breaks for u in range(last + 1, t))
            ):
                gaps += 1
            last = t
    return gaps


def _moves(inst: Instance, row: dict[int, str]) -> int:
    return sum(
        1
        for t in range(inst.slots - 1)
        if t in row and t + 1 in row and row[t] != row[t + 1]
        and t + 1 not in inst.day_starts and t not in inst.breaks and t + 1 not in inst.breaks
    )  # fmt: skip


def check_schedule(
    inst: Instance,
    meetings: Sequence[Meeting],
    unscheduled: Sequence[Unscheduled] | None = None,
    objective: int | None = None,
) -> CheckReport:
    """Check ``meetings`` against ``inst``; optionally the unscheduled list and objective."""
    problems = [
        *_request_problems(inst, meetings),
        *_booking_problems(inst, meetings),
        *_cap_problems(inst, meetings),
    ]
    if unscheduled is not None:
        listed = Counter([m.request for m in meetings] + [u.request for u in unscheduled])
        for r in inst.requests:
            if listed[r.id] != 1:
                problems.append(f"{r.id}: listed {listed[r.id]} times (meetings + unscheduled)")
    value = recompute_objective(inst, meetings)
    if objective is not None and objective != value:
        problems.append(f"reported objective {objective} != recomputed {value}")
    return CheckReport(not problems, tuple(problems), len(meetings), value)
