"""The fast solver's moves on a hand-built state, and the synthetic instance shapes."""

from __future__ import annotations

from servtrade.market.schedule_check import check_schedule
from servtrade.market.scheduling import schedule
from servtrade.market.scheduling_compile import compile_instance
from servtrade.market.scheduling_fast import replace
from servtrade.market.scheduling_instances import brokerage, generate
from servtrade.market.scheduling_model import Instance, Location, Participant, Priority, Request
from servtrade.market.scheduling_state import State


def test_replace_evicts_a_cheaper_meeting_and_reinserts_it_elsewhere() -> None:
    people = (Participant("E1", max_meetings=1), Participant("B1"), Participant("B2"),
              Participant("E2"))  # fmt: skip
    reqs = (Request("R1", "E1", "B1", weight=2), Request("R2", "E1", "B2", weight=9),
            Request("R3", "E2", "B1", weight=1))  # fmt: skip
    prob = compile_instance(Instance(2, people, reqs, (Location("T1"),)))
    st = State(prob, {0: (0, 0), 2: (1, 0)})
    assert replace(st, 1) is True
    assert st.placed() == {1: (0, 0), 2: (1, 0)}
    assert replace(st, 0) is False  # R1 (2) is worth less than R2 (9) that blocks it


def test_undo_restores_the_state_exactly() -> None:
    prob = compile_instance(generate(exhibitors=3, buyers=4, requests=8, slots=3, seed=2))
    st = State(prob, {0: prob.options[0][0]})
    before = (st.placed(), [row[:] for row in st.occ], st.count[:], st.value)
    mark = st.mark()
    st.remove(0)
    st.place(1, prob.options[1][-1])
    st.undo(mark)
    assert (st.placed(), st.occ, st.count, st.value) == before


def test_brokerage_shape_has_a_lunch_break_and_only_must_meetings() -> None:
    inst = brokerage(participants=12, meetings=20, slots=6, seed=4)
    assert (inst.slots, inst.breaks, len(inst.requests), len(inst.locations)) == (
        7, frozenset({3}), 20, 4)  # fmt: skip
    assert {r.priority for r in inst.requests} == {Priority.must}
    result = schedule(inst, solver="fast", time_limit=None)
    report = check_schedule(inst, result.meetings, result.unscheduled, result.objective)
    assert (report.ok, report.problems) == (True, ())


def test_generate_is_reproducible_and_skewed_towards_popular_exhibitors() -> None:
    a, b = (generate(exhibitors=20, buyers=40, requests=200, seed=9) for _ in range(2))
    assert a == b
    per = [sum(1 for r in a.requests if r.first == f"E{k}") for k in range(20)]
    assert per[0] > per[-1]
