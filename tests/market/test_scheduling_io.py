"""Plain-dict round trips of instances and schedules, and strict reading."""

from __future__ import annotations

import json

import pytest

from servtrade.errors import ValidationError
from servtrade.market.scheduling import (
    instance_from_dict,
    instance_to_dict,
    schedule,
    schedule_from_dict,
    schedule_to_dict,
)
from servtrade.market.scheduling_instances import generate


def test_instance_and_schedule_survive_json() -> None:
    inst = generate(exhibitors=4, buyers=6, requests=12, slots=3, booths=True, long_share=0.3,
                    density=0.7, seed=5)  # fmt: skip
    back = instance_from_dict(json.loads(json.dumps(instance_to_dict(inst))))
    assert back == inst
    result = schedule(inst, solver="exact", time_limit=5)
    again = schedule_from_dict(json.loads(json.dumps(schedule_to_dict(result))))
    assert again == result


def test_bad_fields_are_all_named() -> None:
    doc = {
        "slots": "many",
        "participants": [{"role": "buyer"}],
        "requests": [{"id": "R1", "first": "A", "second": "B", "priority": "urgent"}],
    }
    with pytest.raises(ValidationError) as err:
        instance_from_dict(doc, source="fair.json")
    assert [(e.file, e.field, e.value) for e in err.value.errors] == [
        ("fair.json", "instance.slots", "many"),
        ("fair.json", "participants[0].id", None),
        ("fair.json", "requests[0].priority", "urgent"),
    ]
    with pytest.raises(ValidationError) as bad:
        schedule_from_dict({"meetings": [{"request": "R1", "start": "x"}]}, source="s.json")
    assert [e.field for e in bad.value.errors] == [
        "meetings[0].first",
        "meetings[0].second",
        "meetings[0].start",
        "meetings[0].location",
    ]
