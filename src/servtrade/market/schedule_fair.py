"""A stored fair as the meeting scheduler sees it, and the independent check of a schedule file.

The fair's rows become an engine :class:`~servtrade.market.scheduling.Instance`: slots in
start order (a new date starts a new day), meeting tables as capacity-1 locations in their
zone, accepted meeting requests weighted by their matchmaking score. Engine ids carry a
prefix: ``p<participant id>``, ``r<request id>``, ``t<table id>``; ``m<meeting id>`` is a
meeting that must stay where it is (held or no-show on a real fair, cancelled rows, or one
without an accepted request). Reads only; no commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.market import models as m
from servtrade.market import queries, scheduling
from servtrade.market.match_inputs import items_of
from servtrade.market.matching_exact import exact_scores
from servtrade.market.matching_scorer import MatchInputs, Scorer
from servtrade.market.scheduling import (
    Instance,
    Location,
    Meeting,
    Participant,
    Reason,
    Request,
    Unscheduled,
)
from servtrade.vocab.ebops import ebops_tree

Factory = sessionmaker[Session]
#: weight of a request whose pair has no offer/need to score (the middle of the 1..100 range)
UNSCORED_WEIGHT = 50
OUTCOMES = ("held", "no_show")


def num(engine_id: str) -> int:
    """The database id inside an engine id (``r12`` -> 12)."""
    return int(engine_id[1:])


@dataclass(frozen=True)
class FairData:
    """A fair as the engine sees it, with the rows needed to translate back."""

    fair: m.Fair
    slots: list[m.MeetingSlot]
    tables: dict[int, tuple[str, str]]  # table id -> (name, zone)
    people: dict[int, tuple[str, str]]  # participant id -> (person, organisation)
    requests: dict[int, tuple[int, int]]  # accepted request id -> (requester, recipient)
    fixed: list[Meeting]  # engine meetings that stay where they are
    current: dict[str, tuple[Meeting, int]]  # present schedule: request -> (meeting, row id)
    instance: Instance

    @property
    def slot_index(self) -> dict[int, int]:
        return {s.id: n for n, s in enumerate(self.slots)}


# -- reading the fair ----------------------------------------------------------------------


def _match_weights(session: Session, fair_id: int, pairs: Sequence[tuple[int, int]]) -> list[int]:
    """Matchmaking score of each (first, second) pair as an integer weight 1..100."""
    rows = queries.match_rows(session, fair_id)
    offers, needs = items_of(rows.offers), items_of(rows.needs)
    if not offers or not needs or not pairs:
        return [UNSCORED_WEIGHT] * len(pairs)
    # accepted requests are already agreed, so the rules verdict is not re-judged here
    scorer = Scorer(MatchInputs(offers, needs, ebops_tree().distance, exclude_prohibited=False))
    needers, offerers = {n.owner for n in needs}, {o.owner for o in offers}
    oriented = [(a, b) if a in needers else (b, a) for a, b in pairs]
    # only (buyer with needs, exhibitor with offers) pairs have a score
    scored = [n for n, (b, e) in enumerate(oriented) if b in needers and e in offerers]
    weights = [UNSCORED_WEIGHT] * len(pairs)
    if scored:
        score = exact_scores(scorer, [oriented[n] for n in scored]).score
        for n, value in zip(scored, score, strict=True):
            if np.isfinite(value):
                weights[n] = max(1, min(100, round(100 * float(value))))
    return weights


def _tables(session: Session, fair_id: int) -> dict[int, tuple[str, str]]:
    rows = session.execute(
        sa.select(m.MeetingTable.id, m.MeetingTable.name, m.Zone.name)
        .outerjoin(m.Zone, m.Zone.id == m.MeetingTable.zone_id)
        .where(m.MeetingTable.fair_id == fair_id)
        .order_by(m.MeetingTable.id)
    )
    return {tid: (name, zone or "hall") for tid, name, zone in rows}


def _meetings(session: Session, fair_id: int) -> list[tuple[m.Meeting, list[int]]]:
    found = list(session.scalars(sa.select(m.Meeting).where(m.Meeting.fair_id == fair_id)))
    who: dict[int, list[int]] = defaultdict(list)
    for mid, pid in session.execute(
        sa.select(m.MeetingAttendee.meeting_id, m.MeetingAttendee.participant_id)
        .join(m.Meeting, m.Meeting.id == m.MeetingAttendee.meeting_id)
        .where(m.Meeting.fair_id == fair_id)
        .order_by(m.MeetingAttendee.meeting_id, m.MeetingAttendee.participant_id)
    ):
        who[mid].append(pid)
    return [(x, who[x.id]) for x in found]


def _split(
    fair: m.Fair, rows: list[tuple[m.Meeting, list[int]]], slot_of: dict[int, int],
    accepted: dict[int, tuple[int, int]],
) -> tuple[list[Meeting], dict[str, tuple[Meeting, int]]]:  # fmt: skip
    """(fixed, current). Fixed: outcomes of a real fair (held, no-show), cancelled rows (they
    still hold their slot and table) and meetings without an accepted request. A synthetic
    fair's simulated outcomes are replaced, so its accepted requests can be scheduled."""
    fixed: list[Meeting] = []
    current: dict[str, tuple[Meeting, int]] = {}
    for row, who in rows:
        if len(who) != 2:
            continue
        keep = (
            row.status == "cancelled"
            or (row.status in OUTCOMES and not fair.synthetic)
            or row.request_id not in accepted
        )
        rid = f"m{row.id}" if keep else f"r{row.request_id}"
        engine = Meeting(rid, f"p{who[0]}", f"p{who[1]}", slot_of[row.slot_id], 1,
                         f"t{row.table_id}")  # fmt: skip
        if keep:
            fixed.append(engine)
        else:
            current[rid] = (engine, row.id)
    return fixed, current


