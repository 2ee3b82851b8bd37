"""Close-match suggestions for codes and names nobody recognises."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from servtrade.errors import ErrorDetail, UnknownCodeError

MAX_SUGGESTIONS = 5


def suggestions(
    text: str, candidates: Mapping[str, str], limit: int = MAX_SUGGESTIONS
) -> list[str]:
    """Up to ``limit`` display names whose key is close to ``text``.

    ``candidates`` maps a case-folded key (code, alias or name) to what should be shown for it;
    several keys may point to the same display name, which is then listed once.
    """
    query = text.strip().casefold()
    if not query:
        return []
    keys = difflib.get_close_matches(query, list(candidates), n=limit * 4, cutoff=0.6)
    keys += [k for k in candidates if len(query) >= 3 and k.startswith(query)]
    return _dedupe((candidates[k] for k in keys), limit)


def _dedupe(values: Iterable[str], limit: int) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
        if len(seen) == limit:
            break
    return seen


def unknown(
    kind: str, text: str, candidates: Mapping[str, str], what_to_do: str
) -> UnknownCodeError:
    """An :class:`UnknownCodeError` for ``text`` with close matches in message and hint."""
    close = suggestions(text, candidates)
    hint = ("did you mean: " + "; ".join(close) + "? ") if close else ""
    hint += what_to_do
    return UnknownCodeError(
        f"unknown {kind} {text!r}",
        errors=[ErrorDetail(f"is not a known {kind}", field=kind, value=text, hint=hint)],
        hint=hint,
    )
