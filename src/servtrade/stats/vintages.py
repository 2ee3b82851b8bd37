"""What the store records about vintages: manifests, write-aside folders, revisions, names."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from servtrade.errors import ErrorDetail, ValidationError

VINTAGE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Vintage:
    """One published vintage of a dataset, as its manifest records it."""

    dataset: str
    vintage: str
    created_at: str
    rows_read: int
    rows_stored: int
    rows_rejected: int
    rows_carried: int = 0
    sources: tuple[dict[str, Any], ...] = ()
    quarantine: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Staging:
    """A write-aside folder for one vintage in progress."""

    dataset: str
    vintage: str
    path: Path

    @property
    def data_file(self) -> Path:
        return self.path / "data.parquet"


@dataclass(frozen=True)
class Change:
    key: dict[str, Any]
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class Diff:
    """Revisions between two vintages: added, removed and changed observations."""

    dataset: str
    old: str
    new: str
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0


def check_vintage_name(vintage: str) -> str:
    if not VINTAGE_PATTERN.match(vintage):
        detail = ErrorDetail(
            "is not a usable vintage name",
            field="vintage",
            value=vintage,
            hint="use letters, digits, '.', '_' or '-' (at most 64)",
        )
        raise ValidationError(f"invalid vintage {vintage!r}", errors=[detail])
    return vintage


def new_vintage_name() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
