"""Profile sections from the observatory: headline figures, growth, balance, composition, IP."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from servtrade.briefing.model import Chart, Figure, Profile, annual, attempt, scale_of, source_of
from servtrade.stats import charts
from servtrade.stats.indicators import value
from servtrade.stats.results import Observation, Query
from servtrade.stats.store import Store
from servtrade.vocab.ebops import ebops_tree

FLOWS = ("exports", "imports", "total", "balance")


def main_unit(store: Store, economy: str) -> str | None:
    """The unit of the longest annual series of total services exports."""
    counts: dict[str, int] = {}
    for unit in ("USD", "CNY", "EUR"):
        counts[unit] = len(annual(store, economy, "S", "exports", unit))
    best = max(counts, key=lambda u: counts[u])
    return best if counts[best] else None


def headline(store: Store, p: Profile) -> None:
    """Exports, imports, total and balance of total services in the profile year."""
    for flow in FLOWS:
        q = Query(p.economy.code, item="S", flow=flow, period=str(p.year), unit=p.unit)
        found = attempt(lambda q=q: value(store, q))  # type: ignore[misc]
        if not found:
            p.gaps.append(f"services {flow} {p.year}: not in the store")
            continue
        r = found[0]
        p.figures.append(
            Figure(
                f"Services {flow}",
                r.display,
                r.period,
                "; ".join(r.vintages),
                source_of(r.inputs[0]),
            )
        )
        if len({x.value for x in found}) > 1:
            p.gaps.append(
                f"services {flow} {p.year}: {len(found)} published values differ; the first is "
                "shown (all of them: servtrade stats query value --explain)"
            )


def _growth_rows(obs: Sequence[Observation], scale: float) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for before, o in zip((None, *obs), obs, strict=False):
        growth = None
        if before is not None and before.value and int(o.period) == int(before.period) + 1:
            growth = round((o.value or 0) / before.value * 100 - 100, 2)
        rows.append({"period": o.period, "value": (o.value or 0) / scale, "growth_pct": growth})
    return rows


def _flow_rows(
    exports: Sequence[Observation], imports: dict[str, Observation], scale: float
) -> list[dict[str, Any]]:
    """Rows for :func:`charts.balance`: exports and the same period's imports, scaled."""
    return [
        {
            "period": o.period,
            "exports": (o.value or 0) / scale,
            "imports": (imports[o.period].value or 0) / scale,
        }
        for o in exports
    ]


def _sources(obs: Sequence[Observation]) -> str:
    names = sorted({source_of(o) for o in obs})
    more = f" and {len(names) - 2} more" if len(names) > 2 else ""
    return "; ".join(names[:2]) + more + f" · servtrade {obs[0].dataset}@{obs[0].vintage}"


def growth(store: Store, p: Profile) -> None:
    """Total services exports with year-on-year growth, and the trade balance."""
    exports = [
        o for o in annual(store, p.economy.code, "S", "exports", p.unit) if int(o.period) <= p.year
    ]
    if len(exports) < 2:
        p.gaps.append("annual services exports: fewer than two years in the store")
        return
    scale, word = scale_of([o.value or 0 for o in exports])
    unit = f"{word} {p.unit}"
    name = p.economy.name_en
    p.charts.append(
        Chart(
            "exports",
            "Services exports and growth",
            charts.series_with_growth(
                _growth_rows(exports, scale),
                title=f"{name}: services exports",
                unit=unit,
                source=_sources(exports),
                lang=p.lang,
            ),
        )
    )
    imports = {o.period: o for o in annual(store, p.economy.code, "S", "imports", p.unit)}
    both = [o for o in exports if o.period in imports]
    if len(both) < 2:
        p.gaps.append("services imports: fewer than two years beside exports, no balance chart")
        return
    p.charts.append(
        Chart(
            "balance",
            "Exports, imports and balance",
            charts.balance(
                _flow_rows(both, imports, scale),
                title=f"{name}: services trade balance",
                unit=unit,
                source=_sources(both),
                lang=p.lang,
            ),
        )
    )


def composition(store: Store, p: Profile) -> None:
    """Standard EBOPS components of total services exports in the profile year, when stored."""
    rows: list[dict[str, Any]] = []
    for item in ebops_tree().standard_children("S"):
        q = Query(p.economy.code, item=item.code, flow="exports", period=str(p.year), unit=p.unit)
        found = attempt(lambda q=q: value(store, q))  # type: ignore[misc]
        if found and found[0].value is not None:
            rows.append({"label": f"{item.code} {item.name(p.lang)[:40]}", "value": found[0].value})
    if len(rows) < 2:
        p.gaps.append(
            f"exports by EBOPS item in {p.year}: not in the store (load BaTIS, WTO or SDMX data)"
        )
        return
    scale, word = scale_of([r["value"] for r in rows])
    p.charts.append(
        Chart(
            "composition",
            "Exports by EBOPS 2010 item",
            charts.composition(
                [{**r, "value": r["value"] / scale} for r in rows],
                title=f"{p.economy.name_en}: services exports by item, {p.year}",
                unit=f"{word} {p.unit}",
                source="servtrade store (see servtrade stats query value --explain)",
                lang=p.lang,
            ),
        )
    )


def ip_charges(store: Store, p: Profile) -> None:
    """Charges for the use of intellectual property (EBOPS SH): receipts and payments in US$."""
    receipts = annual(store, p.economy.code, "SH", "exports", "USD")
    payments = {o.period: o for o in annual(store, p.economy.code, "SH", "imports", "USD")}
    rows = [o for o in receipts if o.period in payments and int(o.period) <= p.year][-15:]
    if len(rows) < 2:
        p.gaps.append("charges for the use of IP (SH): not in the store (WDI BX/BM.GSR.ROYL.CD)")
        return
    scale, word = scale_of([o.value or 0 for o in rows])
    p.charts.append(
        Chart(
            "ip",
            "Charges for the use of intellectual property",
            charts.balance(
                _flow_rows(rows, payments, scale),
                title=f"{p.economy.name_en}: IP charges, receipts (exports) and payments (imports)",
                unit=f"{word} US$",
                source="World Bank WDI BX.GSR.ROYL.CD, BM.GSR.ROYL.CD · "
                f"servtrade {rows[0].dataset}@{rows[0].vintage}",
                lang=p.lang,
            ),
        )
    )
