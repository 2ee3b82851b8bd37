"""Profile sections that need partner or item detail: top partners, RCA, knowledge-intensive share.

Each section adds a chart when the store holds the detail (e.g. an OECD-WTO BaTIS file) and
otherwise names the data that would fill it.
"""

from __future__ import annotations

from typing import Any

from servtrade.briefing.model import Chart, Profile, annual, attempt, scale_of
from servtrade.errors import ServtradeError
from servtrade.stats import charts
from servtrade.stats.indicators import aggregate
from servtrade.stats.results import Query
from servtrade.stats.store import Store
from servtrade.stats.structure import rank, rca
from servtrade.vocab.ebops import aggregates, ebops_tree
from servtrade.vocab.economies import resolve_economy


def partners(store: Store, p: Profile) -> None:
    """The ten largest partners for total services exports in the profile year."""
    q = Query(p.economy.code, item="S", flow="exports", period=str(p.year), unit=p.unit)
    found = [r for r in attempt(lambda: rank(store, q, by="partner", top=11)) if r.value]
    found = [r for r in found if r.partner != "WLD"][:10]
    if len(found) < 2:
        p.gaps.append(f"top partners in {p.year}: no partner detail in the store (load BaTIS data)")
        return
    scale, word = scale_of([r.value or 0 for r in found])
    rows = [{"label": _name(r.partner, p.lang), "value": (r.value or 0) / scale} for r in found]
    p.charts.append(
        Chart(
            "partners",
            "Top partners",
            charts.top_partners(
                rows,
                title=f"{p.economy.name_en}: services exports by partner, {p.year}",
                unit=f"{word} {found[0].unit}",
                source="; ".join(found[0].vintages),
                lang=p.lang,
            ),
        )
    )


def _name(code: str, lang: str = "en") -> str:
    try:
        economy = resolve_economy(code)
    except ServtradeError:  # an unknown partner code is still shown, as given
        return code
    return economy.name_zh if lang == "zh" and economy.name_zh else economy.name_en


def advantage(store: Store, p: Profile) -> None:
    """Balassa RCA of each standard EBOPS component in the profile year."""
    rows: list[dict[str, Any]] = []
    for item in ebops_tree().standard_children("S"):
        q = Query(p.economy.code, item=item.code, flow="exports", period=str(p.year))
        found = attempt(lambda q=q: rca(store, q))  # type: ignore[misc]
        if found and found[0].value is not None:
            rows.append({"economy": p.economy.code, "item": item.code, "rca": found[0].value})
    if not rows:
        p.gaps.append(f"RCA in {p.year}: needs exports by item for many economies (BaTIS, WTO)")
        return
    p.charts.append(
        Chart(
            "rca",
            "Revealed comparative advantage",
            charts.rca_heatmap(
                rows,
                title=f"{p.economy.name_en}: Balassa RCA by EBOPS item, {p.year}",
                source="servtrade store, exports by item of every economy loaded",
                lang=p.lang,
            ),
        )
    )


def knowledge_share(store: Store, p: Profile) -> None:
    """Knowledge-intensive services as a share of total services trade, year by year."""
    agg = aggregates()["knowledge_intensive"]
    q = Query(p.economy.code, item=agg.id, flow="total", unit=p.unit)
    parts = {r.period: r for r in attempt(lambda: aggregate(store, q)) if r.value}
    totals = annual(store, p.economy.code, "S", "total", p.unit)
    rows = [
        {"period": o.period, "share_pct": round((parts[o.period].value or 0) / o.value * 100, 1)}
        for o in totals
        if o.period in parts and o.value and int(o.period) <= p.year
    ]
    if len(rows) < 2:
        p.gaps.append(f"{agg.name} share of services trade: fewer than two years in the store")
        return
    p.charts.append(
        Chart(
            "ki-share",
            "Knowledge-intensive share",
            charts.share_over_time(
                rows,
                title=f"{p.economy.name_en}: {agg.name} in total services trade",
                source=f"servtrade store; {agg.name} as defined by {agg.source}",
                lang=p.lang,
            ),
        )
    )