def _not_met(
    accepted: dict[int, tuple[int, int]], rows: list[tuple[m.Meeting, list[int]]],
    fixed: list[Meeting],
) -> dict[int, tuple[int, int]]:  # fmt: skip
    """Accepted requests without a fixed meeting: one already held is not scheduled again."""
    pinned = {x.request for x in fixed}
    done = {row.request_id for row, _who in rows if f"m{row.id}" in pinned}
    return {rid: pair for rid, pair in accepted.items() if rid not in done}


def load_fair(session: Session, fair_id: int | None) -> FairData:
    """Read a fair and build its engine instance (a fixed number of statements)."""
    fair = queries.get_fair(session, fair_id)
    slots = list(
        session.scalars(
            sa.select(m.MeetingSlot)
            .where(m.MeetingSlot.fair_id == fair.id)
            .order_by(m.MeetingSlot.starts_at)
        )
    )
    accepted = {
        rid: (a, b)
        for rid, a, b in session.execute(
            sa.select(m.MeetingRequest.id, m.MeetingRequest.requester_id,
                      m.MeetingRequest.recipient_id)
            .where(m.MeetingRequest.fair_id == fair.id, m.MeetingRequest.status == "accepted")
            .order_by(m.MeetingRequest.id)
        )
    }  # fmt: skip
    slot_of = {s.id: n for n, s in enumerate(slots)}
    rows = _meetings(session, fair.id)
    fixed, current = _split(fair, rows, slot_of, accepted)
    accepted = _not_met(accepted, rows, fixed)
    tables = _tables(session, fair.id)
    weights = _match_weights(session, fair.id, list(accepted.values()))
    instance = _instance(fair, slots, tables, accepted=accepted, weights=weights, fixed=fixed)
    ids = {num(p.id) for p in instance.participants}
    people = {
        pid: (person, org)
        for pid, (person, org, _e) in queries.people(session, sorted(ids)).items()
    }
    return FairData(fair, slots, tables, people, accepted, fixed, current, instance)


def _instance(
    fair: m.Fair, slots: list[m.MeetingSlot], tables: dict[int, tuple[str, str]], *,
    accepted: dict[int, tuple[int, int]], weights: list[int], fixed: list[Meeting],
) -> Instance:  # fmt: skip
    requests = [
        Request(f"r{rid}", f"p{a}", f"p{b}", weight=w)
        for (rid, (a, b)), w in zip(accepted.items(), weights, strict=True)
    ]
    # a fixed meeting is a zero-weight request the repair step keeps where it is
    requests += [Request(x.request, x.first, x.second, weight=0) for x in fixed]
    people = sorted({who for r in requests for who in (r.first, r.second)}, key=num)
    days = [s.starts_at.date() for s in slots]
    day_starts = frozenset(n for n, d in enumerate(days) if n == 0 or d != days[n - 1])
    # no availability per participant is stored: every slot of the fair counts as free
    return Instance(
        slots=len(slots),
        participants=tuple(Participant(p) for p in people),
        requests=tuple(requests),
        locations=tuple(Location(f"t{tid}", zone=zone) for tid, (_n, zone) in tables.items()),
        day_starts=day_starts,
        label=f"fair {fair.id}",
    )


