"""Password hashing with argon2id (argon2-cffi), with rehashing when the parameters change."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from servtrade.errors import ErrorDetail, ValidationError

# NIST SP 800-63B section 5.1.1.2: at least 8 characters; we ask for 10. The upper bound keeps
# a single login from costing unbounded hashing time.
MIN_LENGTH = 10
MAX_LENGTH = 256


def default_hasher() -> PasswordHasher:
    """argon2id with the library's defaults (RFC 9106 low-memory profile)."""
    return PasswordHasher()


def check_strength(password: str) -> None:
    """Refuse passwords that are too short, too long or trivially the same character."""
    problem = None
    if len(password) < MIN_LENGTH:
        problem = f"is shorter than {MIN_LENGTH} characters"
    elif len(password) > MAX_LENGTH:
        problem = f"is longer than {MAX_LENGTH} characters"
    elif len(set(password)) < 3:
        problem = "repeats too few different characters"
    if problem:
        raise ValidationError(
            f"the password {problem}",
            errors=[ErrorDetail(f"password {problem}", field="password")],
            hint="choose a longer passphrase, for example four unrelated words",
        )


def hash_password(password: str, hasher: PasswordHasher) -> str:
    return hasher.hash(password)


def verify_password(stored: str, password: str, hasher: PasswordHasher) -> tuple[bool, str | None]:
    """``(matches, new_hash)``; ``new_hash`` is set when the stored hash's parameters are stale."""
    if len(password) > MAX_LENGTH or not stored:
        return False, None
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if hasher.check_needs_rehash(stored):
        return True, hasher.hash(password)
    return True, None
