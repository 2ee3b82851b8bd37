"""argon2 hashing, rehash on new parameters, strength rules, signing and digests."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, profiles

from servtrade.accounts.passwords import check_strength, hash_password, verify_password
from servtrade.accounts.signing import digest, same, sign, signed, unsigned
from servtrade.errors import ValidationError

from .support import cheap_hasher


def test_verify_accepts_the_password_and_rejects_others() -> None:
    hasher = cheap_hasher()
    stored = hash_password("a long passphrase", hasher)
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "a long passphrase", hasher) == (True, None)
    assert verify_password(stored, "a long passphrase!", hasher) == (False, None)
    assert verify_password("not a hash", "a long passphrase", hasher) == (False, None)
    assert verify_password(stored, "x" * 300, hasher) == (False, None)


def test_changed_parameters_give_a_new_hash() -> None:
    old = cheap_hasher()
    stored = hash_password("a long passphrase", old)
    stronger = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
    ok, new_hash = verify_password(stored, "a long passphrase", stronger)
    assert ok is True
    assert new_hash is not None and new_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(new_hash, "a long passphrase", stronger) == (True, None)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "the password is shorter than 10 characters"),
        ("a" * 300, "the password is longer than 256 characters"),
        ("abababababab", "the password repeats too few different characters"),
    ],
)
def test_weak_passwords_are_refused(password: str, problem: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_strength(password)
    assert (str(info.value.message), info.value.errors[0].field) == (problem, "password")


def test_signatures_and_digests() -> None:
    assert digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    token = signed("key", "session", "value")
    assert unsigned("key", "session", token) == "value"
    assert unsigned("other key", "session", token) is None
    assert unsigned("key", "csrf", token) is None  # a signature is bound to its purpose
    assert unsigned("key", "session", "value.0000") is None
    assert unsigned("key", "session", None) is None
    assert unsigned("key", "session", "novalue") is None
    assert len(sign("key", "csrf", "x")) == 64
    assert (same("a", "a"), same("a", "b")) == (True, False)
