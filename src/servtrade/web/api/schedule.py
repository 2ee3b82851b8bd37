"""``/api/market``: meeting requests and the scheduler of a fair (request, accept, decline,
run, read, agenda, book, cancel).

Thin: each route parses its parameters, calls one use case of
:mod:`servtrade.market.requests`, :mod:`servtrade.market.schedule_service` (writes) or
:mod:`servtrade.market.schedule_agenda` (reads) with the caller as actor, and returns its JSON.
Running a schedule needs the fair's organiser with the write scope; requesting, answering,
booking and cancelling need the write scope and a side in the request (or the organiser);
reads need the read scope and show a participant only its own organisation's meetings.
Collisions (slot, table or participant taken) are 409 conflicts, never double bookings.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from servtrade.accounts.identity import Identity
from servtrade.accounts.policy import Kind
from servtrade.accounts.roles import Role, Scope
from servtrade.market import access, requests, schedule_agenda, schedule_service
from servtrade.market.scheduling import Solver
from servtrade.web.auth import Reader, Writer, require_role, require_scope
from servtrade.web.deps import FactoryDep

router = APIRouter(
    prefix="/api/market", tags=["schedule"], dependencies=[Depends(require_scope(Scope.READ))]
)
Organiser = Annotated[Identity, Depends(require_role(Role.ORGANISER))]


class ScheduleRun(BaseModel):
    solver: Solver = Field(Solver.fast, description="fast (large fairs) or exact (CP-SAT).")
    time_limit: float = Field(10.0, gt=0, le=300, description="Seconds for the solver.")
    seed: int = Field(0, ge=0, description="Random seed of the fast solver.")


class MeetingAsk(BaseModel):
    recipient_id: int = Field(..., description="The participant asked for a meeting.")
    requester_id: int | None = Field(
        None, description="Asking participant; default: the one linked to your account."
    )
    message: str = Field("", max_length=requests.MAX_MESSAGE, description="A short note.")


class Booking(BaseModel):
    request_id: int = Field(..., description="An accepted meeting request.")
    slot_id: int = Field(..., description="A meeting slot of the request's fair.")
    table_id: int | None = Field(None, description="A table; default: the first free one.")


@router.post("/fairs/{fair_id}/schedule", summary="Schedule the fair's accepted requests")
def run(fair_id: int, body: ScheduleRun, who: Writer, _o: Organiser, factory: FactoryDep) -> Any:
    return schedule_service.run_schedule(
        factory, fair_id, solver=body.solver.value, time_limit=body.time_limit, seed=body.seed,
        actor=who.actor,
    )  # fmt: skip


@router.get("/fairs/{fair_id}/schedule", summary="The fair's meetings, paginated")
def read(
    fair_id: int,
    who: Reader,
    factory: FactoryDep,
    limit: int = Query(50, ge=1, le=schedule_agenda.MAX_PAGE, description="Page size."),
    offset: int = Query(0, ge=0, description="Rows to skip."),
) -> Any:
    """The organiser (and admins) see every meeting; others their organisation's only."""
    mine = None if access.sees_whole_fair(who.actor, fair_id) else (who.organisation_id or -1)
    return schedule_agenda.schedule_page(factory, fair_id, limit, offset, organisation_id=mine)


@router.get("/participants/{participant_id}/agenda", summary="A participant's meetings")
def agenda(participant_id: int, who: Reader, factory: FactoryDep) -> Any:
    _may_see_schedule(factory, who, participant_id)
    return schedule_agenda.agenda(factory, participant_id)


@router.get(
    "/participants/{participant_id}/requests",
    summary="A participant's incoming and outgoing meeting requests",
)
def requests_of(participant_id: int, who: Reader, factory: FactoryDep) -> Any:
    return requests.requests_of(factory, participant_id, actor=who.actor)


@router.post("/requests", summary="Ask a participant for a meeting", status_code=201)
def ask(body: MeetingAsk, who: Writer, factory: FactoryDep) -> Any:
    return requests.request_meeting(
        factory, body.recipient_id, requester_id=body.requester_id, message=body.message,
        actor=who.actor,
    )  # fmt: skip


@router.post("/requests/{request_id}/decline", summary="Decline a request (its recipient)")
def decline(request_id: int, who: Writer, factory: FactoryDep) -> Any:
    return requests.decline_request(factory, request_id, actor=who.actor)


@router.get(
    "/participants/{participant_id}/agenda.ics",
    summary="A participant's meetings as iCalendar",
    response_class=Response,
)
def agenda_ics(participant_id: int, who: Reader, factory: FactoryDep) -> Response:
    _may_see_schedule(factory, who, participant_id)
    text = schedule_agenda.agenda_ics(factory, participant_id)
    return Response(
        text,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="agenda-{participant_id}.ics"'},
    )


@router.post("/meetings", summary="Book one accepted request at a slot", status_code=201)
def book(body: Booking, who: Writer, factory: FactoryDep) -> Any:
    return schedule_service.book_meeting(
        factory, body.request_id, body.slot_id, body.table_id, actor=who.actor
    )


@router.post("/requests/{request_id}/accept", summary="Accept a request and fit it in")
def accept(
    request_id: int,
    who: Writer,
    factory: FactoryDep,
    place: bool = Query(True, description="Also place it (incremental rescheduling)."),
) -> Any:
    """Only the recipient's side, the fair's organiser or an admin may accept."""
    return schedule_service.accept_request(factory, request_id, place=place, actor=who.actor)


@router.post("/meetings/{meeting_id}/cancel", summary="Cancel a meeting and refill its room")
def cancel(
    meeting_id: int,
    who: Writer,
    factory: FactoryDep,
    refill: bool = Query(True, description="Refill freed room with waiting requests."),
) -> Any:
    """Only a party to the meeting, the fair's organiser or an admin may cancel."""
    return schedule_service.cancel_meeting(factory, meeting_id, refill=refill, actor=who.actor)


def _may_see_schedule(factory: FactoryDep, who: Identity, participant_id: int) -> None:
    with factory() as session:
        access.authorize_participant(session, who.actor, participant_id, kind=Kind.SCHEDULE)
