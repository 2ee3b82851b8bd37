"""accounts: users, sessions, tokens, invitations, consent, audit

Revision ID: 0003_accounts
Revises: 0002_market
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_accounts"
down_revision = "0002_market"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_audit")),
    )
    with op.batch_alter_table("account_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_audit_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_audit_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_audit_at"), ["at"], unique=False)

    op.create_table(
        "account_contact_consent",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("share_contact", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["market_participant.id"],
            name=op.f("fk_account_contact_consent_participant_id_market_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_account_contact_consent")),
    )
    op.create_table(
        "account_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("fair_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("locale IN ('en', 'zh')", name=op.f("ck_account_user_locale_valid")),
        sa.CheckConstraint(
            "role IN ('admin', 'organiser', 'exhibitor', 'buyer', 'analyst', 'public')",
            name=op.f("ck_account_user_role_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_account_user_fair_id_market_fair"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["market_organisation.id"],
            name=op.f("fk_account_user_organisation_id_market_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["market_participant.id"],
            name=op.f("fk_account_user_participant_id_market_participant"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_user")),
        sa.UniqueConstraint("email", name=op.f("uq_account_user_email")),
    )
    with op.batch_alter_table("account_user", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_user_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_account_user_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_account_user_role"), ["role"], unique=False)

    op.create_table(
        "account_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("fair_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "role IN ('admin', 'organiser', 'exhibitor', 'buyer', 'analyst', 'public')",
            name=op.f("ck_account_invitation_role_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["account_user.id"],
            name=op.f("fk_account_invitation_created_by_account_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["market_fair.id"],
            name=op.f("fk_account_invitation_fair_id_market_fair"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["market_organisation.id"],
            name=op.f("fk_account_invitation_organisation_id_market_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["market_participant.id"],
            name=op.f("fk_account_invitation_participant_id_market_participant"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["used_by"],
            ["account_user.id"],
            name=op.f("fk_account_invitation_used_by_account_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_invitation")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_account_invitation_code_hash")),
    )
    op.create_table(
        "account_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf_secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["account_user.id"],
            name=op.f("fk_account_session_user_id_account_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_session")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_account_session_secret_hash")),
    )
    with op.batch_alter_table("account_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "account_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["account_user.id"],
            name=op.f("fk_account_token_user_id_account_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_token")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_account_token_secret_hash")),
    )
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_token_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_token_user_id"))

    op.drop_table("account_token")
    with op.batch_alter_table("account_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_session_user_id"))

    op.drop_table("account_session")
    op.drop_table("account_invitation")
    with op.batch_alter_table("account_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_user_role"))
        batch_op.drop_index(batch_op.f("ix_account_user_participant_id"))
        batch_op.drop_index(batch_op.f("ix_account_user_organisation_id"))

    op.drop_table("account_user")
    op.drop_table("account_contact_consent")
    with op.batch_alter_table("account_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_audit_at"))
        batch_op.drop_index(batch_op.f("ix_account_audit_actor_id"))
        batch_op.drop_index(batch_op.f("ix_account_audit_action"))

    op.drop_table("account_audit")
