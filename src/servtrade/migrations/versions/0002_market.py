# ruff: noqa: E501, PLR0915
"""market: fairs, organisations, participants, offers, needs, listings, meetings, deals

Revision ID: 0002_market
Revises: 0001_foundation
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_market"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "market_fair",
        sa.Column("id", sa.Integer(), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_fair")),
    )
    op.create_table(
        "market_organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("economy", sa.String(length=3), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("size", sa.String(length=10), nullable=False),
        sa.Column("fortune_global_500", sa.Boolean(), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('enterprise', 'government', 'international_organisation', 'association')",
            name=op.f("ck_market_organisation_kind_valid"),
        ),
        sa.CheckConstraint(
            "size IN ('small', 'medium', 'large')", name=op.f("ck_market_organisation_size_valid")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_organisation")),
        sa.UniqueConstraint("external_id", name=op.f("uq_market_organisation_external_id")),
    )
    with op.batch_alter_table("market_organisation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_market_organisation_economy"), ["economy"], unique=False
        )

    op.create_table(
        "market_listing",
        sa.Column("id", sa.Integer(), nullable=False),
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
        sa.CheckConstraint(
            "category IN ('algorithm', 'logistics', 'payments', 'customs_clearance', 'inspection', 'digital_service', 'professional_service')",
            name=op.f("ck_market_listing_category_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["market_organisation.id"],
            name=op.f("fk_market_listing_organisation_id_market_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_listing")),
        sa.UniqueConstraint("external_id", name=op.f("uq_market_listing_external_id")),
    )
    with op.batch_alter_table("market_listing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_listing_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_market_listing_ebops"), ["ebops"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_market_listing_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "market_meeting_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_market_meeting_slot_positive")),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_meeting_slot_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_meeting_slot")),
        sa.UniqueConstraint(
            "fair_id", "starts_at", name=op.f("uq_market_meeting_slot_fair_id_starts_at")
        ),
    )
    with op.batch_alter_table("market_meeting_slot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_market_meeting_slot_fair_id"), ["fair_id"], unique=False
        )

    op.create_table(
        "market_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("person_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("consent_matchmaking", sa.Boolean(), nullable=False),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "visibility IN ('public', 'participants', 'hidden')",
            name=op.f("ck_market_participant_visibility_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_participant_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["market_organisation.id"],
            name=op.f("fk_market_participant_organisation_id_market_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_participant")),
        sa.UniqueConstraint(
            "fair_id", "external_id", name=op.f("uq_market_participant_fair_id_external_id")
        ),
    )
    with op.batch_alter_table("market_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_market_participant_fair_id"), ["fair_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_market_participant_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "market_partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=12), nullable=False),
        sa.Column("tier", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_partner_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["market_organisation.id"],
            name=op.f("fk_market_partner_organisation_id_market_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_partner")),
        sa.UniqueConstraint(
            "fair_id",
            "organisation_id",
            "sector",
            name=op.f("uq_market_partner_fair_id_organisation_id_sector"),
        ),
    )
    with op.batch_alter_table("market_partner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_partner_fair_id"), ["fair_id"], unique=False)

    op.create_table(
        "market_zone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("ebops", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_zone_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_zone")),
        sa.UniqueConstraint("fair_id", "name", name=op.f("uq_market_zone_fair_id_name")),
    )
    with op.batch_alter_table("market_zone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_zone_fair_id"), ["fair_id"], unique=False)

    op.create_table(
        "market_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('summit', 'exhibition', 'forum', 'conference', 'negotiation', 'award_ceremony')",
            name=op.f("ck_market_activity_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_activity_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["market_zone.id"],
            name=op.f("fk_market_activity_zone_id_market_zone"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_activity")),
    )
    with op.batch_alter_table("market_activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_activity_fair_id"), ["fair_id"], unique=False)

    op.create_table(
        "market_booth",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_booth_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["market_organisation.id"],
            name=op.f("fk_market_booth_organisation_id_market_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["market_zone.id"],
            name=op.f("fk_market_booth_zone_id_market_zone"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_booth")),
        sa.UniqueConstraint("fair_id", "code", name=op.f("uq_market_booth_fair_id_code")),
    )
    with op.batch_alter_table("market_booth", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_booth_fair_id"), ["fair_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_market_booth_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_market_booth_zone_id"), ["zone_id"], unique=False)

    op.create_table(
        "market_do_not_meet",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "participant_id <> other_id", name=op.f("ck_market_do_not_meet_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["market_participant.id"],
            name=op.f("fk_market_do_not_meet_other_id_market_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["market_participant.id"],
            name=op.f("fk_market_do_not_meet_participant_id_market_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_id", "other_id", name=op.f("pk_market_do_not_meet")),
    )
    op.create_table(
        "market_launch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("ebops", sa.String(length=12), nullable=True),
        sa.CheckConstraint(
            "kind IN ('product', 'achievement')", name=op.f("ck_market_launch_kind_valid")
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_launch_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["market_organisation.id"],
            name=op.f("fk_market_launch_organisation_id_market_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["market_zone.id"],
            name=op.f("fk_market_launch_zone_id_market_zone"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_launch")),
    )
    with op.batch_alter_table("market_launch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_launch_fair_id"), ["fair_id"], unique=False)

    op.create_table(
        "market_meeting_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('requested', 'accepted', 'declined', 'cancelled')",
            name=op.f("ck_market_meeting_request_status_valid"),
        ),
        sa.CheckConstraint(
            "requester_id <> recipient_id", name=op.f("ck_market_meeting_request_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_meeting_request_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["market_participant.id"],
            name=op.f("fk_market_meeting_request_recipient_id_market_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["market_participant.id"],
            name=op.f("fk_market_meeting_request_requester_id_market_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_meeting_request")),
        sa.UniqueConstraint(
            "requester_id",
            "recipient_id",
            name=op.f("uq_market_meeting_request_requester_id_recipient_id"),
        ),
    )
    with op.batch_alter_table("market_meeting_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_market_meeting_request_fair_id"), ["fair_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_market_meeting_request_recipient_id"), ["recipient_id"], unique=False
        )

    op.create_table(
        "market_meeting_table",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_meeting_table_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["market_zone.id"],
            name=op.f("fk_market_meeting_table_zone_id_market_zone"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_meeting_table")),
        sa.UniqueConstraint("fair_id", "name", name=op.f("uq_market_meeting_table_fair_id_name")),
    )
    with op.batch_alter_table("market_meeting_table", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_market_meeting_table_fair_id"), ["fair_id"], unique=False
        )

    op.create_table(
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
        sa.CheckConstraint(
            "size IN ('small', 'medium', 'large')", name=op.f("ck_market_need_size_valid")
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_need_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["market_participant.id"],
            name=op.f("fk_market_need_participant_id_market_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_need")),
        sa.UniqueConstraint(
            "fair_id", "external_id", name=op.f("uq_market_need_fair_id_external_id")
        ),
    )
    with op.batch_alter_table("market_need", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_need_ebops"), ["ebops"], unique=False)
        batch_op.create_index(batch_op.f("ix_market_need_fair_id"), ["fair_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_market_need_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
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
        sa.CheckConstraint(
            "size IN ('small', 'medium', 'large')", name=op.f("ck_market_offer_size_valid")
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_offer_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["market_participant.id"],
            name=op.f("fk_market_offer_participant_id_market_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_offer")),
        sa.UniqueConstraint(
            "fair_id", "external_id", name=op.f("uq_market_offer_fair_id_external_id")
        ),
    )
    with op.batch_alter_table("market_offer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_offer_ebops"), ["ebops"], unique=False)
        batch_op.create_index(batch_op.f("ix_market_offer_fair_id"), ["fair_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_market_offer_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "market_participant_role",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "role IN ('exhibitor', 'buyer', 'visitor', 'partner', 'speaker')",
            name=op.f("ck_market_participant_role_role_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["market_participant.id"],
            name=op.f("fk_market_participant_role_participant_id_market_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_id", "role", name=op.f("pk_market_participant_role")),
    )
    with op.batch_alter_table("market_participant_role", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_participant_role_role"), ["role"], unique=False)

    op.create_table(
        "market_zone_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["market_zone.id"],
            name=op.f("fk_market_zone_section_zone_id_market_zone"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_zone_section")),
        sa.UniqueConstraint("zone_id", "name", name=op.f("uq_market_zone_section_zone_id_name")),
    )
    with op.batch_alter_table("market_zone_section", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_market_zone_section_zone_id"), ["zone_id"], unique=False
        )

    op.create_table(
        "market_activity_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("room", sa.String(length=100), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["market_activity.id"],
            name=op.f("fk_market_activity_session_activity_id_market_activity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_activity_session")),
    )
    with op.batch_alter_table("market_activity_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_market_activity_session_activity_id"), ["activity_id"], unique=False
        )

    op.create_table(
        "market_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "status IN ('scheduled', 'held', 'no_show', 'cancelled')",
            name=op.f("ck_market_meeting_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_meeting_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["market_meeting_request.id"],
            name=op.f("fk_market_meeting_request_id_market_meeting_request"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["market_meeting_slot.id"],
            name=op.f("fk_market_meeting_slot_id_market_meeting_slot"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["market_meeting_table.id"],
            name=op.f("fk_market_meeting_table_id_market_meeting_table"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_meeting")),
        sa.UniqueConstraint("id", "slot_id", name="uq_market_meeting_id_slot"),
        sa.UniqueConstraint("request_id", name=op.f("uq_market_meeting_request_id")),
        sa.UniqueConstraint("slot_id", "table_id", name=op.f("uq_market_meeting_slot_id_table_id")),
    )
    with op.batch_alter_table("market_meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_meeting_fair_id"), ["fair_id"], unique=False)

    op.create_table(
        "market_deal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("ebops", sa.String(length=12), nullable=True),
        sa.Column("value", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "status IN ('intended', 'signed', 'cancelled')",
            name=op.f("ck_market_deal_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["buyer_id"],
            ["market_organisation.id"],
            name=op.f("fk_market_deal_buyer_id_market_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_market_deal_fair_id_market_fair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["market_meeting.id"],
            name=op.f("fk_market_deal_meeting_id_market_meeting"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["market_organisation.id"],
            name=op.f("fk_market_deal_seller_id_market_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_deal")),
    )
    with op.batch_alter_table("market_deal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_deal_fair_id"), ["fair_id"], unique=False)

    op.create_table(
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
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["market_participant.id"],
            name=op.f("fk_market_meeting_attendee_participant_id_market_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "meeting_id", "participant_id", name=op.f("pk_market_meeting_attendee")
        ),
        sa.UniqueConstraint(
            "slot_id",
            "participant_id",
            name=op.f("uq_market_meeting_attendee_slot_id_participant_id"),
        ),
    )
    with op.batch_alter_table("market_meeting_attendee", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_market_meeting_attendee_participant_id"),
            ["participant_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("market_meeting_attendee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_meeting_attendee_participant_id"))

    op.drop_table("market_meeting_attendee")
    with op.batch_alter_table("market_deal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_deal_fair_id"))

    op.drop_table("market_deal")
    with op.batch_alter_table("market_meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_meeting_fair_id"))

    op.drop_table("market_meeting")
    with op.batch_alter_table("market_activity_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_activity_session_activity_id"))

    op.drop_table("market_activity_session")
    with op.batch_alter_table("market_zone_section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_zone_section_zone_id"))

    op.drop_table("market_zone_section")
    with op.batch_alter_table("market_participant_role", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_participant_role_role"))

    op.drop_table("market_participant_role")
    with op.batch_alter_table("market_offer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_offer_participant_id"))
        batch_op.drop_index(batch_op.f("ix_market_offer_fair_id"))
        batch_op.drop_index(batch_op.f("ix_market_offer_ebops"))

    op.drop_table("market_offer")
    with op.batch_alter_table("market_need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_need_participant_id"))
        batch_op.drop_index(batch_op.f("ix_market_need_fair_id"))
        batch_op.drop_index(batch_op.f("ix_market_need_ebops"))

    op.drop_table("market_need")
    with op.batch_alter_table("market_meeting_table", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_meeting_table_fair_id"))

    op.drop_table("market_meeting_table")
    with op.batch_alter_table("market_meeting_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_meeting_request_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_market_meeting_request_fair_id"))

    op.drop_table("market_meeting_request")
    with op.batch_alter_table("market_launch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_launch_fair_id"))

    op.drop_table("market_launch")
    op.drop_table("market_do_not_meet")
    with op.batch_alter_table("market_booth", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_booth_zone_id"))
        batch_op.drop_index(batch_op.f("ix_market_booth_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_market_booth_fair_id"))

    op.drop_table("market_booth")
    with op.batch_alter_table("market_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_activity_fair_id"))

    op.drop_table("market_activity")
    with op.batch_alter_table("market_zone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_zone_fair_id"))

    op.drop_table("market_zone")
    with op.batch_alter_table("market_partner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_partner_fair_id"))

    op.drop_table("market_partner")
    with op.batch_alter_table("market_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_participant_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_market_participant_fair_id"))

    op.drop_table("market_participant")
    with op.batch_alter_table("market_meeting_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_meeting_slot_fair_id"))

    op.drop_table("market_meeting_slot")
    with op.batch_alter_table("market_listing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_listing_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_market_listing_ebops"))
        batch_op.drop_index(batch_op.f("ix_market_listing_category"))

    op.drop_table("market_listing")
    with op.batch_alter_table("market_organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_organisation_economy"))

    op.drop_table("market_organisation")
    op.drop_table("market_fair")
