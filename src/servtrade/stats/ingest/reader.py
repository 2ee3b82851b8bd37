"""What a reader hands to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Staged:
    """A SELECT producing the pipeline's STAGED columns, and the source column of each field."""

    sql: str
    columns: dict[str, str] = field(default_factory=dict)
    series: str | None = None
    # one staged row per data line (not so for an UNPIVOT): then a line count can show that
    # every row was stored, and the rejects pass is skipped
    one_row_per_line: bool = True
    # for a layout of plain columns (columns.py): the scale as SQL over ``unit_mult_raw``, which
    # lets the parallel path (parallel.py) read the file
    scale_sql: str | None = None
