"""``/fair/me``: the signed-in participant's own fair -- recommendations with their factors,
meeting requests in and out, and meetings -- with plain HTML forms to request, accept and
decline meetings.

Every form posts to a page route here that checks the CSRF token, calls one use case with the
caller as actor (which decides, per object, what the caller may do: 404 for what it may not
see, 403 for what it may see but not do) and redirects back (303) with a flash code that the
page renders from the catalogue. A request the use case refuses (already asked, not open to
requests) is shown on the page with its reason.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from servtrade.accounts.identity import Identity
from servtrade.accounts.policy import Kind
from servtrade.accounts.roles import Scope
from servtrade.config import Settings
from servtrade.errors import ConflictError, InputError
from servtrade.market import access, requests, schedule_agenda, schedule_service, services
from servtrade.web.auth import CsrfDep, IdentityDep, SignedIn, current_identity, require_scope
from servtrade.web.deps import FactoryDep, SettingsDep
from servtrade.web.templating import templates

router = APIRouter(include_in_schema=False, dependencies=[Depends(current_identity)])
# a form post: signed in first (401), then the CSRF token (403), then the write rate limit
Posting = [SignedIn, CsrfDep, Depends(require_scope(Scope.WRITE))]
FLASHES = frozenset({"requested", "accepted", "accepted_waiting", "declined"})
RECOMMENDATIONS = 10


def _pairs(found: dict[str, Any]) -> dict[int, str]:
    """Counterpart id -> status of the latest request between us, in either direction."""
    pairs: dict[int, str] = {}
    for req in found["outgoing"]:
        pairs.setdefault(req["recipient"]["id"], req["status"])
    for req in found["incoming"]:
        pairs.setdefault(req["requester"]["id"], req["status"])
    return pairs


def _agenda(factory: FactoryDep, who: Identity, participant_id: int) -> list[dict[str, Any]]:
    """The participant's meetings, each with the counterpart(s) apart from the participant."""
    with factory() as session:
        access.authorize_participant(session, who.actor, participant_id, kind=Kind.SCHEDULE)
    meetings = schedule_agenda.agenda(factory, participant_id)["meetings"]
    return [
        {**x, "others": [p for p in x["participants"] if p["id"] != participant_id]}
        for x in meetings
    ]


def _my_fair(factory: FactoryDep, settings: Settings, who: Identity) -> dict[str, Any]:
    pid = who.participant_id
    if pid is None:
        return {"participant": None}
    found = requests.requests_of(factory, pid, actor=who.actor)
    person = services.participant(factory, pid, actor=who.actor)
    return {
        "participant": person,
        "fair": services.get_fair(factory, person.fair_id),
        "result": services.recommend(
            factory, pid, RECOMMENDATIONS, settings=settings, actor=who.actor
        ),
        "incoming": found["incoming"],
        "outgoing": found["outgoing"],
        "asked": _pairs(found),
        "meetings": _agenda(factory, who, pid),
    }


def _render(
    request: Request, factory: FactoryDep, settings: Settings, who: Identity, **extra: Any
) -> HTMLResponse:
    status = extra.pop("status", 200)
    context = _my_fair(factory, settings, who) | extra
    return templates.TemplateResponse(request, "fair/me.html", context, status_code=status)


@router.get("/fair/me", response_class=HTMLResponse)
def my_fair(
    request: Request, factory: FactoryDep, settings: SettingsDep, who: IdentityDep, done: str = ""
) -> HTMLResponse:
    """For exhibitors and buyers; an account not linked to a participant is told why."""
    flash = done if done in FLASHES else None
    return _render(request, factory, settings, who, done=flash)


def _back(done: str) -> RedirectResponse:
    """Back to the top of the page, where the flash message is."""
    return RedirectResponse(f"/fair/me?done={done}", status_code=303)


@router.post("/fair/requests", dependencies=Posting)
def ask(
    *,
    request: Request,
    factory: FactoryDep,
    settings: SettingsDep,
    who: IdentityDep,
    recipient_id: Annotated[int, Form(ge=1)],
    message: Annotated[str, Form(max_length=requests.MAX_MESSAGE)] = "",
) -> Response:
    try:
        requests.request_meeting(factory, recipient_id, message=message, actor=who.actor)
    except (ConflictError, InputError) as exc:
        return _render(request, factory, settings, who, error=exc, status=exc.status)
    return _back("requested")


@router.post("/fair/requests/{request_id}/accept", dependencies=Posting)
def accept(
    request: Request, request_id: int, factory: FactoryDep, settings: SettingsDep, who: IdentityDep
) -> Response:
    """Accept and fit the meeting into the schedule; say whether it found a slot yet."""
    try:
        result = schedule_service.accept_request(factory, request_id, actor=who.actor)
    except (ConflictError, InputError) as exc:
        return _render(request, factory, settings, who, error=exc, status=exc.status)
    waiting = any(u["request_id"] == request_id for u in result.get("unscheduled", []))
    return _back("accepted_waiting" if waiting else "accepted")


@router.post("/fair/requests/{request_id}/decline", dependencies=Posting)
def decline(
    request: Request, request_id: int, factory: FactoryDep, settings: SettingsDep, who: IdentityDep
) -> Response:
    try:
        requests.decline_request(factory, request_id, actor=who.actor)
    except (ConflictError, InputError) as exc:
        return _render(request, factory, settings, who, error=exc, status=exc.status)
    return _back("declined")
