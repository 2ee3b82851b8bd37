"""The schema: migration 0002 matches the models; the database refuses double-booking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from servtrade.db import Base
from servtrade.market import models as m


def test_migration_creates_exactly_the_models(connection: Connection) -> None:
    def ours(name: str | None, kind: str, _parents: object) -> bool:
        return kind != "table" or bool(name and name.startswith("market_"))

    context = MigrationContext.configure(connection, opts={"include_name": ours})
    mine = sa.MetaData()
    for table in Base.metadata.sorted_tables:
        if table.name.startswith("market_"):
            table.to_metadata(mine)
    assert compare_metadata(context, mine) == []


def _two_meetings(session: Session, fair_id: int) -> tuple[m.Meeting, m.Meeting, list[int]]:
    people = list(
        session.scalars(
            sa.select(m.Participant.id).where(m.Participant.fair_id == fair_id).limit(3)
        )
    )
    start = datetime(2030, 1, 1, 9, tzinfo=UTC)
    slots = [
        m.MeetingSlot(
            fair_id=fair_id,
            starts_at=start + timedelta(hours=h),
            ends_at=start + timedelta(hours=h, minutes=30),
        )
        for h in range(2)
    ]
    tables = [m.MeetingTable(fair_id=fair_id, name=f"test-table-{n}") for n in range(2)]
    session.add_all(slots + tables)
    session.flush()
    first = m.Meeting(fair_id=fair_id, slot_id=slots[0].id, table_id=tables[0].id)
    second = m.Meeting(fair_id=fair_id, slot_id=slots[1].id, table_id=tables[1].id)
    session.add_all([first, second])
    session.flush()
    for meeting, pair in ((first, people[:2]), (second, people[1:3])):
        session.add_all(
            m.MeetingAttendee(meeting_id=meeting.id, participant_id=p, slot_id=meeting.slot_id)
            for p in pair
        )
    session.flush()
    return first, second, people


def test_a_participant_cannot_be_in_two_meetings_at_once(
    connection: Connection, base_fair: int
) -> None:
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        first, second, _ = _two_meetings(session, base_fair)
        # moving the second meeting into the first one's slot puts participant 2 there twice;
        # the attendees follow their meeting's slot (ON UPDATE CASCADE) and the key refuses it
        with pytest.raises(IntegrityError):
            session.execute(
                sa.update(m.Meeting).where(m.Meeting.id == second.id).values(slot_id=first.slot_id)
            )


def test_an_attendee_cannot_claim_another_slot_than_its_meeting(
    connection: Connection, base_fair: int
) -> None:
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        first, second, people = _two_meetings(session, base_fair)
        with pytest.raises(IntegrityError):
            session.add(
                m.MeetingAttendee(
                    meeting_id=first.id, participant_id=people[2], slot_id=second.slot_id
                )
            )
            session.flush()


def test_a_table_cannot_host_two_meetings_in_one_slot(
    connection: Connection, base_fair: int
) -> None:
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        first, _, _ = _two_meetings(session, base_fair)
        with pytest.raises(IntegrityError):
            session.add(
                m.Meeting(fair_id=base_fair, slot_id=first.slot_id, table_id=first.table_id)
            )
            session.flush()


def test_closed_vocabularies_are_checked_by_the_database(
    connection: Connection, base_fair: int
) -> None:
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        pid = session.scalars(sa.select(m.Participant.id).limit(1)).one()
        with pytest.raises(IntegrityError):
            session.add(m.ParticipantRole(participant_id=pid, role="juggler"))
            session.flush()


def test_row_dict_lists_the_columns(connection: Connection, base_fair: int) -> None:
    with Session(bind=connection) as session:
        fair = session.get(m.Fair, base_fair)
        assert fair is not None
        assert set(m.row_dict(fair)) == {c.name for c in m.Fair.__table__.columns}
