"""Property: on random small instances every schedule of both solvers passes the validator,
the fast solver never beats CP-SAT's proven optimum, and the LP bound is never below it."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servtrade.market.schedule_check import check_schedule
from servtrade.market.scheduling import schedule
from servtrade.market.scheduling_bound import lp_bound
from servtrade.market.scheduling_compile import compile_instance
from servtrade.market.scheduling_instances import generate
from servtrade.market.scheduling_model import Instance


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    inst = generate(
        exhibitors=draw(st.integers(2, 5)),
        buyers=draw(st.integers(2, 7)),
        requests=draw(st.integers(1, 18)),
        slots=draw(st.integers(1, 5)),
        tables=draw(st.integers(1, 4)),
        zones=draw(st.integers(1, 2)),
        density=draw(st.sampled_from([0.5, 0.8, 1.0])),
        long_share=draw(st.sampled_from([0.0, 0.3])),
        booths=draw(st.booleans()),
        max_meetings=draw(st.sampled_from([None, 1, 2])),
        seed=draw(st.integers(0, 10_000)),
    )
    people = tuple(replace(p, min_meetings=draw(st.sampled_from([None, 1])))
                   for p in inst.participants)  # fmt: skip
    return replace(
        inst,
        participants=people,
        breaks=frozenset(draw(st.sets(st.integers(0, inst.slots - 1), max_size=1))),
        gap_penalty=draw(st.sampled_from([0, 2])),
        move_penalty=draw(st.sampled_from([0, 3])),
        shortfall_penalty=draw(st.sampled_from([0, 20])),
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_schedule_is_valid_and_within_the_bounds(inst: Instance) -> None:
    exact = schedule(inst, solver="exact", time_limit=5, workers=1)
    fast = schedule(inst, solver="fast", time_limit=None, seed=1)
    for result in (exact, fast):
        report = check_schedule(inst, result.meetings, result.unscheduled, result.objective)
        assert (report.ok, report.problems) == (True, ())
    assert exact.stats.status == "optimal"
    assert fast.objective <= exact.objective
    penalties = inst.gap_penalty or inst.move_penalty or inst.shortfall_penalty
    if not penalties:
        assert lp_bound(compile_instance(inst)) >= exact.objective - 1e-6
