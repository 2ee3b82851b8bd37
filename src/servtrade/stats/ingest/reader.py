"""What a reader hands to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Staged:
    """A SELECT producing the pipeline's STAGED columns, and the source column of each field."""

    sql: str
    columns: dict[str, str] = field(default_factory=dict)
    series: str | None = None
