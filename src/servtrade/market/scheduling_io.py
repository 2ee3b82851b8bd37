"""Plain-dict (JSON) form of instances and schedules, for files, the CLI and the API.

Reading is strict: a missing or mistyped field raises one ValidationError naming the field
(``requests[3].weight``), the value and what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.market.scheduling_model import (
    Instance,
    Location,
    LocationKind,
    Meeting,
    Participant,
    Priority,
    Reason,
    Request,
    Schedule,
    Stats,
    Unscheduled,
)

T = TypeVar("T")


def participant_to_dict(p: Participant) -> dict[str, Any]:
    return {
        "id": p.id,
        "role": p.role,
        "available": None if p.available is None else sorted(p.available),
        "max_meetings": p.max_meetings,
        "min_meetings": p.min_meetings,
    }


def instance_to_dict(inst: Instance) -> dict[str, Any]:
    return {
        "label": inst.label,
        "slots": inst.slots,
        "breaks": sorted(inst.breaks),
        "day_starts": sorted(inst.day_starts),
        "max_meetings": inst.max_meetings,
        "min_per_buyer": inst.min_per_buyer,
        "must_bonus": inst.must_bonus,
        "gap_penalty": inst.gap_penalty,
        "move_penalty": inst.move_penalty,
        "shortfall_penalty": inst.shortfall_penalty,
        "participants": [participant_to_dict(p) for p in inst.participants],
        "requests": [
            {
                "id": r.id,
                "first": r.first,
                "second": r.second,
                "weight": r.weight,
                "priority": r.priority.value,
                "duration": r.duration,
            }
            for r in inst.requests
        ],
        "locations": [
            {
                "id": x.id,
                "kind": x.kind.value,
                "capacity": x.capacity,
                "zone": x.zone,
                "owner": x.owner,
            }
            for x in inst.locations
        ],
    }


def meeting_to_dict(m: Meeting) -> dict[str, Any]:
    return {
        "request": m.request,
        "first": m.first,
        "second": m.second,
        "start": m.start,
        "duration": m.duration,
        "location": m.location,
    }


def schedule_to_dict(s: Schedule) -> dict[str, Any]:
    return {
        "meetings": [meeting_to_dict(m) for m in s.meetings],
        "unscheduled": [
            {"request": u.request, "reason": u.reason.value, "detail": u.detail}
            for u in s.unscheduled
        ],
        "objective": s.objective,
        "bound": s.bound,
        "gap": s.gap,
        "moved": s.moved,
        "stats": {"solver": s.stats.solver, "status": s.stats.status,
                  "seconds": s.stats.seconds, "counters": dict(s.stats.counters)},
    }  # fmt: skip


class _Reader:
    """Collects every problem of one document instead of stopping at the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[ErrorDetail] = []

    def get(self, obj: Mapping[str, Any], key: str, where: str, kind: Callable[[Any], T],
            default: Any = ...) -> T:  # fmt: skip
        if key not in obj:
            if default is not ...:
                return default  # type: ignore[no-any-return]
            self.problems.append(self._detail(f"{where}.{key}", None, "missing field"))
            return cast(T, None)  # never used: done() raises before the value is returned
        try:
            return kind(obj[key])
        except (TypeError, ValueError) as exc:
            self.problems.append(self._detail(f"{where}.{key}", obj[key], str(exc)))
            return cast(T, None)

    def _detail(self, name: str, value: Any, message: str) -> ErrorDetail:
        return ErrorDetail(message, file=self.source, field=name,
                           value=None if value is None else str(value),
                           hint="fix the field and load the file again")  # fmt: skip

    def done(self) -> None:
        if self.problems:
            raise ValidationError(f"{self.source}: cannot read schedule data",
                                  errors=self.problems)  # fmt: skip


def _slots(value: Any) -> frozenset[int]:
    return frozenset(int(t) for t in value)


def _maybe(kind: Callable[[Any], T]) -> Callable[[Any], T | None]:
    return lambda v: None if v is None else kind(v)


