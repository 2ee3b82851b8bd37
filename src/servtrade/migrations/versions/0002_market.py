"""market: fairs, organisations, participants, offers, needs, listings, meetings, deals

Revision ID: 0002_market
Revises: 0001_foundation
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from servtrade.migrations.ddl import check, fk, indexes, table, unique

revision = "0002_market"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

# in order of creation; the downgrade drops them (and their indexes) in reverse
TABLES = """
market_fair market_organisation market_listing market_meeting_slot market_participant
market_partner market_zone market_activity market_booth market_do_not_meet market_launch
market_meeting_request market_meeting_table market_need market_offer
market_participant_role market_zone_section market_activity_session market_meeting
market_deal market_meeting_attendee
""".split()  # noqa: SIM905 - a word list reads better


def upgrade() -> None:
    table(
        "market_fair",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("host_economy", sa.String(length=3), nullable=True),
        sa.Column("theme", sa.String(length=300), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    table(
        "market_organisation",
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("economy", sa.String(length=3), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("size", sa.String(length=10), nullable=False),
        sa.Column("fortune_global_500", sa.Boolean(), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        check(
            "market_organisation",
            "kind_valid",
            "kind IN ('enterprise', 'government', 'international_organisation', 'association')",
        ),
        check("market_organisation", "size_valid", "size IN ('small', 'medium', 'large')"),
        unique("market_organisation", "external_id"),
    )
    indexes("market_organisation", "economy")

    table(
        "market_listing",
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("ebops", sa.String(length=12), nullable=True),
        sa.Column("modes", sa.JSON(), nullable=False),
        sa.Column("markets", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        check(
            "market_listing",
            "category_valid",
            "category IN ('algorithm', 'logistics', 'payments', 'customs_clearance', 'inspection', 'digital_service', 'professional_service')",  # noqa: E501
        ),
        fk("market_listing", "organisation_id", "market_organisation"),
        unique("market_listing", "external_id"),
    )
    indexes("market_listing", "category", "ebops", "organisation_id")

    table(
        "market_meeting_slot",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        check("market_meeting_slot", "positive", "ends_at > starts_at"),
        fk("market_meeting_slot", "fair_id", "market_fair"),
        unique("market_meeting_slot", "fair_id", "starts_at"),
    )
    indexes("market_meeting_slot", "fair_id")

    table(
        "market_participant",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("person_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("consent_matchmaking", sa.Boolean(), nullable=False),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        check(
            "market_participant",
            "visibility_valid",
            "visibility IN ('public', 'participants', 'hidden')",
        ),
        fk("market_participant", "fair_id", "market_fair"),
        fk("market_participant", "organisation_id", "market_organisation"),
        unique("market_participant", "fair_id", "external_id"),
    )
    indexes("market_participant", "fair_id", "organisation_id")

    table(
        "market_partner",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=12), nullable=False),
        sa.Column("tier", sa.String(length=30), nullable=False),
        fk("market_partner", "fair_id", "market_fair"),
        fk("market_partner", "organisation_id", "market_organisation"),
        unique("market_partner", "fair_id", "organisation_id", "sector"),
    )
    indexes("market_partner", "fair_id")

    table(
        "market_zone",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("ebops", sa.String(length=12), nullable=True),
        fk("market_zone", "fair_id", "market_fair"),
        unique("market_zone", "fair_id", "name"),
    )
    indexes("market_zone", "fair_id")

    table(
        "market_activity",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        check(
            "market_activity",
            "kind_valid",
            "kind IN ('summit', 'exhibition', 'forum', 'conference', 'negotiation', 'award_ceremony')",  # noqa: E501
        ),
        fk("market_activity", "fair_id", "market_fair"),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["market_zone.id"],
            name=op.f("fk_market_activity_zone_id_market_zone"),
            ondelete="SET NULL",
        ),
    )
    indexes("market_activity", "fair_id")

    table(
        "market_booth",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        fk("market_booth", "fair_id", "market_fair"),
        fk("market_booth", "organisation_id", "market_organisation"),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["market_zone.id"],
            name=op.f("fk_market_booth_zone_id_market_zone"),
            ondelete="SET NULL",
        ),
        unique("market_booth", "fair_id", "code"),
    )
    indexes("market_booth", "fair_id", "organisation_id", "zone_id")

    table(
        "market_do_not_meet",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        check("market_do_not_meet", "not_self", "participant_id <> other_id"),
        fk("market_do_not_meet", "other_id", "market_participant"),
        fk("market_do_not_meet", "participant_id", "market_participant"),
        key=(
            "participant_id",
            "other_id",
        ),
    )
    table(
        "market_launch",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("ebops", sa.String(length=12), nullable=True),
        check("market_launch", "kind_valid", "kind IN ('product', 'achievement')"),
        fk("market_launch", "fair_id", "market_fair"),
        fk("market_launch", "organisation_id", "market_organisation"),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["market_zone.id"],
            name=op.f("fk_market_launch_zone_id_market_zone"),
            ondelete="SET NULL",
        ),
    )
    indexes("market_launch", "fair_id")

    table(
        "market_meeting_request",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        check(
            "market_meeting_request",
            "status_valid",
            "status IN ('requested', 'accepted', 'declined', 'cancelled')",
        ),
        check("market_meeting_request", "not_self", "requester_id <> recipient_id"),
        fk("market_meeting_request", "fair_id", "market_fair"),
        fk("market_meeting_request", "recipient_id", "market_participant"),
        fk("market_meeting_request", "requester_id", "market_participant"),
        unique("market_meeting_request", "requester_id", "recipient_id"),
    )
    indexes("market_meeting_request", "fair_id", "recipient_id")

    table(
        "market_meeting_table",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        fk("market_meeting_table", "fair_id", "market_fair"),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["market_zone.id"],
            name=op.f("fk_market_meeting_table_zone_id_market_zone"),
            ondelete="SET NULL",
        ),
        unique("market_meeting_table", "fair_id", "name"),
    )
    indexes("market_meeting_table", "fair_id")

    table(
        "market_need",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("ebops", sa.String(length=12), nullable=False),
        sa.Column("w120", sa.String(length=20), nullable=True),
        sa.Column("modes", sa.JSON(), nullable=False),
        sa.Column("markets", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("size", sa.String(length=10), nullable=False),
        check("market_need", "size_valid", "size IN ('small', 'medium', 'large')"),
        fk("market_need", "fair_id", "market_fair"),
        fk("market_need", "participant_id", "market_participant"),
        unique("market_need", "fair_id", "external_id"),
    )
    indexes("market_need", "ebops", "fair_id", "participant_id")

    table(
        "market_offer",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("ebops", sa.String(length=12), nullable=False),
        sa.Column("w120", sa.String(length=20), nullable=True),
        sa.Column("modes", sa.JSON(), nullable=False),
        sa.Column("markets", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("size", sa.String(length=10), nullable=False),
        check("market_offer", "size_valid", "size IN ('small', 'medium', 'large')"),
        fk("market_offer", "fair_id", "market_fair"),
        fk("market_offer", "participant_id", "market_participant"),
        unique("market_offer", "fair_id", "external_id"),
    )
    indexes("market_offer", "ebops", "fair_id", "participant_id")

    table(
        "market_participant_role",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        check(
            "market_participant_role",
            "role_valid",
            "role IN ('exhibitor', 'buyer', 'visitor', 'partner', 'speaker')",
        ),
        fk("market_participant_role", "participant_id", "market_participant"),
        key=(
            "participant_id",
            "role",
        ),
    )
    indexes("market_participant_role", "role")

    table(
        "market_zone_section",
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        fk("market_zone_section", "zone_id", "market_zone"),
        unique("market_zone_section", "zone_id", "name"),
    )
    indexes("market_zone_section", "zone_id")

    table(
        "market_activity_session",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("room", sa.String(length=100), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        fk("market_activity_session", "activity_id", "market_activity"),
    )
    indexes("market_activity_session", "activity_id")

    table(
        "market_meeting",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        check(
            "market_meeting",
            "status_valid",
            "status IN ('scheduled', 'held', 'no_show', 'cancelled')",
        ),
        fk("market_meeting", "fair_id", "market_fair"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["market_meeting_request.id"],
            name=op.f("fk_market_meeting_request_id_market_meeting_request"),
            ondelete="SET NULL",
        ),
        fk("market_meeting", "slot_id", "market_meeting_slot"),
        fk("market_meeting", "table_id", "market_meeting_table"),
        sa.UniqueConstraint("id", "slot_id", name="uq_market_meeting_id_slot"),
        unique("market_meeting", "request_id"),
        unique("market_meeting", "slot_id", "table_id"),
    )
    indexes("market_meeting", "fair_id")

    table(
        "market_deal",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("ebops", sa.String(length=12), nullable=True),
        sa.Column("value", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        check("market_deal", "status_valid", "status IN ('intended', 'signed', 'cancelled')"),
        fk("market_deal", "buyer_id", "market_organisation"),
        fk("market_deal", "fair_id", "market_fair"),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["market_meeting.id"],
            name=op.f("fk_market_deal_meeting_id_market_meeting"),
            ondelete="SET NULL",
        ),
        fk("market_deal", "seller_id", "market_organisation"),
    )
    indexes("market_deal", "fair_id")

    table(
        "market_meeting_attendee",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id", "slot_id"],
            ["market_meeting.id", "market_meeting.slot_id"],
            name="fk_market_meeting_attendee_meeting_slot",
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        fk("market_meeting_attendee", "participant_id", "market_participant"),
        unique("market_meeting_attendee", "slot_id", "participant_id"),
        key=(
            "meeting_id",
            "participant_id",
        ),
    )
    indexes("market_meeting_attendee", "participant_id")


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
