"""Meeting scheduler: B2B meetings into slots and locations (the ``market.scheduling`` engine).

The one entry point for services and interfaces::

    schedule(instance, solver="fast" | "exact", time_limit=..., seed=...) -> Schedule
    reschedule(instance, meetings, cancelled=..., added=...) -> (Instance, Schedule)
    check_schedule(instance, meetings, unscheduled, objective) -> CheckReport

Pure Python + OR-Tools + scipy: no database, no web framework (an import-linter contract
holds this). Value types live in :mod:`scheduling_model`; the solvers in
:mod:`scheduling_exact` (CP-SAT) and :mod:`scheduling_fast` (greedy, ejection chains, LNS);
the independent validator in :mod:`schedule_check`. See ``docs/scheduling.md``.
"""

from __future__ import annotations

from enum import StrEnum

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.market.schedule_check import CheckReport, check_schedule
from servtrade.market.scheduling_bound import lp_bound
from servtrade.market.scheduling_compile import compile_instance
from servtrade.market.scheduling_exact import solve_exact
from servtrade.market.scheduling_fast import solve_fast
from servtrade.market.scheduling_io import (
    instance_from_dict,
    instance_to_dict,
    schedule_from_dict,
    schedule_to_dict,
)
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
from servtrade.market.scheduling_repair import reschedule

__all__ = [
    "CheckReport",
    "Instance",
    "Location",
    "LocationKind",
    "Meeting",
    "Participant",
    "Priority",
    "Reason",
    "Request",
    "Schedule",
    "Solver",
    "Stats",
    "Unscheduled",
    "check_schedule",
    "instance_from_dict",
    "instance_to_dict",
    "lp_bound",
    "reschedule",
    "schedule",
    "schedule_from_dict",
    "schedule_to_dict",
]


class Solver(StrEnum):
    exact = "exact"
    fast = "fast"


def schedule(
    instance: Instance,
    *,
    solver: Solver | str = Solver.fast,
    time_limit: float | None = 10.0,
    seed: int = 0,
    workers: int = 2,
) -> Schedule:
    """Schedule ``instance`` with the chosen solver within about ``time_limit`` seconds.

    ``time_limit=None`` runs the fast solver to its round limits (fully deterministic for
    ``seed``) and CP-SAT until it proves optimality."""
    try:
        chosen = Solver(solver)
    except ValueError as exc:
        raise ValidationError(
            "unknown solver",
            errors=[ErrorDetail("no such solver", field="solver", value=str(solver))],
            hint="use 'exact' or 'fast'",
        ) from exc
    if time_limit is not None and time_limit <= 0:
        raise ValidationError(
            "time limit must be positive",
            errors=[ErrorDetail("must be > 0", field="time_limit", value=str(time_limit))],
            hint="give the seconds the solver may use, e.g. 10",
        )
    prob = compile_instance(instance)
    if chosen is Solver.exact:
        return solve_exact(prob, time_limit=time_limit, workers=workers, seed=seed)
    return solve_fast(prob, seed=seed, time_limit=time_limit)
