"""The LP bound is never below a proven optimum and is exact on an integral case."""

from __future__ import annotations

from servtrade.market.scheduling import schedule
from servtrade.market.scheduling_bound import lp_bound
from servtrade.market.scheduling_compile import compile_instance
from servtrade.market.scheduling_instances import generate
from servtrade.market.scheduling_model import Instance, Location, Participant, Request


def test_lp_bound_is_at_least_the_optimum() -> None:
    inst = generate(exhibitors=6, buyers=12, requests=40, slots=4, tables=4, seed=11)
    optimum = schedule(inst, solver="exact", time_limit=10).objective
    bound = lp_bound(compile_instance(inst))
    assert (bound >= optimum, round(bound / optimum, 1)) == (True, 1.0)


def test_lp_bound_is_exact_when_only_one_table_binds() -> None:
    people = tuple(Participant(p) for p in ("E1", "B1", "B2"))
    reqs = (Request("R1", "E1", "B1", weight=7), Request("R2", "E1", "B2", weight=3))
    inst = Instance(1, people, reqs, (Location("T1"),))
    assert lp_bound(compile_instance(inst)) == 7.0
    empty = Instance(1, people, (), (Location("T1"),))
    assert lp_bound(compile_instance(empty)) == 0.0
