"""Profile sections from the rules side: OECD restrictiveness scores and the regimes in force."""

from __future__ import annotations

from datetime import date

from servtrade.briefing.model import Chart, Profile
from servtrade.rules.book import Rulebook
from servtrade.rules.editions import status_on
from servtrade.rules.stri import StriContext
from servtrade.stats import charts


def restrictiveness(stri: StriContext | None, p: Profile) -> None:
    """OECD STRI per sector and the Digital STRI: the latest year up to the profile year."""
    if stri is None:
        p.gaps.append("restrictiveness: OECD STRI data not available (../shared/rules-data)")
        return
    code = p.economy.code
    for sector in stri.sectors:
        years = {y: s for y, s in stri.scores.get((code, sector.code), {}).items() if y <= p.year}
        if years:
            year = max(years)
            p.restrictiveness.append(
                {"index": "STRI", "sector": sector.name_en, "year": year, "score": years[year]}
            )
    digital = {y: s for y, s in stri.digital.get(code, {}).items() if y <= p.year}
    if digital:
        year = max(digital)
        p.restrictiveness.append(
            {
                "index": "Digital STRI",
                "sector": "economy-wide",
                "year": year,
                "score": digital[year],
            }
        )
    if not p.restrictiveness:
        p.gaps.append(f"restrictiveness: no OECD STRI score for {code} up to {p.year}")
        return
    shown = sorted({str(r["year"]) for r in p.restrictiveness})
    rows = [
        {"label": f"{r['index']}: {r['sector']}", "value": r["score"]} for r in p.restrictiveness
    ]
    p.charts.append(
        Chart(
            "stri",
            "Services trade restrictiveness",
            charts.composition(
                rows,
                title=f"{p.economy.name_en}: OECD STRI by sector ({', '.join(shown)})",
                unit="score, 0 = open, 1 = closed",
                source="OECD Services Trade Restrictiveness Index and Digital STRI",
                lang=p.lang,
            ),
        )
    )


def regimes(book: Rulebook, p: Profile, on: date) -> None:
    """This economy's cross-border services regimes, their status on ``on`` and their coverage."""
    for edition in book.lists.values():
        if edition.economy != p.economy.code:
            continue
        p.regimes.append(
            {
                "list_id": edition.id,
                "title": edition.title_en,
                "territory": edition.territory,
                "status": status_on(edition, on),
                "in_force_from": edition.in_force_from.isoformat(),
                "coverage": book.coverage(edition.id),
            }
        )
    if not p.regimes:
        p.gaps.append(f"cross-border regimes: none encoded for {p.economy.code}")
