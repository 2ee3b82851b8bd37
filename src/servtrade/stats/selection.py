"""Selecting observations: codes resolved to stored codes, then one prepared fetch per query shape.

The indicators (``stats.indicators``, ``stats.structure``) and the adapters that feed other parts
(profiles, the claim checker, matchmaking) read the store only through :func:`fetch`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from servtrade.errors import ErrorDetail, UnknownCodeError, ValidationError
from servtrade.stats.catalog import FLOWS, catalog, get_dataset
from servtrade.stats.currency import convert
from servtrade.stats.periods import parse_period
from servtrade.stats.prepared import Value, param
from servtrade.stats.results import Observation, Query
from servtrade.stats.store import Store, Table
from servtrade.vocab.ebops import ebops_tree, resolve_aggregate
from servtrade.vocab.economies import resolve_economy


def resolve_item(code: str) -> str:
    """The stored code of an EBOPS item (letter or Comtrade code), a named aggregate (id or
    alias) or an item outside EBOPS that a dataset lists; UnknownCodeError otherwise."""
    text = code.strip()
    extra = {k for d in catalog().values() for k in d.extra_items}
    if text in extra:
        return text
    if text in ebops_tree():
        return ebops_tree().resolve(text).code
    try:
        return resolve_aggregate(text).id
    except UnknownCodeError:
        pass
    return ebops_tree().resolve(text).code  # raises, with suggestions


DERIVED = ("total", "balance")  # flows computed from exports and imports when not stored


def check_flow(flow: str) -> str:
    if flow not in FLOWS:
        detail = ErrorDetail(
            "is not a flow", field="flow", value=flow, hint="use " + ", ".join(FLOWS)
        )
        raise ValidationError(f"unknown flow {flow!r}", errors=[detail])
    return flow


def resolve_query(q: Query) -> Query:
    """Economy names/aliases and item codes to stored codes; flow, period and dataset checked."""
    if q.period is not None:
        parse_period(q.period)
    if q.dataset is not None:
        get_dataset(q.dataset)
    reporter = resolve_economy(q.reporter).code
    partner = resolve_economy(q.partner).code if q.partner else "WLD"
    item = resolve_item(q.item)
    flow = check_flow(q.flow)
    return replace(q, reporter=reporter, partner=partner, item=item, flow=flow)


def fetch(
    store: Store,
    q: Query,
    *,
    periods: Sequence[str] | None = None,
    items: Sequence[str] | None = None,
    flows: Sequence[str] | None = None,
    reporters: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
) -> list[Observation]:
    """Observations matching ``q`` (lists override the single values)."""
    t = store.observations(q.dataset)
    values = breakdown_values(
        q, periods=periods, items=items, flows=flows, reporters=reporters, partners=partners
    )
    # the shape: which filters there are (their values are filled in) and the year bounds
    shape = ("fetch", tuple(values), q.start, q.end)
    build = lambda: matching(t, tuple(values), q).order_by(ORDER)  # noqa: E731
    rows = store.execute_shape(t, shape, build, values)
    found = [Observation.from_row(r) for r in rows]
    if q.unit is not None and q.convert:
        return convert(store, found, q.unit)
    return found


def breakdown_values(
    q: Query,
    *,
    periods: Sequence[str] | None = None,
    items: Sequence[str] | None = None,
    flows: Sequence[str] | None = None,
    reporters: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
) -> dict[str, Value]:
    """The filter values of a fetch (lists override the single values of ``q``)."""
    values: dict[str, Value] = {
        "reporter": list(reporters or [q.reporter]),
        "partner": list(partners or [q.partner]),
        "item": list(items or [q.item]),
        "flow": list(flows or [q.flow]),
    }
    if periods is not None:
        values["periods"] = list(periods)
    elif q.period is not None:
        values["period"] = q.period
    if q.unit is not None and not q.convert:
        values["unit"] = q.unit
    return values


ORDER = ["dataset", "year", "period", "alternative"]
# the columns an Observation reads (fewer columns read from Parquet), and the order's
FIELDS = (
    *("dataset", "vintage", "reporter", "partner", "item", "flow", "period", "period_type"),
    *("year", "value", "unit", "growth_pct", "alternative", "line", "confidence"),
    *("source_publisher", "source_title", "source_date", "source_url"),
)


def matching(t: Table, names: tuple[str, ...], q: Query) -> Table:
    """The rows a fetch shape selects, with placeholders for the values in ``names``."""
    cond = [t[n].isin([param(n)]) for n in ("reporter", "partner", "item", "flow")]
    if "periods" in names:
        cond.append(t.period.isin([param("periods")]))
    elif "period" in names:
        cond.append(t.period == param("period"))
    if q.start is not None:
        cond.append((t.year >= q.start) & (t.period_type == "year"))
    if q.end is not None:
        cond.append((t.year <= q.end) & (t.period_type == "year"))
    if "unit" in names:
        cond.append(t.unit == param("unit"))
    return t.filter(cond).select(*FIELDS)