def _participant(rd: _Reader, d: Mapping[str, Any], where: str) -> Participant:
    return Participant(
        id=rd.get(d, "id", where, str),
        role=rd.get(d, "role", where, str, "buyer"),
        available=rd.get(d, "available", where, _maybe(_slots), None),
        max_meetings=rd.get(d, "max_meetings", where, _maybe(int), None),
        min_meetings=rd.get(d, "min_meetings", where, _maybe(int), None),
    )


def _request(rd: _Reader, d: Mapping[str, Any], where: str) -> Request:
    return Request(
        id=rd.get(d, "id", where, str),
        first=rd.get(d, "first", where, str),
        second=rd.get(d, "second", where, str),
        weight=rd.get(d, "weight", where, int, 1),
        priority=rd.get(d, "priority", where, Priority, Priority.nice),
        duration=rd.get(d, "duration", where, int, 1),
    )


def _location(rd: _Reader, d: Mapping[str, Any], where: str) -> Location:
    return Location(
        id=rd.get(d, "id", where, str),
        kind=rd.get(d, "kind", where, LocationKind, LocationKind.table),
        capacity=rd.get(d, "capacity", where, int, 1),
        zone=rd.get(d, "zone", where, str, "hall"),
        owner=rd.get(d, "owner", where, _maybe(str), None),
    )


def instance_from_dict(d: Mapping[str, Any], source: str = "<instance>") -> Instance:
    rd = _Reader(source)
    inst = Instance(
        slots=rd.get(d, "slots", "instance", int),
        participants=tuple(_participant(rd, p, f"participants[{i}]")
                           for i, p in enumerate(d.get("participants", []))),
        requests=tuple(_request(rd, r, f"requests[{i}]")
                       for i, r in enumerate(d.get("requests", []))),
        locations=tuple(_location(rd, x, f"locations[{i}]")
                        for i, x in enumerate(d.get("locations", []))),
        breaks=rd.get(d, "breaks", "instance", _slots, frozenset()),
        day_starts=rd.get(d, "day_starts", "instance", _slots, frozenset({0})),
        max_meetings=rd.get(d, "max_meetings", "instance", _maybe(int), None),
        min_per_buyer=rd.get(d, "min_per_buyer", "instance", int, 0),
        must_bonus=rd.get(d, "must_bonus", "instance", int, 100),
        gap_penalty=rd.get(d, "gap_penalty", "instance", int, 0),
        move_penalty=rd.get(d, "move_penalty", "instance", int, 0),
        shortfall_penalty=rd.get(d, "shortfall_penalty", "instance", int, 0),
        label=rd.get(d, "label", "instance", str, ""),
    )  # fmt: skip
    rd.done()
    return inst


def schedule_from_dict(d: Mapping[str, Any], source: str = "<schedule>") -> Schedule:
    rd = _Reader(source)
    meetings = tuple(
        Meeting(
            request=rd.get(m, "request", f"meetings[{i}]", str),
            first=rd.get(m, "first", f"meetings[{i}]", str),
            second=rd.get(m, "second", f"meetings[{i}]", str),
            start=rd.get(m, "start", f"meetings[{i}]", int),
            duration=rd.get(m, "duration", f"meetings[{i}]", int, 1),
            location=rd.get(m, "location", f"meetings[{i}]", str),
        )
        for i, m in enumerate(d.get("meetings", []))
    )
    unscheduled = tuple(
        Unscheduled(rd.get(u, "request", f"unscheduled[{i}]", str),
                    rd.get(u, "reason", f"unscheduled[{i}]", Reason, Reason.not_selected),
                    rd.get(u, "detail", f"unscheduled[{i}]", str, ""))
        for i, u in enumerate(d.get("unscheduled", []))
    )  # fmt: skip
    objective = rd.get(d, "objective", "schedule", int, 0)
    bound = rd.get(d, "bound", "schedule", _maybe(float), None)
    st = d.get("stats") or {}
    stats = Stats(str(st.get("solver", "")), str(st.get("status", "")),
                  float(st.get("seconds", 0.0)), dict(st.get("counters", {})))  # fmt: skip
    rd.done()
    return Schedule(meetings, unscheduled, objective, bound, stats,
                    rd.get(d, "moved", "schedule", int, 0))  # fmt: skip
