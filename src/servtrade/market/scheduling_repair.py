"""Incremental rescheduling: after cancellations or new requests, disturb as few meetings as
possible and say how many moved.

Existing meetings are kept where they are. Each new request is inserted with iterative
deepening: directly into a free window (0 moves), else by moving the meetings in its way
(ejection chains of depth 1, 2, 3: a deeper chain is only tried when shallower ones fail, so
the first success moves the fewest meetings this search can find). Existing meetings are never
dropped for a new request. Capacity freed by a cancellation is refilled with previously
unscheduled requests that fit without moving anybody.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import replace as with_changes

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.market.scheduling_compile import Option, Problem, compile_instance
from servtrade.market.scheduling_fast import eject_insert, place_direct
from servtrade.market.scheduling_model import Instance, Meeting, Request, Schedule, Stats
from servtrade.market.scheduling_result import make_schedule
from servtrade.market.scheduling_state import State

MAX_DEPTH = 3


def _pool_of(prob: Problem) -> dict[str, int]:
    return {loc.id: p for p, pool in enumerate(prob.pools) for loc in pool.locations}


def _keep(prob: Problem, st: State, meetings: Sequence[Meeting], gone: set[int]) -> list[int]:
    """Place the still-valid existing meetings; return those that no longer fit as they were."""
    pool_of = _pool_of(prob)
    displaced = []
    for m in meetings:
        r = prob.ridx.get(m.request)
        if r is None or r in gone:
            continue
        opt: Option = (m.start, pool_of.get(m.location, -1))
        if opt in prob.options[r] and st.fits(r, opt):
            st.place(r, opt)
        else:
            displaced.append(r)
    return displaced


def _insert(st: State, r: int) -> bool:
    return any(eject_insert(st, r, depth, frozenset()) for depth in range(MAX_DEPTH + 1))


def reschedule(
    inst: Instance,
    meetings: Sequence[Meeting],
    *,
    cancelled: Iterable[str] = (),
    added: Sequence[Request] = (),
) -> tuple[Instance, Schedule]:
    """Update ``meetings`` for ``cancelled`` request ids and ``added`` requests.

    Returns the updated instance (with the added requests) and the new schedule, whose
    ``moved`` counts existing meetings that changed slot or location."""
    began = time.perf_counter()
    inst = with_changes(inst, requests=inst.requests + tuple(added))
    prob = compile_instance(inst)
    gone = {prob.ridx[c] for c in _known(prob, cancelled)}
    st = State(prob)
    displaced = _keep(prob, st, meetings, gone)
    targets = displaced + [prob.ridx[req.id] for req in added]
    inserted = sum(1 for r in targets if _insert(st, r))
    for r in sorted(range(len(prob.reqs)), key=lambda r: (-prob.value[r], r)):
        if st.where[r] is None and r not in gone and r not in targets:
            place_direct(st, r)
    before = {prob.ridx[m.request]: m for m in meetings if m.request in prob.ridx}
    previous = {r: m.location for r, m in before.items()}
    draft = make_schedule(prob, st.placed(), _stats(began, inserted, len(targets)),
                          previous=previous, cancelled=gone)  # fmt: skip
    moved = sum(
        1
        for m in draft.meetings
        if (old := before.get(prob.ridx[m.request])) is not None
        and (old.start, old.location) != (m.start, m.location)
    )
    return inst, with_changes(draft, moved=moved)


def _known(prob: Problem, ids: Iterable[str]) -> list[str]:
    ids = list(ids)
    unknown = [i for i in ids if i not in prob.ridx]
    if unknown:
        raise ValidationError(
            "cannot cancel unknown request(s)",
            errors=[ErrorDetail("no such request", field="cancelled", value=i) for i in unknown],
            hint="use the request ids of the current schedule",
        )
    return ids


def _stats(began: float, inserted: int, targets: int) -> Stats:
    return Stats(
        solver="repair",
        status="feasible",
        seconds=round(time.perf_counter() - began, 3),
        counters={"targets": targets, "inserted": inserted},
    )
