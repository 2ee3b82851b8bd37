"""Reader for national headline releases written in the documented YAML format
(``docs/observatory.md``): one figure per entry, each citing a source by id.

Figures that conflict (same period, flow and item from different sources) are all kept, each
tagged with its source id in ``alternative``; nothing is picked silently."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pydantic
from pydantic import BaseModel, ConfigDict, Field, model_validator

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.stats.catalog import SCALES, Flow
from servtrade.stats.ingest.pipeline import STAGED
from servtrade.stats.ingest.reader import Staged
from servtrade.stats.located_yaml import Located, load_located, validation_details
from servtrade.stats.periods import parse_period

Scale = Literal["unit", "thousand", "million", "billion", "trillion"]


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    publisher: str = Field(min_length=1)
    title: str = Field(min_length=1)
    date: dt.date | str | None = None  # dt.date: a field named date shadows the type
    url: str | None = Field(None, pattern=r"^https?://")
    confidence: Literal["high", "medium", "low", "unverified"]
    note: str | None = None

    @model_validator(mode="after")
    def _url_unless_unverified(self) -> Source:
        if self.url is None and self.confidence != "unverified":
            raise ValueError("a source needs a url unless its confidence is 'unverified'")
        return self


class Figure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    period: str
    flow: Flow
    item: str = Field(min_length=1)
    value: float | None = None
    scale: Scale = "unit"
    currency: str = Field(pattern=r"^([A-Z]{3}|percent)$")
    growth_pct: float | None = None
    change: float | None = Field(None, description="change from a year earlier, same scale")
    source: str
    reporter: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _has_number(self) -> Figure:
        if self.value is None and self.growth_pct is None and self.change is None:
            raise ValueError("a figure needs a value, a growth_pct or a change")
        try:
            parse_period(self.period)
        except ValidationError as exc:  # as a pydantic error, so it gets the file and line
            raise ValueError(f"{exc.message} ({exc.errors[0].hint})") from None
        return self


class Releases(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    reporter: str
    sources: dict[str, Source]
    figures: list[Figure]


def load_releases(path: Path) -> tuple[Releases, Located]:
    doc = load_located(path)
    try:
        releases = Releases.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            f"invalid releases file {path.name}", errors=validation_details(exc, doc)
        ) from exc
    _check_sources(releases, doc)
    return releases, doc


def _check_sources(releases: Releases, doc: Located) -> None:
    details = []
    seen: dict[tuple[str, ...], int] = {}
    for index, fig in enumerate(releases.figures):
        where = doc.line_of(["figures", index])
        if fig.source not in releases.sources:
            details.append(
                ErrorDetail(
                    "names no source in 'sources'",
                    file=str(doc.path),
                    line=doc.line_of(["figures", index, "source"]),
                    field=f"figures.{index}.source",
                    value=fig.source,
                )
            )
        key = (
            fig.reporter or releases.reporter,
            fig.period,
            fig.flow,
            fig.item,
            fig.currency,
            fig.source,
        )
        if key in seen:
            details.append(
                ErrorDetail(
                    f"repeats the figure on line {seen[key]}",
                    file=str(doc.path),
                    line=where,
                    field=f"figures.{index}",
                    hint="one figure per period, flow, item, unit and source",
                )
            )
        seen[key] = where or 0
    if details:
        raise ValidationError(f"invalid releases file {doc.path.name}", errors=details)


def _row(fig: Figure, index: int, releases: Releases, doc: Located) -> dict[str, Any]:
    src = releases.sources[fig.source]
    return {
        "line": doc.line_of(["figures", index]),
        "reporter_raw": fig.reporter or releases.reporter,
        "partner_raw": "WLD",
        "item_raw": fig.item,
        "flow_raw": fig.flow,
        "period_raw": fig.period,
        "value_raw": None if fig.value is None else repr(fig.value),
        "growth_raw": None if fig.growth_pct is None else repr(fig.growth_pct),
        "change_raw": None if fig.change is None else repr(fig.change),
        "unit_raw": fig.currency,
        "scale": SCALES[fig.scale],
        "alternative": fig.source,
        "source_publisher": src.publisher,
        "source_title": src.title,
        "source_date": None if src.date is None else str(src.date),
        "source_url": src.url,
        "confidence": src.confidence,
        "note": fig.note or src.note,
    }


def releases_table(path: Path) -> pa.Table:
    releases, doc = load_releases(path)
    rows = [_row(f, i, releases, doc) for i, f in enumerate(releases.figures)]
    columns = {c: [r.get(c) for r in rows] for c in STAGED}
    types = {c: pa.string() for c in STAGED} | {"line": pa.int64(), "scale": pa.float64()}
    return pa.table({c: pa.array(v, type=types[c]) for c, v in columns.items()})


def staged() -> Staged:
    return Staged(
        sql="SELECT * FROM release_rows",
        columns={
            "reporter": "reporter",
            "item": "item",
            "flow": "flow",
            "period": "period",
            "value": "value",
        },
    )
