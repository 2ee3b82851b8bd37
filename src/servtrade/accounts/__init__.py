"""Accounts, roles and hardening: who may do what, and a record of what they did.

- :mod:`.roles`: the closed vocabularies (roles, token scopes, audit actions).
- :mod:`.policy`: object permissions over plain values (``can(actor, action, resource)``).
- :mod:`.passwords`, :mod:`.signing`: argon2 hashes, HMAC signatures, random secrets.
- :mod:`.models`: the tables (users, sessions, API tokens, invitations, audit log, consent).
- :mod:`.registration`, :mod:`.sessions`, :mod:`.tokens`, :mod:`.admin`,
  :mod:`.personal_data`: the use cases; each owns its transaction.
- :mod:`.ratelimit`: an in-process sliding window per key.
"""
