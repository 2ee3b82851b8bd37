"""What the observatory shows at a glance: the datasets with their latest vintage, and one
economy's series for an item and flow with year-on-year growth and the provenance of every value.

Shared by ``servtrade stats datasets``, the ``/api/stats`` routes and the ``/observatory`` page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from servtrade.errors import NotFoundError
from servtrade.stats.catalog import SCALES, catalog
from servtrade.stats.indicators import series
from servtrade.stats.periods import parse_period
from servtrade.stats.results import UNIT_NAMES, Observation, Query, format_value
from servtrade.stats.selection import resolve_query
from servtrade.stats.store import Store
from servtrade.vocab.ebops import aggregates, ebops_tree
from servtrade.vocab.economies import resolve_economy


@dataclass(frozen=True)
class DatasetStatus:
    """A catalog entry and what the store holds of it."""

    id: str
    title: str
    publisher: str
    source_url: str
    licence: str
    layout: str
    unit: str
    latest_vintage: str | None
    created_at: str | None
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def dataset_status(store: Store) -> list[DatasetStatus]:
    """Every catalog entry with its latest vintage (None when not loaded) and stored rows."""
    found = []
    for d in catalog().values():
        latest = store.latest(d.id)
        found.append(
            DatasetStatus(
                id=d.id,
                title=d.title,
                publisher=d.publisher,
                source_url=d.source_url,
                licence=d.licence,
                layout=d.layout,
                unit=d.unit,
                latest_vintage=latest.vintage if latest else None,
                created_at=latest.created_at if latest else None,
                rows=latest.rows_stored + latest.rows_carried if latest else 0,
            )
        )
    return found


@dataclass(frozen=True)
class SeriesRow:
    """One value of the series with its growth and where both came from."""

    observation: Observation
    display: str
    growth_pct: float | None
    growth_basis: str | None

    @property
    def source(self) -> str:
        """The published source, or the file line the value was read from."""
        o = self.observation
        if o.source:
            parts = [o.source.get(k) for k in ("publisher", "title", "date")]
            return ", ".join(str(p) for p in parts if p)
        return f"{catalog()[o.dataset].publisher}, line {o.line}" if o.line else o.dataset

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.observation.to_dict(),
            "display": self.display,
            "growth_pct": self.growth_pct,
            "growth_basis": self.growth_basis,
            "source_text": self.source,
        }


@dataclass(frozen=True)
class SeriesView:
    """An economy's series for one item and flow, ready to tabulate and chart."""

    reporter: str
    reporter_name: str
    item: str
    item_label: str
    flow: str
    unit: str | None
    rows: list[SeriesRow]
    units: list[str]
    chart_rows: list[dict[str, Any]] = field(default_factory=list)
    chart_unit: str = ""
    chart_source: str = ""

    @property
    def title(self) -> str:
        return f"{self.reporter_name}: {self.item_label}, {self.flow}"


def item_label(code: str) -> str:
    """The name of an EBOPS item, a named aggregate or a dataset's extra item."""
    if code in aggregates():
        return aggregates()[code].name
    if code in ebops_tree():
        return ebops_tree().resolve(code).label
    for d in catalog().values():
        if code in d.extra_items:
            return d.extra_items[code]
    return code


def _growth(o: Observation, earlier: list[Observation]) -> tuple[float | None, str | None]:
    """Growth on the same period a year earlier: computed when that value is stored (same
    dataset, unit and, when it has one, source), else the published rate."""
    prior = parse_period(o.period).shifted(-1).text
    matches = [
        p
        for p in earlier
        if p.period == prior and p.dataset == o.dataset and p.unit == o.unit and p.value
    ]
    same_source = [p for p in matches if p.alternative == o.alternative]
    before = next(iter(same_source or matches), None)
    if o.value is not None and before is not None and before.value:
        return (o.value / before.value - 1) * 100, f"computed on {prior}"
    if o.growth_pct is not None:
        return o.growth_pct, "as published"
    return None, None


def _chart(rows: list[SeriesRow], unit: str | None) -> tuple[list[dict[str, Any]], str, str]:
    """Yearly values of one dataset and unit (the best covered), in the display scale."""
    yearly = [
        r for r in rows if r.observation.period_type == "year" and r.observation.value is not None
    ]
    if unit is None and yearly:
        unit = Counter(r.observation.unit for r in yearly).most_common(1)[0][0]
    yearly = [r for r in yearly if r.observation.unit == unit]
    if not yearly:
        return [], "", ""
    dataset = Counter(r.observation.dataset for r in yearly).most_common(1)[0][0]
    entry = catalog()[dataset]
    factor = SCALES[entry.display_scale] if unit not in ("percent", "pp") else 1.0
    points: dict[str, dict[str, Any]] = {}
    for r in (r for r in yearly if r.observation.dataset == dataset):
        o = r.observation
        assert o.value is not None
        points.setdefault(
            o.period, {"period": o.period, "value": o.value / factor, "growth_pct": r.growth_pct}
        )
    scale = "" if factor == 1.0 or entry.display_scale == "unit" else entry.display_scale + " "
    label = f"{scale}{UNIT_NAMES.get(unit or '', unit)}"
    source = f"{entry.publisher}, {entry.title} ({dataset})"
    return [points[p] for p in sorted(points)], label, source


def series_view(
    store: Store, reporter: str, item: str = "S", flow: str = "exports", unit: str | None = None
) -> SeriesView:
    """Every stored value of ``reporter``'s ``item`` and ``flow`` (against the world), oldest
    first, with growth and provenance; raise NotFoundError when there is none."""
    q = resolve_query(Query(reporter, "WLD", item, flow))
    found = [o for o in series(store, q) if o.value is not None or o.growth_pct is not None]
    units = sorted({o.unit for o in found})
    chosen = [o for o in found if unit is None or o.unit == unit]
    if not chosen:
        shown = f"{q.reporter} {q.item} {q.flow}" + (f" in {unit}" if unit else "")
        raise NotFoundError(
            f"no values for {shown} in the store",
            hint="pick another item or flow, or load a dataset (servtrade stats ingest)",
        )
    chosen.sort(
        key=lambda o: (parse_period(o.period).year, o.period, o.dataset, o.alternative or "")
    )
    rows = []
    for o in chosen:
        growth, basis = _growth(o, chosen)
        rows.append(SeriesRow(o, format_value(o.value, o.unit, o.dataset), growth, basis))
    chart_rows, chart_unit, chart_source = _chart(rows, unit)
    return SeriesView(
        reporter=q.reporter,
        reporter_name=resolve_economy(q.reporter).name_en,
        item=q.item,
        item_label=item_label(q.item),
        flow=q.flow,
        unit=unit,
        rows=rows,
        units=units,
        chart_rows=chart_rows,
        chart_unit=chart_unit,
        chart_source=chart_source,
    )
