"""Value types and instance validation of the meeting scheduler."""

from __future__ import annotations

import pytest

from servtrade.errors import ValidationError
from servtrade.market.scheduling_model import (
    Instance,
    Location,
    LocationKind,
    Participant,
    Priority,
    Request,
    validate_instance,
)


def _inst(**kw: object) -> Instance:
    base: dict[str, object] = {
        "slots": 4,
        "participants": (Participant("E1", "exhibitor"), Participant("B1")),
        "requests": (Request("R1", "E1", "B1", weight=5),),
        "locations": (Location("T1"),),
    }
    base.update(kw)
    return Instance(**base)  # type: ignore[arg-type]


def test_window_respects_breaks_days_and_edges() -> None:
    inst = _inst(slots=6, breaks=frozenset({2}), day_starts=frozenset({0, 4}))
    ok = [(s, d) for s in range(-1, 7) for d in (1, 2) if inst.window_ok(s, d)]
    assert ok == [(0, 1), (0, 2), (1, 1), (3, 1), (4, 1), (4, 2), (5, 1)]
    assert [inst.day_of(t) for t in range(6)] == [1, 1, 1, 1, 2, 2]


def test_value_cap_and_minimum_defaults() -> None:
    inst = _inst(max_meetings=3, min_per_buyer=2, must_bonus=50)
    must = Request("R2", "E1", "B1", weight=5, priority=Priority.must)
    buyer, exhibitor = Participant("B1"), Participant("E1", "exhibitor", max_meetings=1)
    assert (inst.value(must), inst.value(inst.requests[0])) == (55, 5)
    assert (inst.cap(buyer), inst.cap(exhibitor)) == (3, 1)
    assert (inst.minimum(buyer), inst.minimum(exhibitor)) == (2, 0)
    assert _inst().cap(buyer) == 4  # no cap: at most one meeting per slot


def test_validate_lists_every_problem() -> None:
    inst = _inst(
        participants=(Participant("E1", available=frozenset({9})), Participant("E1")),
        requests=(Request("R1", "E1", "X"), Request("R1", "E1", "E1", duration=0)),
        locations=(Location("T1", capacity=0), Location("T1", LocationKind.booth)),
    )
    with pytest.raises(ValidationError) as err:
        validate_instance(inst)
    fields = [(e.field, e.value, e.message) for e in err.value.errors]
    assert fields == [
        ("participant[E1].available", "[9]", "slot outside the fair"),
        ("participant.id", "E1", "duplicate participant"),
        ("request[R1].participant", "X", "unknown participant"),
        ("request.id", "R1", "duplicate request"),
        ("request[R1]", "E1", "a participant cannot meet itself"),
        ("request[R1]", "duration=0 weight=1", "duration must be >= 1 and weight >= 0"),
        ("location[T1].capacity", "0", "must be >= 1"),
        ("location.id", "T1", "duplicate location"),
        ("location[T1].owner", "None", "a booth needs an owner participant"),
    ]
    assert err.value.message == "scheduling instance has 9 problem(s)"


def test_validate_rejects_a_fair_without_slots() -> None:
    with pytest.raises(ValidationError) as err:
        validate_instance(_inst(slots=0, requests=()))
    assert [(e.field, e.value) for e in err.value.errors] == [("slots", "0")]


def test_valid_instance_is_returned_unchanged() -> None:
    inst = _inst()
    assert validate_instance(inst) is inst