def require_room(data: FairData) -> None:
    missing = [name for name, rows in (("slots", data.slots), ("tables", data.tables)) if not rows]
    if missing:
        raise ValidationError(
            f"fair {data.fair.id} has no meeting {' or '.join(missing)}",
            errors=[ErrorDetail("none stored", field=f"market_meeting_{x[:-1]}", value="0")
                    for x in missing],
            hint="import or generate the fair's meeting slots and tables first",
        )  # fmt: skip


# -- independent check of a schedule file --------------------------------------------------


def validate_document(
    factory: Factory, document: Mapping[str, Any], source: str = "<schedule>"
) -> dict[str, Any]:
    """Check a schedule document (as ``market schedule --format json`` writes it) against the
    fair as stored: ids exist, and the engine-free validator accepts it. Raises one
    ValidationError naming each meeting and field at fault."""
    fair_id = document.get("fair_id")
    if not isinstance(fair_id, int):
        raise ValidationError(f"{source}: no fair id", errors=[ErrorDetail(
            "must be the fair's id", file=source, field="fair_id", value=str(fair_id))],
            hint="use the JSON written by `servtrade market schedule --format json`")  # fmt: skip
    with factory() as session:
        data = load_fair(session, fair_id)
    problems: list[ErrorDetail] = []
    meetings = _read_meetings(data, document.get("meetings") or [], source, problems)
    unscheduled = _read_unscheduled(document.get("unscheduled") or [], source, problems)
    check = scheduling.check_schedule(data.instance, [*data.fixed, *meetings], unscheduled)
    where = {x.request: f"meetings[{i}]" for i, x in enumerate(meetings)}
    for text in check.problems:
        problems.append(ErrorDetail(text, file=source, field=where.get(text.split(":")[0])))
    if problems:
        raise ValidationError(
            f"{source}: schedule is invalid: {len(problems)} problem(s)",
            errors=problems,
            hint="re-run `servtrade market schedule`",
        )
    return {"ok": True, "file": source, "fair_id": fair_id, "meetings": len(meetings),
            "unscheduled": len(unscheduled), "objective": check.objective}  # fmt: skip


def _read_meetings(
    data: FairData, rows: Sequence[Any], source: str, problems: list[ErrorDetail]
) -> list[Meeting]:
    slot_of = data.slot_index
    found = []
    for i, x in enumerate(rows):
        bad = _meeting_problems(data, slot_of, x)
        problems += [
            ErrorDetail(why, file=source, field=f"meetings[{i}].{name}", value=value,
                        hint="use ids of this fair")
            for name, value, why in bad
        ]  # fmt: skip
        if not bad:
            first, second = (f"p{p['id']}" for p in x["participants"])
            found.append(Meeting(f"r{x['request_id']}", first, second, slot_of[x["slot_id"]],
                                 1, f"t{x['table_id']}"))  # fmt: skip
    return found


def _meeting_problems(
    data: FairData, slot_of: dict[int, int], x: Any
) -> list[tuple[str, str | None, str]]:
    if not isinstance(x, Mapping):
        return [("", str(x)[:40], "a meeting must be an object")]
    bad: list[tuple[str, str | None, str]] = []
    if x.get("request_id") not in data.requests:
        bad.append(("request_id", str(x.get("request_id")), "no accepted request of this fair"))
    if x.get("slot_id") not in slot_of:
        bad.append(("slot_id", str(x.get("slot_id")), "no meeting slot of this fair"))
    if x.get("table_id") not in data.tables:
        bad.append(("table_id", str(x.get("table_id")), "no meeting table of this fair"))
    who = x.get("participants")
    if not (
        isinstance(who, list)
        and len(who) == 2
        and all(isinstance(p, Mapping) and isinstance(p.get("id"), int) for p in who)
    ):
        bad.append(("participants", str(who)[:80], "must be two objects with an integer id"))
    return bad  # fmt: skip


def _read_unscheduled(
    rows: Sequence[Any], source: str, problems: list[ErrorDetail]
) -> list[Unscheduled]:
    found = []
    for i, u in enumerate(rows):
        try:
            found.append(Unscheduled(f"r{int(u['request_id'])}", Reason(u["reason"])))
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(ErrorDetail(f"unreadable: {exc}", file=source,
                                        field=f"unscheduled[{i}]", value=str(u)[:80]))  # fmt: skip
    return found
