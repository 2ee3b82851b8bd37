"""``servtrade market schedule | validate-schedule | agenda``: the meeting scheduler on a fair.

Registered on the ``market`` group by :mod:`servtrade.cli.market`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from servtrade.cli.database import open_database
from servtrade.cli.output import (
    FORMAT_OPTION,
    Format,
    console,
    render_json,
    render_rows,
)
from servtrade.errors import DataFileError, ErrorDetail
from servtrade.market import schedule_agenda, schedule_fair, schedule_service
from servtrade.market.scheduling import Solver

SOLVER_OPTION = typer.Option(
    Solver.fast, "--solver", help="fast (large fairs) or exact (CP-SAT, bound and gap)."
)
FILE_ARGUMENT = typer.Argument(..., help="Schedule JSON written by `market schedule -f json`.")
OUT_OPTION = typer.Option(..., "--out", help="iCalendar file to write (e.g. agenda.ics).")
MEETING_COLUMNS = ("meeting_id", "request_id", "starts_at", "table", "zone", "first", "second")


def _who(p: dict[str, Any]) -> str:
    return f"{p['name']} ({p['organisation']}) #{p['id']}"


def meeting_rows(meetings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**x, "first": _who(x["participants"][0]), "second": _who(x["participants"][1])}
        for x in meetings
    ]


def schedule_cmd(
    *,
    fair: int | None = typer.Option(None, "--fair", help="Fair id (default: the newest fair)."),
    solver: Solver = SOLVER_OPTION,
    time_limit: float = typer.Option(10.0, "--time-limit", min=0.1, help="Seconds for the solver."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the fast solver."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Schedule the fair's accepted meeting requests into slots and tables (replaces the
    previous schedule in one transaction); unscheduled requests come with their reason."""
    with open_database() as (_, factory), console.status("scheduling meetings..."):
        result = schedule_service.run_schedule(
            factory, fair, solver=solver.value, time_limit=time_limit, seed=seed
        )
    if fmt is Format.json:
        render_json(result)
        return
    render_rows(meeting_rows(result["meetings"]), fmt, title=_title(result),
                columns=MEETING_COLUMNS)  # fmt: skip
    if fmt is Format.table:  # CSV stays one table; JSON carries everything
        for u in result["unscheduled"]:
            console.print(f"unscheduled request {u['request_id']}: {u['reason']} {u['detail']}")
        for note in result["notes"]:
            console.print(f"[dim]note: {note}[/dim]")


def _title(result: dict[str, Any]) -> str:
    gap = "" if result["gap"] is None else f", gap {result['gap']:.2%}"
    return (
        f"Fair {result['fair_id']}: {len(result['meetings'])} meetings, "
        f"{len(result['unscheduled'])} unscheduled; objective {result['objective']}"
        f" (bound {result['bound']}{gap}; {result['solver']} {result['status']})"
    )


def _read_json(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFileError(
            f"cannot read {file}", errors=[ErrorDetail(str(exc), file=str(file))],
            hint="give the path of a schedule JSON file",
        ) from exc  # fmt: skip
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"{file} is not JSON",
            errors=[ErrorDetail(exc.msg, file=str(file), line=exc.lineno)],
            hint="write it with `servtrade market schedule --format json`",
        ) from exc


def validate_schedule_cmd(
    file: Path = FILE_ARGUMENT,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Check a schedule file against the fair as stored, independently of the solvers:
    nobody and no table twice in a slot, known ids, every request placed or explained."""
    with open_database() as (_, factory):
        document = _read_json(file)
        if not isinstance(document, dict):
            raise DataFileError(f"{file}: expected a JSON object", hint="use the schedule JSON")
        report = schedule_fair.validate_document(factory, document, str(file))
    if fmt is Format.json:
        render_json(report)
        return
    render_rows([report], fmt, title="Schedule is valid")


def agenda_cmd(
    *,
    participant: int = typer.Option(..., "--participant", help="Participant id."),
    out: Path = OUT_OPTION,
) -> None:
    """Write a participant's meetings as an iCalendar (.ics) file."""
    with open_database() as (_, factory):
        text = schedule_agenda.agenda_ics(factory, participant)
    out.write_bytes(text.encode("utf-8"))
    console.print(f"wrote {text.count('BEGIN:VEVENT')} meeting(s) to {out}")
