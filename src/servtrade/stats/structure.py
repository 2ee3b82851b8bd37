"""Indicators across economies, partners or items: rank and top-N, Balassa RCA,
Herfindahl-Hirschman concentration, contribution to growth and mirror asymmetry."""

from __future__ import annotations

from dataclasses import replace

from servtrade.errors import ErrorDetail, NotFoundError, ValidationError
from servtrade.stats.periods import parse_period
from servtrade.stats.results import Observation, Query, Result, same_unit
from servtrade.stats.selection import ORDER, breakdown_values, fetch, matching, resolve_query
from servtrade.stats.store import Store
from servtrade.vocab.ebops import ebops_tree
from servtrade.vocab.economies import economy_index

DIMENSIONS = ("reporter", "partner", "item")


def _need_period(q: Query) -> str:
    if q.period is None:
        raise ValidationError(
            "this indicator needs --period", errors=[ErrorDetail("missing", field="period")]
        )
    return q.period


def _economies() -> list[str]:
    """Codes of economies that are not aggregates (so world totals are not counted twice)."""
    return [c for c, e in economy_index().by_code.items() if not e.is_aggregate]


def _breakdown(store: Store, q: Query, by: str, period: str) -> list[Observation]:
    """Observations of ``q`` in ``period`` split by ``by`` (economies or main EBOPS items)."""
    if by not in DIMENSIONS:
        raise ValidationError(
            f"cannot break down by {by!r}",
            errors=[
                ErrorDetail(
                    "unknown dimension", field="by", value=by, hint="use reporter, partner or item"
                )
            ],
        )
    q = replace(q, period=period, start=None, end=None)
    if by == "item":
        items = [i.code for i in ebops_tree().standard_children("S")]
        return fetch(store, q, items=items)
    if by == "partner":
        return fetch(store, q, partners=[p for p in _economies() if p != q.reporter])
    return fetch(store, q, reporters=_economies())


def _breakdown_lists(q: Query, by: str) -> dict[str, list[str]]:
    if by == "item":
        return {"items": [i.code for i in ebops_tree().standard_children("S")]}
    if by == "partner":
        return {"partners": [p for p in _economies() if p != q.reporter]}
    return {"reporters": _economies()}


def _top(store: Store, q: Query, by: str, period: str, top: int) -> tuple[list[Observation], int]:
    """The ``top`` valued observations of the breakdown, largest first, and how many there are,
    in one query (filter, count, order and limit run in DuckDB). Mixed units: the whole
    breakdown, so the error names them as before."""
    q = replace(q, period=period, start=None, end=None)
    t = store.observations(q.dataset)
    values = breakdown_values(q, **_breakdown_lists(q, by))

    order = ", ".join(f'"{c}"' for c in ORDER)
    # the matching rows are materialised first: a window over the scan itself is slower
    around = (
        "WITH found AS MATERIALIZED ({query}) SELECT *, count(value) OVER () AS ranked,"  # noqa: S608 - by is one of DIMENSIONS
        " min(unit) OVER () AS first_unit, max(unit) OVER () AS last_unit FROM found"
        f' WHERE value IS NOT NULL ORDER BY value DESC, {order}, "{by}" LIMIT {int(top)}'
    )
    build = lambda: matching(t, tuple(values), q)  # noqa: E731
    rows = store.execute_shape(t, ("top", tuple(values), by, top), build, values, around)
    if rows and rows[0]["first_unit"] != rows[0]["last_unit"]:
        _one_unit(_breakdown(store, q, by, period))  # raises, naming both units
    return [Observation.from_row(r) for r in rows], int(rows[0]["ranked"]) if rows else 0


def _one_unit(obs: list[Observation]) -> list[Observation]:
    valued = [o for o in obs if o.value is not None]
    for o in valued[1:]:
        same_unit(valued[0], o)
    return valued


def rank(store: Store, query: Query, *, by: str = "reporter", top: int = 10) -> list[Result]:
    """The ``top`` economies (or partners, items) by value in a period, largest first."""
    q = query if by == "reporter" else resolve_query(query)
    period = _need_period(q)
    if by not in DIMENSIONS:
        _breakdown(store, q, by, period)  # raises, naming the dimensions
    obs, count = _top(store, q, by, period, top)
    if not obs:
        raise NotFoundError(f"nothing to rank for {q.item} {q.flow} {period}")
    results = []
    for place, o in enumerate(obs, start=1):
        results.append(
            Result(
                "rank",
                o.value,
                o.unit,
                period,
                o.reporter,
                f"rank {place} of {count} by {by}",
                (o,),
                o.partner,
                o.item,
                o.flow,
                extra={"rank": place, "of": count},
            )
        )
    return results


