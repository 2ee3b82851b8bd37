"""Random secrets, their SHA-256 digests, and HMAC signatures under ``SERVTRADE_SECRET_KEY``.

Only digests of session ids, API tokens and invitation codes are stored, so a copy of the
database does not let anyone sign in. Cookies carry an HMAC-SHA256 signature so a forged
value is refused before any database lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "st_"  # noqa: S105 - a marker that makes leaked tokens easy to spot, not a secret


def new_secret(nbytes: int = 32) -> str:
    """A URL-safe random secret (``nbytes`` of entropy)."""
    return secrets.token_urlsafe(nbytes)


def digest(secret: str) -> str:
    """The SHA-256 hex digest that is stored in place of ``secret``."""
    return hashlib.sha256(secret.encode()).hexdigest()


def sign(key: str, purpose: str, value: str) -> str:
    """An HMAC-SHA256 signature of ``value`` for one ``purpose`` (keys are never reused across)."""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def signed(key: str, purpose: str, value: str) -> str:
    """``value.signature`` for a cookie."""
    return f"{value}.{sign(key, purpose, value)}"


def unsigned(key: str, purpose: str, text: str | None) -> str | None:
    """The value of a ``signed`` text, or ``None`` when it is missing or tampered with."""
    if not text or "." not in text:
        return None
    value, _, signature = text.rpartition(".")
    if not hmac.compare_digest(signature, sign(key, purpose, value)):
        return None
    return value


def same(a: str, b: str) -> bool:
    """Constant-time equality of two strings."""
    return hmac.compare_digest(a.encode(), b.encode())
