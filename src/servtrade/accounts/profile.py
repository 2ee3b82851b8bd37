"""Use cases on the caller's own account: read it, change the display name or language."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from servtrade.accounts.identity import Identity
from servtrade.accounts.models import User
from servtrade.accounts.schemas import AccountUpdate, UserPublic
from servtrade.db import transaction


def get_account(factory: sessionmaker[Session], identity: Identity) -> UserPublic:
    with factory() as session:
        return UserPublic.model_validate(session.get_one(User, identity.user_id))


def update_account(
    factory: sessionmaker[Session], identity: Identity, data: AccountUpdate
) -> UserPublic:
    """Change the fields given in ``data`` (``None`` keeps the current value)."""
    with transaction(factory) as session:
        user = session.get_one(User, identity.user_id)
        if data.display_name is not None:
            user.display_name = data.display_name
        if data.locale is not None:
            user.locale = data.locale
        return UserPublic.model_validate(user)
