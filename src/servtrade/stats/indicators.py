"""Indicators on one economy's series: value, year-on-year growth (also for year-to-date and
half-year periods), CAGR, balance and its change, shares and named aggregates.

Queries are ibis expressions on the table the store hands out; arithmetic on the few matching
observations happens here, so each result can list the inputs and the formula it used."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import product

from servtrade.errors import ErrorDetail, NotFoundError, ValidationError
from servtrade.stats.periods import parse_period
from servtrade.stats.results import Observation, Query, Result, same_unit
from servtrade.stats.selection import DERIVED, fetch, resolve_query
from servtrade.stats.store import Store
from servtrade.vocab.ebops import aggregates


def _missing(q: Query, what: str) -> NotFoundError:
    where = f"{q.reporter} {q.item} {q.flow}" + (f" {q.period}" if q.period else "")
    return NotFoundError(
        f"no {what} for {where} in the store",
        errors=[ErrorDetail("no matching observation", field="query", value=where)],
        hint="check servtrade stats datasets, or widen --period/--from/--to",
    )


def _result(  # noqa: PLR0917 - internal constructor, all arguments named by role
    name: str,
    q: Query,
    obs: Observation,
    value: float | None,
    unit: str,
    formula: str,
    inputs: Iterable[Observation],
    label: str | None = None,
) -> Result:
    return Result(
        indicator=name,
        value=value,
        unit=unit,
        period=obs.period,
        reporter=q.reporter,
        partner=q.partner,
        item=q.item,
        flow=q.flow,
        formula=formula,
        inputs=tuple(inputs),
        label=label,
    )


def _derived(store: Store, q: Query) -> list[Observation]:
    """Total (exports + imports) or balance (exports - imports) when not stored as such."""
    parts = fetch(store, q, flows=["exports", "imports"])
    found = []
    for x, m in product(
        [o for o in parts if o.flow == "exports"], [o for o in parts if o.flow == "imports"]
    ):
        if (x.dataset, x.period, x.unit, x.alternative) != (
            m.dataset,
            m.period,
            m.unit,
            m.alternative,
        ):
            continue
        if x.value is None or m.value is None:
            continue
        value = x.value + m.value if q.flow == "total" else x.value - m.value
        found.append(
            Observation(
                x.dataset,
                x.vintage,
                x.reporter,
                x.partner,
                x.item,
                q.flow,
                x.period,
                x.period_type,
                value,
                x.unit,
                None,
                x.alternative,
                x.source,
                None,
            )
        )
    return found


def series(store: Store, q: Query, periods: Sequence[str] | None = None) -> list[Observation]:
    """Stored observations for ``q``, deriving total/balance from exports and imports if needed."""
    found = [
        o
        for o in fetch(store, q, periods=periods)
        if o.value is not None or o.growth_pct is not None
    ]
    if not found and q.flow in DERIVED:
        found = _derived(store, q)
    return found


def value(store: Store, query: Query) -> list[Result]:
    """The stored value(s); conflicting sources come back side by side."""
    q = resolve_query(query)
    found = [o for o in series(store, q) if o.value is not None]
    if not found:
        raise _missing(q, "value")
    return [_result("value", q, o, o.value, o.unit, "value as published", [o]) for o in found]


def _growth(o: Observation, before: Observation) -> float | None:
    if o.value is None or not before.value:
        return None
    return (o.value / before.value - 1) * 100


def yoy(store: Store, query: Query) -> list[Result]:
    """Growth on the same period a year earlier, in percent; the published rate when the earlier
    value is not in the store."""
    q = resolve_query(query)
    current, earlier = _yoy_inputs(store, q)
    results = []
    for o in current:
        prior = parse_period(o.period).shifted(-1).text
        matches = [
            p
            for p in earlier
            if p.period == prior
            and p.dataset == o.dataset
            and p.unit == o.unit
            and p.value is not None
        ]
        for before in matches:
            results.append(
                _result(
                    "yoy",
                    q,
                    o,
                    _growth(o, before),
                    "percent",
                    f"({o.period} / {before.period} - 1) x 100",
                    [o, before],
                )
            )
        if not matches and o.growth_pct is not None:
            results.append(
                _result(
                    "yoy",
                    q,
                    o,
                    o.growth_pct,
                    "percent",
                    "growth rate as published (earlier value not in the store)",
                    [o],
                )
            )
    if not results:
        raise _missing(q, "year-on-year growth")
    return results


def _yoy_inputs(store: Store, q: Query) -> tuple[list[Observation], list[Observation]]:
    """The observations to grow from and to. For one period of a stored flow, one query asks
    for that period and the one a year earlier; total and balance may be derived from exports
    and imports, which depends on every period stored, so they read the whole series."""
    if q.period is not None and q.start is None and q.end is None and q.flow not in DERIVED:
        prior = parse_period(q.period).shifted(-1).text
        both = series(store, q, periods=[q.period, prior])
        return [o for o in both if o.period == q.period], both
    current = [o for o in series(store, q) if q.period is None or o.period == q.period]
    return current, series(store, replace(q, period=None, start=None, end=None))


def cagr(store: Store, query: Query) -> list[Result]:
    """Compound annual growth from ``start`` to ``end``: (end / start)^(1 / years) - 1."""
    q = resolve_query(query)
    if q.start is None or q.end is None or q.end <= q.start:
        raise ValidationError(
            "CAGR needs --from and --to years with from < to",
            errors=[
                ErrorDetail("missing or reversed", field="from/to", value=f"{q.start}..{q.end}")
            ],
        )
    # only the two years are read, unless total/balance may be derived from the whole series
    ends = None if q.flow in DERIVED else [str(q.start), str(q.end)]
    found = series(store, replace(q, period=None, start=None, end=None), periods=ends)
    first = [o for o in found if o.period == str(q.start) and o.value]
    last = [o for o in found if o.period == str(q.end) and o.value is not None]
    pairs = [(a, b) for a, b in product(first, last) if a.unit == b.unit and a.dataset == b.dataset]
    if not pairs and first and last:
        same_unit(first[0], last[0])
    years = q.end - q.start
    results = [
        _result(
            "cagr",
            q,
            b,
            ((b.value / a.value) ** (1 / years) - 1) * 100,
            "percent",
            f"(({q.end} / {q.start}) ^ (1 / {years}) - 1) x 100",
            [a, b],
        )
        for a, b in pairs
        if a.value and b.value is not None
    ]
    if not results:
        raise _missing(q, f"values for both {q.start} and {q.end}")
    return results


def balance(store: Store, query: Query) -> list[Result]:
    """Exports minus imports (or the published balance)."""
    q = resolve_query(query)
    bq = replace(q, flow="balance")
    found = [o for o in series(store, bq) if o.value is not None]
    if not found:
        raise _missing(bq, "balance")
    return [
        _result(
            "balance",
            bq,
            o,
            o.value,
            o.unit,
            "exports - imports" if o.line is None else "balance as published",
            [o],
        )
        for o in found
    ]


def change(store: Store, query: Query) -> list[Result]:
    """Change of the balance (or of any flow) from the same period a year earlier."""
    q = resolve_query(query)
    found = [
        o
        for o in series(store, replace(q, period=None, start=None, end=None))
        if o.value is not None
    ]
    results = []
    for o in found:
        if q.period is not None and o.period != q.period:
            continue
        prior = parse_period(o.period).shifted(-1).text
        for before in (p for p in found if p.period == prior and p.dataset == o.dataset):
            same_unit(o, before)
            assert o.value is not None and before.value is not None
            results.append(
                _result(
                    "change",
                    q,
                    o,
                    o.value - before.value,
                    o.unit,
                    f"{o.period} - {before.period}",
                    [o, before],
                )
            )
    if not results:
        raise _missing(q, "values a year apart")
    return results


def share(store: Store, query: Query, of: str = "world") -> list[Result]:
    """Share in percent: of the world (reporter / WLD), or of total services (item / S)."""
    q = resolve_query(query)
    if of not in ("world", "total"):
        raise ValidationError(
            "share is 'of world' or 'of total'",
            errors=[ErrorDetail("unknown base", field="of", value=of)],
        )
    base_q = replace(q, reporter="WLD") if of == "world" else replace(q, item="S")
    parts = [o for o in series(store, q) if o.value is not None]
    bases = [o for o in series(store, base_q) if o.value]
    results = []
    for o, b in product(parts, bases):
        if (o.period, o.dataset, o.alternative) == (b.period, b.dataset, b.alternative):
            same_unit(o, b)
            assert o.value is not None and b.value
            results.append(
                _result(
                    "share",
                    q,
                    o,
                    o.value / b.value * 100,
                    "percent",
                    f"{o.reporter} {o.item} / {b.reporter} {b.item} x 100",
                    [o, b],
                )
            )
    if not results:
        raise _missing(q, f"share of {of}")
    return results


def aggregate(store: Store, query: Query) -> list[Result]:
    """A named aggregate (knowledge_intensive, digitally_deliverable): the published figure when
    a release states it, else the sum of its EBOPS items."""
    q = resolve_query(query)
    agg = aggregates().get(q.item)
    if agg is None:
        raise ValidationError(
            f"{q.item!r} is not a named aggregate", hint="use one of " + ", ".join(aggregates())
        )
    stated = [o for o in series(store, q) if o.value is not None]
    results = [
        _result("aggregate", q, o, o.value, o.unit, "aggregate as published", [o], label=agg.id)
        for o in stated
    ]
    parts = fetch(store, q, items=list(agg.items))
    groups: dict[tuple[str, str, str], list[Observation]] = {}
    for o in parts:
        groups.setdefault((o.dataset, o.period, o.unit), []).append(o)
    for (_d, _p, unit), obs in sorted(groups.items()):
        if {o.item for o in obs} == set(agg.items) and all(o.value is not None for o in obs):
            total = sum(o.value for o in obs if o.value is not None)
            results.append(
                _result(
                    "aggregate", q, obs[0], total, unit, " + ".join(agg.items), obs, label=agg.id
                )
            )
    if not results:
        raise _missing(q, f"aggregate {agg.id} (needs all of {', '.join(agg.items)})")
    return results
