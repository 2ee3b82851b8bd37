"""Reading the claim checker's word tables (``data/claims/*.yaml``) and turning word lists
into regular expressions.

The tables are the domain knowledge (scale words, currencies, cue phrases, subjects); the
code only interprets them. A malformed table raises a :class:`DataFileError` naming the file,
the field and the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from servtrade.config import bundled_data_dir
from servtrade.errors import DataFileError, ErrorDetail


def table_path(name: str) -> Path:
    return bundled_data_dir() / "claims" / name


def table_error(
    path: Path, message: str, field: str | None = None, value: object = None
) -> DataFileError:
    shown = None if value is None else str(value)
    detail = ErrorDetail(
        message,
        file=str(path),
        field=field,
        value=shown,
        hint="fix the table; see data/claims/SOURCES.md for its layout",
    )
    return DataFileError(f"bad claim-checker table {path.name}: {detail.render()}", errors=[detail])


@cache
def load_table(name: str) -> Mapping[str, Any]:
    """The parsed YAML mapping of ``data/claims/<name>`` (cached)."""
    path = table_path(name)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise table_error(path, f"cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise table_error(path, f"is not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise table_error(path, "must be a mapping of named lists")
    return data


def entries(name: str, key: str) -> list[Mapping[str, Any]]:
    """The list ``key`` of table ``name``; each entry must be a mapping."""
    value = load_table(name).get(key)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise table_error(table_path(name), "must be a list of mappings", field=key)
    return value


def words(name: str, entry: Mapping[str, Any], key: str = "words") -> list[str]:
    """The word list ``key`` of one entry (non-empty strings)."""
    value = entry.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w for w in value):
        raise table_error(
            table_path(name), "must be a non-empty list of words", field=key, value=value
        )
    return value


def string_list(name: str, key: str) -> list[str]:
    """A top-level word list of table ``name``."""
    return words(name, load_table(name), key)


def _bounded(word: str) -> str:
    """A word as a regex; ASCII word ends get boundaries so "over" never matches "overall".

    The left boundary allows a digit, so "bn" is found in "$219.1bn".
    """
    body = r"\s+".join(re.escape(part) for part in word.split())
    if word[:1].isascii() and word[:1].isalnum():
        body = r"(?<![A-Za-z])" + body
    if word[-1:].isascii() and word[-1:].isalnum():
        body += r"(?![A-Za-z0-9])"
    return body


def alternation(items: Iterable[str]) -> str:
    """One regex group matching any of ``items``, longest first (so "billion" beats "bn")."""
    ordered = sorted(set(items), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(_bounded(w) for w in ordered) + ")"
