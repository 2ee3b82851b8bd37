"""Tables of the fair and the marketplace (SQLAlchemy 2 typed models on ``servtrade.db.Base``).

API shapes live in :mod:`servtrade.market.schemas`; these classes are storage only. Closed
vocabularies (roles, kinds, statuses) are check constraints so that both SQLite and
PostgreSQL refuse a bad value. Meetings carry a slot and a table, and the unique constraints
make double-booking a participant or a table impossible at the database level.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from servtrade.db import Base, utcnow

ROLES = ("exhibitor", "buyer", "visitor", "partner", "speaker")
ORGANISATION_KINDS = ("enterprise", "government", "international_organisation", "association")
SIZES = ("small", "medium", "large")
VISIBILITIES = ("public", "participants", "hidden")
ACTIVITY_KINDS = (
    "summit",
    "exhibition",
    "forum",
    "conference",
    "negotiation",
    "award_ceremony",
)
LAUNCH_KINDS = ("product", "achievement")
LISTING_CATEGORIES = (
    "algorithm",
    "logistics",
    "payments",
    "customs_clearance",
    "inspection",
    "digital_service",
    "professional_service",
)
REQUEST_STATUSES = ("requested", "accepted", "declined", "cancelled")
MEETING_STATUSES = ("scheduled", "held", "no_show", "cancelled")
DEAL_STATUSES = ("intended", "signed", "cancelled")


def one_of(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    """A check constraint that ``column`` holds one of ``values``."""
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=f"{column}_valid")


def _fk(target: str, ondelete: str = "CASCADE") -> sa.ForeignKey:
    return sa.ForeignKey(target, ondelete=ondelete)


class Fair(Base):
    """One edition of a services fair."""

    __tablename__ = "market_fair"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    edition: Mapped[int | None] = mapped_column()
    city: Mapped[str] = mapped_column(sa.String(100), default="")
    host_economy: Mapped[str | None] = mapped_column(sa.String(3))
    theme: Mapped[str] = mapped_column(sa.String(300), default="")
    starts_on: Mapped[date | None] = mapped_column()
    ends_on: Mapped[date | None] = mapped_column()
    synthetic: Mapped[bool] = mapped_column(default=False)
    seed: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Zone(Base):
    """A thematic zone of a fair (e.g. finance, telecommunications and information services)."""

    __tablename__ = "market_zone"
    __table_args__ = (sa.UniqueConstraint("fair_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    ebops: Mapped[str | None] = mapped_column(sa.String(12))


class ZoneSection(Base):
    __tablename__ = "market_zone_section"
    __table_args__ = (sa.UniqueConstraint("zone_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(_fk("market_zone.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))


class Activity(Base):
    """A summit, forum, conference, negotiation, award ceremony or exhibition of a fair."""

    __tablename__ = "market_activity"
    __table_args__ = (one_of("kind", ACTIVITY_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    zone_id: Mapped[int | None] = mapped_column(_fk("market_zone.id", "SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(300))
    starts_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ActivitySession(Base):
    __tablename__ = "market_activity_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(_fk("market_activity.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    room: Mapped[str] = mapped_column(sa.String(100), default="")
    starts_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Organisation(Base):
    """An enterprise, government body, international organisation or association."""

    __tablename__ = "market_organisation"
    __table_args__ = (one_of("kind", ORGANISATION_KINDS), one_of("size", SIZES))

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(sa.String(100), unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    economy: Mapped[str | None] = mapped_column(sa.String(3), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30), default="enterprise")
    size: Mapped[str] = mapped_column(sa.String(10), default="medium")
    fortune_global_500: Mapped[bool] = mapped_column(default=False)
    sectors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    synthetic: Mapped[bool] = mapped_column(default=False)


class Participant(Base):
    """A person at a fair for an organisation, with roles, consent and visibility."""

    __tablename__ = "market_participant"
    __table_args__ = (
        sa.UniqueConstraint("fair_id", "external_id"),
        one_of("visibility", VISIBILITIES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    external_id: Mapped[str] = mapped_column(sa.String(100))
    person_name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    organisation_id: Mapped[int] = mapped_column(_fk("market_organisation.id"), index=True)
    consent_matchmaking: Mapped[bool] = mapped_column(default=True)
    visibility: Mapped[str] = mapped_column(sa.String(20), default="public")

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    roles: Mapped[list[ParticipantRole]] = relationship(lazy="raise", cascade="all, delete-orphan")


class ParticipantRole(Base):
    __tablename__ = "market_participant_role"
    __table_args__ = (one_of("role", ROLES),)

    participant_id: Mapped[int] = mapped_column(_fk("market_participant.id"), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True, index=True)


class Booth(Base):
    __tablename__ = "market_booth"
    __table_args__ = (sa.UniqueConstraint("fair_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    zone_id: Mapped[int | None] = mapped_column(_fk("market_zone.id", "SET NULL"), index=True)
    organisation_id: Mapped[int] = mapped_column(_fk("market_organisation.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(30))


class Partner(Base):
    """An organisation partnering the fair for a sector (EBOPS code)."""

    __tablename__ = "market_partner"
    __table_args__ = (sa.UniqueConstraint("fair_id", "organisation_id", "sector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(_fk("market_organisation.id"))
    sector: Mapped[str] = mapped_column(sa.String(12))
    tier: Mapped[str] = mapped_column(sa.String(30), default="partner")


class Launch(Base):
    """A new product or achievement launched at the fair."""

    __tablename__ = "market_launch"
    __table_args__ = (one_of("kind", LAUNCH_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(_fk("market_organisation.id"))
    zone_id: Mapped[int | None] = mapped_column(_fk("market_zone.id", "SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(20), default="product")
    title: Mapped[str] = mapped_column(sa.String(300))
    ebops: Mapped[str | None] = mapped_column(sa.String(12))


class _ServiceItem:
    """Columns shared by offers and needs: which service, by which modes, to or from where."""

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(sa.String(100))
    ebops: Mapped[str] = mapped_column(sa.String(12), index=True)
    w120: Mapped[str | None] = mapped_column(sa.String(20))
    modes: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    markets: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    size: Mapped[str] = mapped_column(sa.String(10), default="medium")


class Offer(_ServiceItem, Base):
    """A service an exhibitor offers; ``markets`` are the target markets (empty = any)."""

    __tablename__ = "market_offer"
    __table_args__ = (sa.UniqueConstraint("fair_id", "external_id"), one_of("size", SIZES))

    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    participant_id: Mapped[int] = mapped_column(_fk("market_participant.id"), index=True)


class Need(_ServiceItem, Base):
    """A service a buyer needs; ``markets`` are acceptable origin markets (empty = any)."""

    __tablename__ = "market_need"
    __table_args__ = (sa.UniqueConstraint("fair_id", "external_id"), one_of("size", SIZES))

    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    participant_id: Mapped[int] = mapped_column(_fk("market_participant.id"), index=True)


class Listing(Base):
    """A standing marketplace entry: an algorithm, logistics, payments, customs service..."""

    __tablename__ = "market_listing"
    __table_args__ = (one_of("category", LISTING_CATEGORIES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(sa.String(100), unique=True)
    organisation_id: Mapped[int] = mapped_column(_fk("market_organisation.id"), index=True)
    category: Mapped[str] = mapped_column(sa.String(30), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    ebops: Mapped[str | None] = mapped_column(sa.String(12), index=True)
    modes: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    markets: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str | None] = mapped_column(sa.String(500))
    synthetic: Mapped[bool] = mapped_column(default=False)


class MeetingRequest(Base):
    """One participant asks to meet another; mutual interest is two requests."""

    __tablename__ = "market_meeting_request"
    __table_args__ = (
        sa.UniqueConstraint("requester_id", "recipient_id"),
        sa.CheckConstraint("requester_id <> recipient_id", name="not_self"),
        one_of("status", REQUEST_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    requester_id: Mapped[int] = mapped_column(_fk("market_participant.id"))
    recipient_id: Mapped[int] = mapped_column(_fk("market_participant.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="requested")
    message: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class DoNotMeet(Base):
    """``participant_id`` does not want to be matched with ``other_id``."""

    __tablename__ = "market_do_not_meet"
    __table_args__ = (sa.CheckConstraint("participant_id <> other_id", name="not_self"),)

    participant_id: Mapped[int] = mapped_column(_fk("market_participant.id"), primary_key=True)
    other_id: Mapped[int] = mapped_column(_fk("market_participant.id"), primary_key=True)


class MeetingSlot(Base):
    __tablename__ = "market_meeting_slot"
    __table_args__ = (
        sa.UniqueConstraint("fair_id", "starts_at"),
        sa.CheckConstraint("ends_at > starts_at", name="positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class MeetingTable(Base):
    """A place where meetings happen (a numbered table in a zone's negotiation area)."""

    __tablename__ = "market_meeting_table"
    __table_args__ = (sa.UniqueConstraint("fair_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    zone_id: Mapped[int | None] = mapped_column(_fk("market_zone.id", "SET NULL"))


class Meeting(Base):
    """A meeting at a slot and table; unique ``(slot_id, table_id)``: no table double-booked."""

    __tablename__ = "market_meeting"
    __table_args__ = (
        sa.UniqueConstraint("slot_id", "table_id"),
        # target of the attendees' composite key, so an attendee row always has its meeting's slot
        sa.UniqueConstraint("id", "slot_id", name="uq_market_meeting_id_slot"),
        one_of("status", MEETING_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(
        _fk("market_meeting_request.id", "SET NULL"), unique=True
    )
    slot_id: Mapped[int] = mapped_column(_fk("market_meeting_slot.id"))
    table_id: Mapped[int] = mapped_column(_fk("market_meeting_table.id"))
    status: Mapped[str] = mapped_column(sa.String(20), default="scheduled")


class MeetingAttendee(Base):
    """A participant in a meeting; ``(slot_id, participant_id)`` is unique: nobody double-booked.

    ``slot_id`` copies the meeting's slot through a composite foreign key with ON UPDATE
    CASCADE, so moving a meeting re-checks every attendee's other meetings.
    """

    __tablename__ = "market_meeting_attendee"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["meeting_id", "slot_id"],
            ["market_meeting.id", "market_meeting.slot_id"],
            name="fk_market_meeting_attendee_meeting_slot",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.UniqueConstraint("slot_id", "participant_id"),
    )

    meeting_id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        _fk("market_participant.id"), primary_key=True, index=True
    )
    slot_id: Mapped[int] = mapped_column()
    attended: Mapped[bool | None] = mapped_column()


class Deal(Base):
    """A deal intended or signed at the fair, between a seller and a buyer organisation."""

    __tablename__ = "market_deal"
    __table_args__ = (one_of("status", DEAL_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(_fk("market_fair.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(_fk("market_meeting.id", "SET NULL"))
    seller_id: Mapped[int] = mapped_column(_fk("market_organisation.id"))
    buyer_id: Mapped[int] = mapped_column(_fk("market_organisation.id"))
    ebops: Mapped[str | None] = mapped_column(sa.String(12))
    value: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 2))
    currency: Mapped[str] = mapped_column(sa.String(3), default="USD")
    status: Mapped[str] = mapped_column(sa.String(20), default="intended")


def row_dict(obj: Any) -> dict[str, Any]:
    """The column values of a model instance (for schemas and exports)."""
    return {c.key: getattr(obj, c.key) for c in sa.inspect(obj).mapper.column_attrs}
