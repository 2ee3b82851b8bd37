"""``/api/market``: the meeting scheduler of a fair (run, read, agenda, book, accept, cancel).

Thin: each route parses its parameters, calls one use case of
:mod:`servtrade.market.schedule_service` (writes) or :mod:`servtrade.market.schedule_agenda`
(reads) and returns its JSON. Running a schedule needs an organiser with the write scope;
booking, accepting and cancelling need the write scope; reads need the read scope.
Collisions (slot, table or participant taken) are 409 conflicts, never double bookings.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from servtrade.accounts.identity import Identity
from servtrade.accounts.roles import Role
from servtrade.market import schedule_agenda, schedule_service
from servtrade.market.scheduling import Solver
from servtrade.web.auth import Reader, Writer, require_role
from servtrade.web.deps import FactoryDep

router = APIRouter(prefix="/api/market", tags=["schedule"])
Organiser = Annotated[Identity, Depends(require_role(Role.ORGANISER))]


class ScheduleRun(BaseModel):
    solver: Solver = Field(Solver.fast, description="fast (large fairs) or exact (CP-SAT).")
    time_limit: float = Field(10.0, gt=0, le=300, description="Seconds for the solver.")
    seed: int = Field(0, ge=0, description="Random seed of the fast solver.")


class Booking(BaseModel):
    request_id: int = Field(..., description="An accepted meeting request.")
    slot_id: int = Field(..., description="A meeting slot of the request's fair.")
    table_id: int | None = Field(None, description="A table; default: the first free one.")


@router.post("/fairs/{fair_id}/schedule", summary="Schedule the fair's accepted requests")
def run(fair_id: int, body: ScheduleRun, _w: Writer, _o: Organiser, factory: FactoryDep) -> Any:
    return schedule_service.run_schedule(
        factory, fair_id, solver=body.solver.value, time_limit=body.time_limit, seed=body.seed
    )


@router.get("/fairs/{fair_id}/schedule", summary="The fair's meetings, paginated")
def read(
    fair_id: int,
    _r: Reader,
    factory: FactoryDep,
    limit: int = Query(50, ge=1, le=schedule_agenda.MAX_PAGE, description="Page size."),
    offset: int = Query(0, ge=0, description="Rows to skip."),
) -> Any:
    return schedule_agenda.schedule_page(factory, fair_id, limit, offset)


@router.get(
    "/participants/{participant_id}/agenda.ics",
    summary="A participant's meetings as iCalendar",
    response_class=Response,
)
def agenda_ics(participant_id: int, _r: Reader, factory: FactoryDep) -> Response:
    text = schedule_agenda.agenda_ics(factory, participant_id)
    return Response(
        text,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="agenda-{participant_id}.ics"'},
    )


@router.post("/meetings", summary="Book one accepted request at a slot", status_code=201)
def book(body: Booking, _w: Writer, factory: FactoryDep) -> Any:
    return schedule_service.book_meeting(factory, body.request_id, body.slot_id, body.table_id)


@router.post("/requests/{request_id}/accept", summary="Accept a request and fit it in")
def accept(
    request_id: int,
    _w: Writer,
    factory: FactoryDep,
    place: bool = Query(True, description="Also place it (incremental rescheduling)."),
) -> Any:
    return schedule_service.accept_request(factory, request_id, place=place)


@router.post("/meetings/{meeting_id}/cancel", summary="Cancel a meeting and refill its room")
def cancel(
    meeting_id: int,
    _w: Writer,
    factory: FactoryDep,
    refill: bool = Query(True, description="Refill freed room with waiting requests."),
) -> Any:
    return schedule_service.cancel_meeting(factory, meeting_id, refill=refill)
