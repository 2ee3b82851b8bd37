"""Value types of the meeting scheduler: what goes in (an :class:`Instance`) and what comes out.

Slots are numbered ``0 .. slots-1``. A meeting of ``duration`` d starting at slot s occupies
slots ``s .. s+d-1``; those slots must all lie on the same day and none may be a break.
Locations are grouped into *pools*: the tables of one zone are interchangeable, so the solvers
only decide how many meetings a zone holds per slot and the concrete table is chosen afterwards;
a booth is a pool of its own that only meetings of its owner may use.

Objective (maximised; every solver and the validator use the same definition)::

    sum over scheduled requests of (weight + must_bonus if priority is "must")
    - gap_penalty   * idle gaps (a free slot between two meetings of a participant on one day)
    - move_penalty  * moves (consecutive meetings of a participant in different zones)
    - shortfall_penalty * missing meetings below a participant's minimum
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from servtrade.errors import ErrorDetail, ValidationError


class Priority(StrEnum):
    must = "must"
    nice = "nice"


class LocationKind(StrEnum):
    table = "table"
    booth = "booth"


class Reason(StrEnum):
    """Why a request is not in the schedule."""

    no_common_slot = "no_common_slot"  # the two participants never share a free window
    no_location = "no_location"  # no table pool and no booth may host it
    cap_reached = "cap_reached"  # a participant already has its maximum number of meetings
    participant_busy = "participant_busy"  # every common window is taken by other meetings
    capacity = "capacity"  # both free at some window, but every location is full then
    not_selected = "not_selected"  # it would fit, but the solver found it not worth it
    cancelled = "cancelled"  # withdrawn by a participant (incremental rescheduling)


@dataclass(frozen=True)
class Participant:
    """A person or team who meets others; ``available`` = slots they can meet (None = all)."""

    id: str
    role: str = "buyer"  # exhibitor | buyer | other: used by the per-buyer minimum
    available: frozenset[int] | None = None
    max_meetings: int | None = None  # None = the instance default
    min_meetings: int | None = None  # None = the instance default for buyers, else 0


@dataclass(frozen=True)
class Request:
    """A meeting wanted between two participants (an accepted request or a recommended pair)."""

    id: str
    first: str
    second: str
    weight: int = 1
    priority: Priority = Priority.nice
    duration: int = 1

    @property
    def pair(self) -> tuple[str, str]:
        return (self.first, self.second)


@dataclass(frozen=True)
class Location:
    """A table (shared pool of its zone) or a booth (hosts only meetings of its ``owner``)."""

    id: str
    kind: LocationKind = LocationKind.table
    capacity: int = 1  # meetings at the same time
    zone: str = "hall"
    owner: str | None = None


@dataclass(frozen=True)
class Instance:
    """Everything the scheduler needs; build it with :func:`make_instance` to get it checked."""

    slots: int
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]
    locations: tuple[Location, ...]
    breaks: frozenset[int] = frozenset()
    day_starts: frozenset[int] = frozenset({0})  # first slot of each day
    max_meetings: int | None = None  # default cap per participant
    min_per_buyer: int = 0
    must_bonus: int = 100
    gap_penalty: int = 0
    move_penalty: int = 0
    shortfall_penalty: int = 0
    label: str = ""

    def value(self, request: Request) -> int:
        """What scheduling ``request`` adds to the objective before penalties."""
        bonus = self.must_bonus if request.priority is Priority.must else 0
        return request.weight + bonus

    def cap(self, p: Participant) -> int:
        cap = p.max_meetings if p.max_meetings is not None else self.max_meetings
        return self.slots if cap is None else cap

    def minimum(self, p: Participant) -> int:
        if p.min_meetings is not None:
            return p.min_meetings
        return self.min_per_buyer if p.role == "buyer" else 0

    def day_of(self, slot: int) -> int:
        return sum(1 for d in self.day_starts if d <= slot)

    def window_ok(self, start: int, duration: int) -> bool:
        """True if ``duration`` slots from ``start`` exist, avoid breaks and stay on one day."""
        end = start + duration
        if start < 0 or end > self.slots:
            return False
        covered = range(start, end)
        if any(t in self.breaks for t in covered):
            return False
        return not any(t in self.day_starts for t in range(start + 1, end))


@dataclass(frozen=True)
class Meeting:
    """A scheduled request: start slot, length, and the concrete location."""

    request: str
    first: str
    second: str
    start: int
    duration: int
    location: str

    @property
    def slots(self) -> range:
        return range(self.start, self.start + self.duration)


@dataclass(frozen=True)
class Unscheduled:
    request: str
    reason: Reason
    detail: str = ""


@dataclass(frozen=True)
class Stats:
    """How the solver ran: its name, status, time and counters it chose to report."""

    solver: str
    status: str
    seconds: float
    counters: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Schedule:
    """A solver's answer with its objective, a proven upper bound and the relative gap."""

    meetings: tuple[Meeting, ...]
    unscheduled: tuple[Unscheduled, ...]
    objective: int
    bound: float | None
    stats: Stats
    moved: int = 0  # meetings moved by incremental rescheduling

    @property
    def gap(self) -> float | None:
        if self.bound is None:
            return None
        return max(0.0, (self.bound - self.objective) / max(1.0, abs(self.bound)))


