"""The independent validator finds every kind of broken schedule."""

from __future__ import annotations

import pytest

from servtrade.errors import ValidationError
from servtrade.market.schedule_check import check_schedule, recompute_objective
from servtrade.market.scheduling_model import (
    Instance,
    Location,
    LocationKind,
    Meeting,
    Participant,
    Priority,
    Reason,
    Request,
    Unscheduled,
)

INST = Instance(
    slots=5,
    participants=(Participant("E1", "exhibitor", max_meetings=2), Participant("E2", "exhibitor"),
                  Participant("B1", available=frozenset({0, 1, 3})), Participant("B2")),
    requests=(Request("R1", "E1", "B1", weight=10), Request("R2", "E1", "B2", weight=5),
              Request("R3", "E2", "B2", weight=4, priority=Priority.must),
              Request("R4", "E1", "B2", weight=1, duration=2)),
    locations=(Location("T1"), Location("S2", LocationKind.booth, owner="E2")),
    breaks=frozenset({2}),
    day_starts=frozenset({0, 4}),
    min_per_buyer=2,
    shortfall_penalty=7,
    gap_penalty=3,
)  # fmt: skip


def _m(rid: str, a: str, b: str, start: int, loc: str = "T1", duration: int = 1) -> Meeting:
    return Meeting(rid, a, b, start, duration, loc)


def test_a_valid_schedule_passes_with_its_objective() -> None:
    meetings = [_m("R1", "E1", "B1", 0), _m("R3", "E2", "B2", 0, "S2"), _m("R2", "E1", "B2", 3)]
    unscheduled = [Unscheduled("R4", Reason.cap_reached)]
    # values 10 + 5 + (4 + 100 must bonus); B1 one short of 2 (-7); B2 idle at 1 then busy at 3:
    # E1 and B2 meet at 0 and 3: the break at 2 is not idle time but slot 1 is, one gap each
    report = check_schedule(INST, meetings, unscheduled, objective=106)
    assert (report.ok, report.problems, report.meetings, report.objective) == (True, (), 3, 106)


def test_every_violation_is_reported() -> None:
    meetings = [
        _m("R1", "E1", "B1", 2),  # a break, and B1 is away
        _m("R1", "E1", "B1", 0),  # scheduled twice
        _m("R2", "E1", "B1", 0),  # wrong pair, E1 and B1 and T1 double-booked
        _m("R3", "E2", "B2", 3, "S9", duration=2),  # two days, unknown location, wrong length
        _m("R4", "E1", "B2", 0, "S2", duration=2),  # somebody else's booth
        _m("R9", "E1", "B2", 4, duration=2),  # unknown request, past the end
    ]
    report = check_schedule(INST, meetings, [], objective=1)
    assert report.problems == (
        "R1: scheduled 2 times",
        "R1: slot 2 is a break",
        "R1: B1 not available at slot(s) [2]",
        "R2: pair E1/B1 is not the request's",
        "R3: lasts 2 slots, request says 1",
        "R3: spans two days",
        "R9: no such request",
        "B1 double-booked at slot 0: ['R1', 'R2']",
        "B2 double-booked at slot 4: ['R3', 'R9']",
        "E1 double-booked at slot 0: ['R1', 'R2', 'R4']",
        "no such location 'S9'",
        "T1 holds 2 meetings at slot 0 (capacity 1)",
        "R4: booth S2 belongs to E2, not to this pair",
        "E1 has 5 meetings, maximum 2",
        "R1: listed 2 times (meetings + unscheduled)",
        "reported objective 1 != recomputed 130",
    )
    assert (report.ok, report.meetings) == (False, 6)


def test_a_window_past_the_end_is_reported() -> None:
    report = check_schedule(INST, [_m("R4", "E1", "B2", 4, duration=2)])
    assert report.problems == ("R4: slots 4..5 outside 0..4",)


def test_raise_if_invalid_lists_the_problems() -> None:
    report = check_schedule(INST, [_m("R1", "E1", "B1", 2)])
    with pytest.raises(ValidationError) as err:
        report.raise_if_invalid()
    assert [e.message for e in err.value.errors] == [
        "R1: slot 2 is a break", "R1: B1 not available at slot(s) [2]"]  # fmt: skip
    check_schedule(INST, []).raise_if_invalid()  # an empty schedule is valid


def test_moves_count_zone_changes_between_adjacent_slots() -> None:
    inst = Instance(
        3,
        (Participant("E1"), Participant("B1"), Participant("B2")),
        (Request("R1", "E1", "B1"), Request("R2", "E1", "B2")),
        (Location("TA", zone="A"), Location("TB", zone="B")),
        move_penalty=4,
    )
    apart = [_m("R1", "E1", "B1", 0, "TA"), _m("R2", "E1", "B2", 1, "TB")]
    together = [_m("R1", "E1", "B1", 0, "TA"), _m("R2", "E1", "B2", 1, "TA")]
    assert (recompute_objective(inst, apart), recompute_objective(inst, together)) == (-2, 2)
