"""Reads of the fair and marketplace: no commits, and a fixed number of statements per call."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from servtrade.errors import NotFoundError
from servtrade.market import models as m


@dataclass(frozen=True)
class Viewer:
    """Whose eyes a list is read with (plain values; :mod:`servtrade.market.access` makes it).

    ``everything``: admins, the fair's organiser and trusted local tools see hidden rows too.
    Otherwise a participant row is listed when its visibility is ``public``, when it is
    ``participants`` and the viewer belongs to the same fair (``member_of``), or when it belongs
    to the viewer's own organisation.
    """

    everything: bool = False
    member_of: int | None = None
    organisation_id: int | None = None


TRUSTED = Viewer(everything=True)


def visible(viewer: Viewer | None, fair_id: int) -> Any:
    """The SQL condition on ``market_participant`` rows ``viewer`` may list in ``fair_id``."""
    part = m.Participant
    if viewer is None:
        return part.visibility != "hidden"
    if viewer.everything:
        return sa.true()
    shown = [part.visibility == "public"]
    if viewer.member_of is not None and viewer.member_of == fair_id:
        shown.append(part.visibility == "participants")
    if viewer.organisation_id is not None:
        shown.append(part.organisation_id == viewer.organisation_id)
    return sa.or_(*shown)


def listable(
    session: Session, fair_id: int, participant_ids: Sequence[int], viewer: Viewer
) -> set[int]:
    """Which of ``participant_ids`` ``viewer`` may list; one statement."""
    rows = session.scalars(
        sa.select(m.Participant.id).where(
            m.Participant.id.in_(list(participant_ids)), visible(viewer, fair_id)
        )
    )
    return set(rows)


def get_fair(session: Session, fair_id: int | None) -> m.Fair:
    """The fair ``fair_id``, or the newest fair when ``fair_id`` is None."""
    if fair_id is None:
        fair = session.scalars(sa.select(m.Fair).order_by(m.Fair.id.desc()).limit(1)).first()
        if fair is None:
            raise NotFoundError(
                "no fair in the database",
                hint="run `servtrade market generate` or `servtrade init` to load a demo fair",
            )
        return fair
    fair = session.get(m.Fair, fair_id)
    if fair is None:
        raise NotFoundError(
            f"no fair with id {fair_id}", hint="`servtrade market fairs` lists them"
        )
    return fair


def list_fairs(session: Session) -> list[m.Fair]:
    return list(session.scalars(sa.select(m.Fair).order_by(m.Fair.id)))


def get_participant(session: Session, participant_id: int) -> m.Participant:
    participant = session.get(m.Participant, participant_id)
    if participant is None:
        raise NotFoundError(
            f"no participant with id {participant_id}",
            hint="list participants with `servtrade market exhibitors` or /api/market/participants",
        )
    return participant


def roles_of(session: Session, participant_ids: Sequence[int]) -> dict[int, list[str]]:
    rows = session.execute(
        sa.select(m.ParticipantRole.participant_id, m.ParticipantRole.role)
        .where(m.ParticipantRole.participant_id.in_(participant_ids))
        .order_by(m.ParticipantRole.participant_id, m.ParticipantRole.role)
    )
    found: dict[int, list[str]] = {p: [] for p in participant_ids}
    for pid, role in rows:
        found[pid].append(role)
    return found


def _service_filter(column: Any, code: str) -> Any:
    """The item ``code`` or any item below it (EBOPS letter codes nest by prefix)."""
    return sa.or_(column == code, column.like(f"{code}%"))


@dataclass(frozen=True)
class ExhibitorFilter:
    zone: str | None = None
    economy: str | None = None
    service: str | None = None


def exhibitors_page(
    session: Session,
    fair_id: int,
    where: ExhibitorFilter,
    limit: int,
    offset: int,
    *,
    viewer: Viewer | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """A page of a fair's exhibitors with zone, booth and services; three statements."""
    org, part, booth, zone = m.Organisation, m.Participant, m.Booth, m.Zone
    base = (
        sa.select(part.id)
        .join(m.ParticipantRole, m.ParticipantRole.participant_id == part.id)
        .join(org, org.id == part.organisation_id)
        .outerjoin(booth, (booth.organisation_id == org.id) & (booth.fair_id == part.fair_id))
        .outerjoin(zone, zone.id == booth.zone_id)
        .where(part.fair_id == fair_id, m.ParticipantRole.role == "exhibitor")
        .where(visible(viewer, fair_id))
    )
    if where.zone:
        base = base.where(zone.name == where.zone)
    if where.economy:
        base = base.where(org.economy == where.economy)
    if where.service:
        offered = sa.select(m.Offer.id).where(
            m.Offer.participant_id == part.id, _service_filter(m.Offer.ebops, where.service)
        )
        base = base.where(sa.exists(offered))
    total = session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    stmt = (
        base.add_columns(
            org.name,
            org.economy,
            org.kind,
            org.fortune_global_500,
            org.synthetic,
            zone.name,
            booth.code,
        )
        .order_by(org.name, part.id)
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(stmt).all()
    services = services_of(session, [r[0] for r in rows])
    keys = ("organisation", "economy", "kind", "fortune_global_500", "synthetic", "zone", "booth")
    return [
        {"participant_id": r[0], **dict(zip(keys, r[1:], strict=True)), "services": services[r[0]]}
        for r in rows
    ], total


def services_of(session: Session, participant_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {p: [] for p in participant_ids}
    rows = session.execute(
        sa.select(m.Offer.participant_id, m.Offer.ebops)
        .where(m.Offer.participant_id.in_(participant_ids))
        .distinct()
        .order_by(m.Offer.participant_id, m.Offer.ebops)
    )
    for pid, code in rows:
        found[pid].append(code)
    return found


def participants_page(
    session: Session,
    fair_id: int,
    role: str | None,
    limit: int,
    offset: int,
    *,
    only: int | None = None,
    viewer: Viewer | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """A page of participants with organisation and roles; three statements."""
    part, org = m.Participant, m.Organisation
    base = sa.select(part.id).where(part.fair_id == fair_id, visible(viewer, fair_id))
    if only is not None:
        base = base.where(part.id == only)
    if role:
        base = base.where(
            sa.exists().where(
                m.ParticipantRole.participant_id == part.id, m.ParticipantRole.role == role
            )
        )
    total = session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    stmt = (
        sa.select(part, org)
        .join(org, org.id == part.organisation_id)
        .where(part.id.in_(base.scalar_subquery()))
        .order_by(part.id)
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(stmt).all()
    roles = roles_of(session, [p.id for p, _ in rows])
    return [
        {
            "id": p.id,
            "fair_id": p.fair_id,
            "external_id": p.external_id,
            "person_name": p.person_name,
            "email": p.email,
            "organisation_id": o.id,
            "organisation": o.name,
            "economy": o.economy,
            "roles": roles[p.id],
            "visibility": p.visibility,
            "synthetic": o.synthetic,
        }
        for p, o in rows
    ], total


@dataclass(frozen=True)
class ListingFilter:
    text: str | None = None
    category: str | None = None
    service: str | None = None
    economy: str | None = None


def listings_page(
    session: Session, where: ListingFilter, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Marketplace search: words in title or description, category, service, economy."""
    lst, org = m.Listing, m.Organisation
    base = sa.select(lst, org.name, org.economy).join(org, org.id == lst.organisation_id)
    if where.text:
        for word in where.text.split():
            like = f"%{word.lower()}%"
            base = base.where(
                sa.or_(
                    sa.func.lower(lst.title).like(like), sa.func.lower(lst.description).like(like)
                )
            )
    if where.category:
        base = base.where(lst.category == where.category)
    if where.service:
        base = base.where(_service_filter(lst.ebops, where.service))
    if where.economy:
        base = base.where(org.economy == where.economy)
    total = session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    rows = session.execute(base.order_by(lst.title, lst.id).limit(limit).offset(offset)).all()
    return [
        {**m.row_dict(x), "organisation": name, "economy": economy} for x, name, economy in rows
    ], total


@dataclass(frozen=True)
class MatchRows:
    """What matchmaking needs from the database, as plain tuples."""

    offers: list[tuple[Any, ...]]
    needs: list[tuple[Any, ...]]
    requests: list[tuple[int, int]]
    do_not_meet: list[tuple[int, int]]


def _match_statements(fair_id: Any) -> tuple[Any, ...]:
    """What :func:`match_rows` reads: offers, needs, requests, do-not-meet pairs."""

    def items(model: type[m.Offer] | type[m.Need]) -> Any:
        return (
            sa.select(
                model.id,
                model.participant_id,
                m.Organisation.id,
                m.Organisation.economy,
                model.ebops,
                model.modes,
                model.markets,
                model.size,
                model.description,
                model.w120,
            )
            .join(m.Participant, m.Participant.id == model.participant_id)
            .join(m.Organisation, m.Organisation.id == m.Participant.organisation_id)
            .where(model.fair_id == fair_id, m.Participant.consent_matchmaking.is_(True))
            .order_by(model.id)
        )

    requests = sa.select(m.MeetingRequest.requester_id, m.MeetingRequest.recipient_id).where(
        m.MeetingRequest.fair_id == fair_id, m.MeetingRequest.status != "cancelled"
    )
    blocked = (
        sa.select(m.DoNotMeet.participant_id, m.DoNotMeet.other_id)
        .join(m.Participant, m.Participant.id == m.DoNotMeet.participant_id)
        .where(m.Participant.fair_id == fair_id)
    )
    return items(m.Offer), items(m.Need), requests, blocked


def match_rows(session: Session, fair_id: int) -> MatchRows:
    """Offers and needs of consenting participants with owner facts; four statements."""
    offers, needs, requests, blocked = (
        [tuple(r) for r in session.execute(stmt)] for stmt in _match_statements(fair_id)
    )
    return MatchRows(offers, needs, requests, blocked)


def match_fingerprint(session: Session, fair_id: int) -> tuple[Any, ...]:
    """A fingerprint of :func:`match_rows`, computed by the database in one statement: it
    changes whenever those rows do, without sending them (PostgreSQL sends an MD5 per part).
    Lines are ordered by their bytes, so the same rows always give the same fingerprint."""
    stmt = _fingerprint_statement(session.get_bind().dialect.name)
    return tuple(session.execute(stmt, {"fair_id": fair_id}).one())


@functools.cache
def _fingerprint_statement(dialect: str) -> sa.Select[Any]:
    """The statement of :func:`match_fingerprint` (built once: building it costs more than the
    database takes to run it)."""
    parts = []
    for stmt in _match_statements(sa.bindparam("fair_id", type_=sa.Integer)):
        rows = stmt.order_by(None).subquery()
        line: Any = sa.literal("")
        for c in rows.columns:  # separated by US, NULL as RS: no two rows give the same line
            line = line + "\x1f" + sa.func.coalesce(sa.cast(c, sa.Text), "\x1e")
        key = sa.collate(line, "C") if dialect == "postgresql" else line  # bytes, not locale
        ordered = sa.select(line.label("line")).order_by(key).subquery()
        text: Any = sa.func.aggregate_strings(ordered.c.line, "\n")
        if dialect == "postgresql":
            text = sa.func.md5(text)
        parts.append(sa.select(text).scalar_subquery())
    return sa.select(*parts)


def people(
    session: Session, participant_ids: Sequence[int]
) -> dict[int, tuple[str, str, str | None]]:
    """Person name, organisation name and economy of each participant; one statement."""
    rows = session.execute(
        sa.select(
            m.Participant.id, m.Participant.person_name, m.Organisation.name, m.Organisation.economy
        )
        .join(m.Organisation, m.Organisation.id == m.Participant.organisation_id)
        .where(m.Participant.id.in_(participant_ids))
    )
    return {pid: (person, org, economy) for pid, person, org, economy in rows}


def exhibitor_breakdown(
    session: Session, fair_id: int, by: str, top: int = 12
) -> list[tuple[str, int]]:
    """Exhibitors per zone or per economy, largest first (``(none)`` for missing)."""
    column = m.Zone.name if by == "zone" else m.Organisation.economy
    stmt = (
        sa.select(column, sa.func.count(sa.distinct(m.Participant.id)).label("n"))
        .select_from(m.Participant)
        .join(m.ParticipantRole, m.ParticipantRole.participant_id == m.Participant.id)
        .join(m.Organisation, m.Organisation.id == m.Participant.organisation_id)
        .outerjoin(
            m.Booth,
            (m.Booth.organisation_id == m.Organisation.id) & (m.Booth.fair_id == fair_id),
        )
        .outerjoin(m.Zone, m.Zone.id == m.Booth.zone_id)
        .where(m.Participant.fair_id == fair_id, m.ParticipantRole.role == "exhibitor")
        .group_by(column)
        .order_by(sa.desc("n"), column)
        .limit(top)
    )
    return [(name or "(none)", int(n)) for name, n in session.execute(stmt)]


def zones(session: Session, fair_id: int) -> list[str]:
    return list(
        session.scalars(
            sa.select(m.Zone.name).where(m.Zone.fair_id == fair_id).order_by(m.Zone.name)
        )
    )