def _problem(field_name: str, value: object, message: str, hint: str) -> ErrorDetail:
    return ErrorDetail(message=message, field=field_name, value=str(value), hint=hint)


def _check_participants(inst: Instance) -> Iterable[ErrorDetail]:
    seen: set[str] = set()
    for p in inst.participants:
        if p.id in seen:
            yield _problem("participant.id", p.id, "duplicate participant", "ids must be unique")
        seen.add(p.id)
        bad = sorted(t for t in (p.available or ()) if not 0 <= t < inst.slots)
        if bad:
            yield _problem(
                f"participant[{p.id}].available", bad, "slot outside the fair",
                f"slots are 0..{inst.slots - 1}",
            )  # fmt: skip


def _check_requests(inst: Instance, ids: set[str]) -> Iterable[ErrorDetail]:
    seen: set[str] = set()
    for r in inst.requests:
        where = f"request[{r.id}]"
        if r.id in seen:
            yield _problem("request.id", r.id, "duplicate request", "ids must be unique")
        seen.add(r.id)
        for who in (r.first, r.second):
            if who not in ids:
                yield _problem(f"{where}.participant", who, "unknown participant", "add it first")
        if r.first == r.second:
            yield _problem(where, r.first, "a participant cannot meet itself", "fix the pair")
        if r.duration < 1 or r.weight < 0:
            yield _problem(
                where, f"duration={r.duration} weight={r.weight}",
                "duration must be >= 1 and weight >= 0", "fix the request",
            )  # fmt: skip


def _check_locations(inst: Instance, ids: set[str]) -> Iterable[ErrorDetail]:
    seen: set[str] = set()
    for loc in inst.locations:
        if loc.id in seen:
            yield _problem("location.id", loc.id, "duplicate location", "ids must be unique")
        seen.add(loc.id)
        if loc.capacity < 1:
            yield _problem(f"location[{loc.id}].capacity", loc.capacity, "must be >= 1", "")
        if loc.kind is LocationKind.booth and loc.owner not in ids:
            yield _problem(
                f"location[{loc.id}].owner", loc.owner, "a booth needs an owner participant",
                "set owner to the exhibitor's id",
            )  # fmt: skip


def validate_instance(inst: Instance) -> Instance:
    """Return ``inst`` unchanged, or raise one ValidationError listing every problem."""
    ids = {p.id for p in inst.participants}
    problems = [
        *_check_participants(inst),
        *_check_requests(inst, ids),
        *_check_locations(inst, ids),
    ]
    if inst.slots < 1:
        problems.append(_problem("slots", inst.slots, "a fair needs slots", "use >= 1"))
    if problems:
        raise ValidationError(
            f"scheduling instance has {len(problems)} problem(s)", errors=problems
        )
    return inst
