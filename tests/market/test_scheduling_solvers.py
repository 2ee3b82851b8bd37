"""Both solvers on tiny instances whose optimum is known by hand, and the reasons they give."""

from __future__ import annotations

import pytest

from servtrade.errors import ValidationError
from servtrade.market.schedule_check import check_schedule
from servtrade.market.scheduling import schedule
from servtrade.market.scheduling_model import (
    Instance,
    Location,
    LocationKind,
    Participant,
    Reason,
    Request,
    Schedule,
    Unscheduled,
)

E1, E2 = Participant("E1", "exhibitor"), Participant("E2", "exhibitor")
B1, B2, B3, B4 = (Participant(f"B{k}") for k in range(1, 5))


def _inst(
    slots: int,
    people: tuple[Participant, ...],
    pairs: list[tuple[str, str, int]],
    locations: tuple[Location, ...] = (Location("T1"),),
    **kw: object,
) -> Instance:
    reqs = tuple(Request(f"R{i + 1}", a, b, weight=w) for i, (a, b, w) in enumerate(pairs))
    return Instance(slots, people, reqs, locations, **kw)  # type: ignore[arg-type]


def _summary(s: Schedule) -> tuple[int, list[str], tuple[Unscheduled, ...]]:
    return s.objective, sorted(m.request for m in s.meetings), s.unscheduled


ONE_TABLE = _inst(2, (E1, E2, B1, B2), [("E1", "B1", 10), ("E1", "B2", 8), ("E2", "B1", 7),
                                        ("E2", "B2", 1)])  # fmt: skip
CAP = _inst(2, (Participant("E1", max_meetings=1), B1, B2), [("E1", "B1", 10), ("E1", "B2", 5)],
            (Location("T1"), Location("T2")))  # fmt: skip
APART = _inst(2, (Participant("E1", available=frozenset({1})),
                  Participant("B1", available=frozenset({0}))), [("E1", "B1", 10)])  # fmt: skip
BUSY = _inst(2, (Participant("E1", available=frozenset({0})), B1, B2),
             [("E1", "B1", 10), ("E1", "B2", 5)], (Location("T1"), Location("T2")))  # fmt: skip
GAPPY = _inst(3, (E1, Participant("B1", available=frozenset({0})),
                  Participant("B2", available=frozenset({2}))),
              [("E1", "B1", 10), ("E1", "B2", 1)], gap_penalty=5)  # fmt: skip
FAIR = _inst(2, (E1, E2, B1, B2), [("E1", "B1", 10), ("E2", "B1", 9), ("E1", "B2", 1)],
             min_per_buyer=1, shortfall_penalty=50)  # fmt: skip

CASES = {
    "one_table": (ONE_TABLE, (18, ["R1", "R2"], (
        Unscheduled("R3", Reason.capacity, "all locations full when both are free"),
        Unscheduled("R4", Reason.capacity, "all locations full when both are free"))),
    ),
    "cap": (CAP, (10, ["R1"], (Unscheduled("R2", Reason.cap_reached, "E1 has 1"),))),
    "apart": (APART, (0, [], (
        Unscheduled("R1", Reason.no_common_slot, "no window where both are available"),))),
    "busy": (BUSY, (10, ["R1"], (
        Unscheduled("R2", Reason.participant_busy, "every common window is taken"),))),
    "gappy": (GAPPY, (10, ["R1"], (Unscheduled("R2", Reason.not_selected, "fits at slot 2"),))),
    "fair": (FAIR, (11, ["R1", "R3"], (
        Unscheduled("R2", Reason.capacity, "all locations full when both are free"),))),
}  # fmt: skip


@pytest.mark.parametrize("solver", ["exact", "fast"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_known_optimum_and_reasons(case: str, solver: str) -> None:
    inst, expected = CASES[case]
    result = schedule(inst, solver=solver, time_limit=5)
    assert _summary(result) == expected
    report = check_schedule(inst, result.meetings, result.unscheduled, result.objective)
    assert (report.ok, report.problems) == (True, ())


def test_exact_proves_optimality_with_zero_gap() -> None:
    result = schedule(ONE_TABLE, solver="exact", time_limit=5)
    assert (result.stats.solver, result.stats.status, result.bound, result.gap) == (
        "exact", "optimal", 18.0, 0.0)  # fmt: skip


def test_booth_hosts_only_its_owners_meetings() -> None:
    booth = (Location("S1", LocationKind.booth, owner="E1"),)
    inst = _inst(2, (E1, E2, B1), [("E1", "B1", 3), ("E2", "B1", 4)], booth)
    for solver in ("exact", "fast"):
        result = schedule(inst, solver=solver, time_limit=5)
        assert [(m.request, m.location) for m in result.meetings] == [("R1", "S1")]
        assert result.unscheduled == (
            Unscheduled("R2", Reason.no_location, "no table and no booth of either side"),
        )


def test_two_slot_meetings_avoid_breaks() -> None:
    reqs = (Request("R1", "E1", "B1", weight=5, duration=2),
            Request("R2", "E1", "B2", weight=4, duration=2))  # fmt: skip
    inst = Instance(5, (E1, B1, B2), reqs, (Location("T1"),), breaks=frozenset({2}))
    for solver in ("exact", "fast"):
        result = schedule(inst, solver=solver, time_limit=5)
        assert sorted((m.start, m.duration) for m in result.meetings) == [(0, 2), (3, 2)]
        assert check_schedule(inst, result.meetings).ok


def test_move_penalty_keeps_each_exhibitor_in_one_zone() -> None:
    zones = (Location("TA", zone="A"), Location("TB", zone="B"))
    inst = _inst(2, (E1, E2, B1, B2, B3, B4),
                 [("E1", "B1", 10), ("E1", "B2", 10), ("E2", "B3", 10), ("E2", "B4", 10)],
                 zones, move_penalty=3)  # fmt: skip
    for solver in ("exact", "fast"):
        result = schedule(inst, solver=solver, time_limit=5)
        rooms = {p: {m.location for m in result.meetings if p in (m.first, m.second)}
                 for p in ("E1", "E2")}  # fmt: skip
        assert (result.objective, sorted(map(len, rooms.values()))) == (40, [1, 1])


def test_schedule_rejects_bad_solver_and_time_limit() -> None:
    with pytest.raises(ValidationError) as bad:
        schedule(ONE_TABLE, solver="magic")
    with pytest.raises(ValidationError) as slow:
        schedule(ONE_TABLE, time_limit=0)
    assert [(e.field, e.value) for e in bad.value.errors + slow.value.errors] == [
        ("solver", "magic"), ("time_limit", "0")]  # fmt: skip


def test_fast_is_deterministic_for_a_seed() -> None:
    from servtrade.market.scheduling_instances import generate

    inst = generate(exhibitors=6, buyers=10, requests=30, slots=4, tables=3, seed=3)
    runs = [schedule(inst, solver="fast", time_limit=60, seed=7) for _ in range(2)]
    assert runs[0].meetings == runs[1].meetings
