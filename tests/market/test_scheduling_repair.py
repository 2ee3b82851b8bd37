"""Incremental rescheduling: few moves, counted, and never an invalid schedule."""

from __future__ import annotations

import pytest

from servtrade.errors import ValidationError
from servtrade.market.schedule_check import check_schedule
from servtrade.market.scheduling import reschedule, schedule
from servtrade.market.scheduling_model import (
    Instance,
    Location,
    Meeting,
    Participant,
    Reason,
    Request,
    Unscheduled,
)

PEOPLE = tuple(Participant(p) for p in ("E1", "E2", "B1", "B2", "B3"))


def test_new_request_goes_into_a_free_slot_without_moves() -> None:
    inst = Instance(3, PEOPLE, (Request("R1", "E1", "B1", weight=5),), (Location("T1"),))
    current = [Meeting("R1", "E1", "B1", 0, 1, "T1")]
    new_inst, result = reschedule(inst, current, added=[Request("R2", "E2", "B1", weight=3)])
    assert [r.id for r in new_inst.requests] == ["R1", "R2"]
    assert (result.meetings[0], result.moved, result.unscheduled) == (current[0], 0, ())
    assert [(m.request, m.start) for m in result.meetings] == [("R1", 0), ("R2", 1)]


def test_new_request_moves_one_meeting_and_says_so() -> None:
    # B1 can only meet at slot 0, where E1 already meets B2 who could also meet at slot 1
    b1 = Participant("B1", available=frozenset({0}))
    inst = Instance(2, (PEOPLE[0], b1, PEOPLE[3]), (Request("R1", "E1", "B2", weight=5),),
                    (Location("T1"),))  # fmt: skip
    current = [Meeting("R1", "E1", "B2", 0, 1, "T1")]
    _inst, result = reschedule(inst, current, added=[Request("R2", "E1", "B1", weight=1)])
    assert [(m.request, m.start) for m in result.meetings] == [("R2", 0), ("R1", 1)]
    assert (result.moved, result.unscheduled) == (1, ())
    assert check_schedule(_inst, result.meetings, result.unscheduled, result.objective).ok


def test_cancellation_frees_room_for_a_waiting_request() -> None:
    reqs = (Request("R1", "E1", "B1", weight=5), Request("R2", "E2", "B2", weight=4),
            Request("R3", "E2", "B3", weight=1))  # fmt: skip
    inst = Instance(1, PEOPLE, reqs, (Location("T1"), Location("T2")))
    first = schedule(inst, solver="exact", time_limit=5)
    assert sorted(m.request for m in first.meetings) == ["R1", "R2"]
    _inst, result = reschedule(inst, first.meetings, cancelled=["R2"])
    assert sorted((m.request, m.location) for m in result.meetings) == [
        ("R1", next(m.location for m in first.meetings if m.request == "R1")),
        ("R3", "T2"),
    ]
    assert (result.moved, result.unscheduled) == (0, (Unscheduled("R2", Reason.cancelled,
                                                                 "withdrawn"),))  # fmt: skip


def test_a_meeting_that_no_longer_fits_is_placed_again() -> None:
    inst = Instance(2, PEOPLE, (Request("R1", "E1", "B1"),), (Location("T1"),))
    stale = [Meeting("R1", "E1", "B1", 0, 1, "gone-table")]
    _inst, result = reschedule(inst, stale)
    assert (result.meetings, result.moved) == ((Meeting("R1", "E1", "B1", 0, 1, "T1"),), 1)


def test_cancelling_an_unknown_request_is_an_error() -> None:
    inst = Instance(1, PEOPLE, (), (Location("T1"),))
    with pytest.raises(ValidationError) as err:
        reschedule(inst, [], cancelled=["R404"])
    assert [(e.field, e.value) for e in err.value.errors] == [("cancelled", "R404")]
