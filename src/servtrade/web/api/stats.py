"""``/api/stats``: the observatory over HTTP, mirroring ``servtrade stats`` (datasets, vintages,
diff, query of every indicator, one economy's series), with pagination and row caps.

A thin skin over :mod:`servtrade.stats`; failures are ServtradeErrors that the app renders in the
one JSON error shape. ``POST /api/stats/check`` (the claim checker) lives in ``api/claims.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from servtrade.stats.catalog import get_dataset
from servtrade.stats.overview import dataset_status, series_view
from servtrade.stats.pool import kept_answer, kept_store
from servtrade.stats.queries import INDICATORS, run_indicator
from servtrade.stats.results import Observation, Result
from servtrade.stats.results import Query as StatsQuery
from servtrade.stats.vintages import Change, Vintage
from servtrade.web.deps import SettingsDep

router = APIRouter(prefix="/api/stats", tags=["stats"])

MAX_LIMIT = 500  # rows per page: a page stays small whatever the caller asks
MAX_OFFSET = 10_000_000
MAX_TOP = 1000
T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page (1-{MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]
Text = Annotated[str, Query(min_length=1, max_length=80)]
OptionalText = Annotated[str | None, Query(min_length=1, max_length=80)]
Flow = Literal["exports", "imports", "balance", "total"]
Year = Annotated[int | None, Query(ge=1900, le=2100)]
Indicator = Literal[
    "value",
    "yoy",
    "cagr",
    "balance",
    "change",
    "share",
    "share-of-total",
    "aggregate",
    "rank",
    "rca",
    "hhi",
    "contribution",
    "mirror",
]
assert set(Indicator.__args__) == set(INDICATORS)  # type: ignore[attr-defined]


class DatasetPublic(BaseModel):
    id: str
    title: str
    publisher: str
    source_url: str
    licence: str
    layout: str
    unit: str
    latest_vintage: str | None = Field(description="None when the store holds no vintage")
    created_at: str | None
    rows: int = Field(description="observations in the latest vintage")


class SourceFilePublic(BaseModel):
    """A file a vintage was read from (its name only: server paths are not shown)."""

    file: str
    sha256: str | None
    layout: str | None
    series: str | None
    encoding: str | None


class VintagePublic(BaseModel):
    dataset: str
    vintage: str
    created_at: str
    rows_read: int
    rows_stored: int
    rows_rejected: int = Field(description="rows written to the quarantine file")
    rows_carried: int = Field(description="rows carried from the previous vintage (slices)")
    sources: list[SourceFilePublic]


class VintagesPage(BaseModel):
    dataset: str
    total: int
    limit: int
    offset: int
    vintages: list[VintagePublic]


class ChangePublic(BaseModel):
    change: Literal["added", "removed", "changed"]
    reporter: str | None
    partner: str | None
    item: str | None
    flow: str | None
    period: str | None
    alternative: str | None
    before: float | None
    after: float | None
    delta: float | None


class DiffPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    dataset: str
    from_: str = Field(alias="from")
    to: str
    added: int
    removed: int
    changed: int
    unchanged: int
    total: int = Field(description="revisions (added + removed + changed)")
    limit: int
    offset: int
    rows: list[ChangePublic]


class SourcePublic(BaseModel):
    publisher: str | None
    title: str | None
    date: str | None
    url: str | None
    confidence: str | None


class ObservationPublic(BaseModel):
    dataset: str
    vintage: str
    reporter: str
    partner: str
    item: str
    flow: str
    period: str
    period_type: str
    value: float | None
    unit: str
    growth_pct: float | None
    alternative: str | None
    source: SourcePublic | None = Field(description="the published source of a release figure")
    line: int | None = Field(description="line of the file the value was read from")
    conversion: dict[str, Any] | None = Field(
        None, description="original unit and value, and the exchange rates used"
    )


class ResultPublic(BaseModel):
    indicator: str
    reporter: str
    partner: str
    item: str
    flow: str
    period: str
    value: float | None
    unit: str
    display: str
    dataset: str
    vintage: str
    alternative: str | None
    formula: str
    extra: dict[str, Any]
    inputs: list[ObservationPublic] | None = Field(description="with explain=true")


class QueryPage(BaseModel):
    indicator: str
    total: int
    limit: int
    offset: int
    results: list[ResultPublic]


class SeriesRowPublic(ObservationPublic):
    display: str
    growth_basis: str | None = Field(description="'computed on <period>' or 'as published'")
    source_text: str


class SeriesPublic(BaseModel):
    reporter: str
    reporter_name: str
    item: str
    item_label: str
    flow: str
    unit: str | None
    units: list[str] = Field(description="units the series has values in")
    total: int
    limit: int
    offset: int
    rows: list[SeriesRowPublic]


def _page(rows: list[T], limit: int, offset: int) -> list[T]:
    return rows[offset : offset + limit]


def _observation(o: Observation) -> dict[str, Any]:
    return {**o.__dict__, "source": o.source}


def _result(r: Result, explain: bool) -> ResultPublic:
    inputs = [ObservationPublic(**_observation(o)) for o in r.inputs] if explain else None
    return ResultPublic(**r.row(), formula=r.formula, extra=r.extra, inputs=inputs)


def _vintage(v: Vintage) -> VintagePublic:
    sources = [
        SourceFilePublic(
            file=Path(str(s.get("file", ""))).name,
            sha256=s.get("sha256"),
            layout=s.get("layout"),
            series=s.get("series"),
            encoding=s.get("encoding"),
        )
        for s in v.sources
    ]
    data = v.to_dict()
    return VintagePublic(
        **{k: data[k] for k in VintagePublic.model_fields if k != "sources"}, sources=sources
    )


def _change(kind: Literal["added", "removed", "changed"], c: Change) -> ChangePublic:
    key = {k: None if v is None else str(v) for k, v in c.key.items()}
    return ChangePublic(change=kind, **key, before=c.before, after=c.after, delta=c.delta)


@router.get("/datasets", response_model=list[DatasetPublic], summary="The catalog and the store")
def datasets(settings: SettingsDep) -> list[DatasetPublic]:
    """Every dataset of the catalog with its latest vintage (None when not loaded)."""
    with kept_store(settings) as store:
        return [DatasetPublic(**d.to_dict()) for d in dataset_status(store)]


@router.get("/datasets/{dataset}/vintages", response_model=VintagesPage, summary="Vintages")
def vintages(
    dataset: Annotated[str, PathParam(max_length=64)],
    settings: SettingsDep,
    limit: Limit = 100,
    offset: Offset = 0,
) -> VintagesPage:
    """Published vintages of a dataset, oldest first."""
    with kept_store(settings) as store:
        found = store.vintages(get_dataset(dataset).id)
    return VintagesPage(
        dataset=dataset,
        total=len(found),
        limit=limit,
        offset=offset,
        vintages=[_vintage(v) for v in _page(found, limit, offset)],
    )


@router.get("/datasets/{dataset}/diff", response_model=DiffPublic, summary="Revisions")
def diff(  # noqa: PLR0917 - path, settings and query parameters
    dataset: Annotated[str, PathParam(max_length=64)],
    settings: SettingsDep,
    old: Annotated[str, Query(alias="from", min_length=1, max_length=64)],
    new: Annotated[str, Query(alias="to", min_length=1, max_length=64)],
    limit: Limit = 100,
    offset: Offset = 0,
) -> DiffPublic:
    """Observations added, removed and changed from vintage ``from`` to ``to``."""
    with kept_store(settings) as store:
        found = store.diff(get_dataset(dataset).id, old, new)
    rows = [
        *[_change("added", c) for c in found.added],
        *[_change("removed", c) for c in found.removed],
        *[_change("changed", c) for c in found.changed],
    ]
    return DiffPublic(
        dataset=dataset,
        from_=old,
        to=new,
        added=len(found.added),
        removed=len(found.removed),
        changed=len(found.changed),
        unchanged=found.unchanged,
        total=len(rows),
        limit=limit,
        offset=offset,
        rows=_page(rows, limit, offset),
    )


@router.get("/indicators", response_model=list[str], summary="Indicator names")
def indicators() -> list[str]:
    return list(INDICATORS)


@router.get("/query/{indicator}", response_model=QueryPage, summary="Compute an indicator")
def query(  # noqa: PLR0917 - one parameter per CLI option
    indicator: Indicator,
    settings: SettingsDep,
    reporter: Text,
    partner: Text = "WLD",
    item: Text = "S",
    flow: Flow = "exports",
    period: Annotated[str | None, Query(min_length=4, max_length=24)] = None,
    start: Annotated[Year, Query(alias="from")] = None,
    end: Annotated[Year, Query(alias="to")] = None,
    dataset: Annotated[str | None, Query(max_length=64)] = None,
    unit: Annotated[str | None, Query(max_length=16)] = None,
    convert: Annotated[
        bool, Query(description="With unit: convert other currencies with loaded rates.")
    ] = False,
    by: Literal["reporter", "partner", "item"] = "reporter",
    top: Annotated[int, Query(ge=1, le=MAX_TOP)] = 10,
    explain: bool = False,
    limit: Limit = 100,
    offset: Offset = 0,
) -> QueryPage:
    """Every row carries dataset, vintage and unit; ``explain=true`` adds the inputs with
    their sources (and the formula is always there)."""
    q = StatsQuery(reporter, partner, item, flow, period, start, end, dataset, unit, convert)
    results = kept_answer(
        settings,
        ("query", indicator, q, by, top),
        lambda s: run_indicator(s, indicator, q, by=by, top=top),
    )
    return QueryPage(
        indicator=indicator,
        total=len(results),
        limit=limit,
        offset=offset,
        results=[_result(r, explain) for r in _page(results, limit, offset)],
    )


@router.get("/series", response_model=SeriesPublic, summary="One economy's series")
def series(  # noqa: PLR0917 - one parameter per form field
    settings: SettingsDep,
    economy: Text,
    item: Text = "S",
    flow: Flow = "exports",
    unit: Annotated[str | None, Query(max_length=16)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> SeriesPublic:
    """Every stored value of an item and flow, oldest first, with growth and provenance."""
    view = kept_answer(
        settings,
        ("series", economy, item, flow, unit),
        lambda s: series_view(s, economy, item, flow, unit),
    )
    rows = [
        SeriesRowPublic(**{**_observation(r.observation), **r.to_dict()})
        for r in _page(view.rows, limit, offset)
    ]
    return SeriesPublic(
        reporter=view.reporter,
        reporter_name=view.reporter_name,
        item=view.item,
        item_label=view.item_label,
        flow=view.flow,
        unit=view.unit,
        units=view.units,
        total=len(view.rows),
        limit=limit,
        offset=offset,
        rows=rows,
    )