def hhi(store: Store, query: Query, *, by: str = "partner") -> list[Result]:
    """Herfindahl-Hirschman index of the reporter's flow across partners or items (0-10,000)."""
    q = resolve_query(query)
    period = _need_period(q)
    obs = [o for o in _one_unit(_breakdown(store, q, by, period)) if (o.value or 0) > 0]
    total = sum(o.value or 0 for o in obs)
    if not obs or total <= 0:
        raise NotFoundError(f"no positive values to measure concentration for {q.reporter}")
    index = sum(((o.value or 0) / total * 100) ** 2 for o in obs)
    return [
        Result(
            "hhi",
            index,
            "index",
            period,
            q.reporter,
            f"sum of squared % shares over {len(obs)} {by}s",
            tuple(obs),
            q.partner,
            q.item,
            q.flow,
        )
    ]


def rca(store: Store, query: Query) -> list[Result]:
    """Balassa revealed comparative advantage: (X_ri / X_r) / (X_wi / X_w), totals = item S,
    world = the sum over all economies in the store for the same period."""
    q = resolve_query(query)
    period = _need_period(q)
    base = replace(q, flow="exports", period=period, start=None, end=None)
    obs = fetch(store, base, items=[q.item, "S"], reporters=_economies())
    _one_unit(obs)
    item = {o.reporter: o for o in obs if o.item == q.item and o.value is not None}
    total = {o.reporter: o for o in obs if o.item == "S" and o.value}
    both = sorted(set(item) & set(total))
    if q.reporter not in both:
        raise NotFoundError(f"RCA needs {q.reporter} exports of {q.item} and of S in {period}")
    world_item = sum(item[r].value or 0 for r in both)
    world_total = sum(total[r].value or 0 for r in both)
    mine = (item[q.reporter].value or 0) / (total[q.reporter].value or 1)
    value = mine / (world_item / world_total)
    inputs = (item[q.reporter], total[q.reporter])
    return [
        Result(
            "rca",
            value,
            "index",
            period,
            q.reporter,
            f"({q.item}/S of {q.reporter}) / ({q.item}/S of {len(both)} economies)",
            inputs,
            q.partner,
            q.item,
            "exports",
            extra={"world_item": world_item, "world_total": world_total, "economies": len(both)},
        )
    ]


def contribution(store: Store, query: Query) -> list[Result]:
    """Contribution of each main item to the growth of the total, in percentage points:
    (X_i,t - X_i,t-1) / X_S,t-1 x 100."""
    q = resolve_query(query)
    period = _need_period(q)
    prior = parse_period(period).shifted(-1).text
    items = [i.code for i in ebops_tree().standard_children("S")]
    obs = _one_unit(fetch(store, q, periods=[period, prior], items=[*items, "S"]))
    base = next((o for o in obs if o.item == "S" and o.period == prior and o.value), None)
    if base is None:
        raise NotFoundError(f"contribution needs total services (S) of {q.reporter} in {prior}")
    now = {o.item: o for o in obs if o.period == period}
    before = {o.item: o for o in obs if o.period == prior}
    results = []
    for code in items:
        if code in now and code in before:
            delta = (now[code].value or 0) - (before[code].value or 0)
            results.append(
                Result(
                    "contribution",
                    delta / (base.value or 1) * 100,
                    "pp",
                    period,
                    q.reporter,
                    f"({code} {period} - {code} {prior}) / S {prior} x 100",
                    (now[code], before[code], base),
                    q.partner,
                    code,
                    q.flow,
                )
            )
    if not results:
        raise NotFoundError(f"no items with values in both {prior} and {period}")
    return sorted(results, key=lambda r: -(r.value or 0))


def mirror(store: Store, query: Query) -> list[Result]:
    """Mirror asymmetry: reporter's exports to partner vs partner's imports from reporter,
    (X - M) / ((X + M) / 2) x 100."""
    q = resolve_query(query)
    if q.partner == "WLD":
        raise ValidationError(
            "mirror needs a --partner economy",
            errors=[ErrorDetail("is the world", field="partner", value="WLD")],
        )
    period = _need_period(q)
    mine = fetch(
        store,
        replace(q, flow="exports", period=period, start=None, end=None),
    )
    theirs = fetch(
        store,
        replace(
            q, reporter=q.partner, partner=q.reporter, flow="imports", period=period, start=None
        ),
    )
    results = []
    for x in (o for o in mine if o.value is not None):
        for m in (o for o in theirs if o.value is not None and o.dataset == x.dataset):
            same_unit(x, m)
            assert x.value is not None and m.value is not None
            mean = (x.value + m.value) / 2
            value = (x.value - m.value) / mean * 100 if mean else None
            results.append(
                Result(
                    "mirror",
                    value,
                    "percent",
                    period,
                    q.reporter,
                    "(X - M) / ((X + M) / 2) x 100",
                    (x, m),
                    q.partner,
                    q.item,
                    "exports",
                    extra={"exports": x.value, "mirror_imports": m.value},
                )
            )
    if not results:
        raise NotFoundError(f"no mirror pair for {q.reporter}->{q.partner} {q.item} {period}")
    return results
