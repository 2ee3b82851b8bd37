"""Idempotent upserts of parsed import rows by external id (the caller owns the transaction)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pydantic
import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.market import models as m
from servtrade.market.importer import Parsed, field, reject
from servtrade.market.schemas import ImportReport

CHUNK = 500
NEEDS_FAIR = {"participants", "offers", "needs"}


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _existing(session: Session, model: Any, ids: Sequence[str], *where: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for part in _chunks(ids):
        stmt = sa.select(model).where(model.external_id.in_(part), *where)
        if model is m.Participant:
            stmt = stmt.options(selectinload(m.Participant.roles))
        found.update({o.external_id: o for o in session.scalars(stmt)})
    return found


def _ids(
    session: Session, column: Any, key: Any, values: Sequence[str], *where: Any
) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in _chunks(sorted(set(values))):
        stmt = sa.select(column, key).where(column.in_(part), *where)
        found.update((row[0], row[1]) for row in session.execute(stmt))
    return found


def _apply(obj: Any, fields: dict[str, Any]) -> bool:
    """Set ``fields`` on ``obj``; True when anything changed."""
    changed = False
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _references(parsed: Parsed, column: str, known: dict[str, int], what: str) -> list[ErrorDetail]:
    return [
        ErrorDetail(
            f"no {what} with this external id",
            file=parsed.file,
            line=line,
            field=column,
            value=getattr(row, column),
            hint=f"import the {what}s first, or fix the id",
        )
        for line, row in parsed.rows
        if getattr(row, column) not in known
    ]


def _fields(kind: str, row: pydantic.BaseModel, refs: dict[str, int]) -> dict[str, Any]:
    data = row.model_dump()
    if kind in {"listings", "participants"}:
        data["organisation_id"] = refs[data.pop("organisation")]
    if kind in {"offers", "needs"}:
        data["participant_id"] = refs[data.pop("participant")]
    data.pop("roles", None)
    return data


def upsert(session: Session, parsed: Parsed, fair_id: int | None) -> ImportReport:
    """Insert new rows and update changed ones; unknown references reject the whole file."""
    kind = parsed.kind
    if kind in NEEDS_FAIR and fair_id is None:
        raise ValidationError(
            f"importing {kind} needs a fair",
            errors=[ErrorDetail("missing", field="fair")],
            hint="pass --fair ID",
        )
    model, refs = _target(session, parsed, fair_id)
    where = (model.fair_id == fair_id,) if kind in NEEDS_FAIR else ()
    existing = _existing(session, model, [field(r, "external_id") for _, r in parsed.rows], *where)
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    for _, row in parsed.rows:
        fields = _fields(kind, row, refs)
        if kind in NEEDS_FAIR:
            fields["fair_id"] = fair_id
        obj = existing.get(fields["external_id"])
        is_new = obj is None
        if obj is None:
            obj = model(**fields)
            session.add(obj)
            changed = True
        else:
            changed = _apply(obj, fields)
        if kind == "participants":
            changed = _roles(obj, list(field(row, "roles")), is_new) or changed
        counts["inserted" if is_new else ("updated" if changed else "unchanged")] += 1
    session.flush()
    return ImportReport(
        kind=kind, file=parsed.file, fair_id=fair_id, rows=len(parsed.rows), **counts
    )


def _roles(participant: m.Participant, roles: list[str], is_new: bool) -> bool:
    wanted = sorted(set(roles))
    if not is_new and sorted(r.role for r in participant.roles) == wanted:
        return False
    participant.roles = [m.ParticipantRole(role=r) for r in wanted]
    return True


def _target(session: Session, parsed: Parsed, fair_id: int | None) -> tuple[Any, dict[str, int]]:
    """The table of ``parsed.kind`` and the ids its references point to."""
    kind = parsed.kind
    if kind == "organisations":
        return m.Organisation, {}
    if kind in {"listings", "participants"}:
        wanted = [field(r, "organisation") for _, r in parsed.rows]
        refs = _ids(session, m.Organisation.external_id, m.Organisation.id, wanted)
        problems = _references(parsed, "organisation", refs, "organisation")
        model: Any = m.Listing if kind == "listings" else m.Participant
    else:
        wanted = [field(r, "participant") for _, r in parsed.rows]
        refs = _ids(
            session,
            m.Participant.external_id,
            m.Participant.id,
            wanted,
            m.Participant.fair_id == fair_id,
        )
        problems = _references(parsed, "participant", refs, "participant")
        model = m.Offer if kind == "offers" else m.Need
    if problems:
        raise reject(parsed.file, problems)
    return model, refs
