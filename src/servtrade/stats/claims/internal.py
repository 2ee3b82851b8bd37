"""Checks of a document against itself: an average rate against its endpoints, a growth rate
against the levels it compares, a total against its parts, a balance and its change against
levels and growth rates, a share against the levels of its part and whole.

Flows relate as total = exports + imports and balance = exports − imports; a level a year
earlier is the level divided by (1 + growth).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from servtrade.stats.claims.facts import Facts
from servtrade.stats.claims.figures import Fig, verdict_check
from servtrade.stats.claims.judge import Fmt
from servtrade.stats.claims.model import Check, Claim, Kind
from servtrade.stats.claims.subjects import Flow

PARTS: tuple[Flow, ...] = ("total", "exports", "imports")


@dataclass(frozen=True)
class Balance:
    """A balance worked out from two of total, exports and imports."""

    fig: Fig
    formula: str
    inputs: tuple[Claim, ...]


def _same_unit(*claims: Claim | None) -> bool:
    present = [c for c in claims if c is not None]
    return len(present) == len(claims) and len({c.currency for c in present}) == 1


def check_average(claim: Claim, facts: Facts) -> Check | None:
    """An average annual growth rate against the levels at both ends of its span."""
    if claim.kind != "average_growth":
        return None
    levels = facts.levels_of(claim)
    span, note = claim.period, ""
    if span is not None and span.span:
        by_year = {c.period.first[0]: c for c in levels if c.period}
        first, last = by_year.get(span.first[0]), by_year.get(span.last[0])
    else:
        first, last = (levels[0], levels[-1]) if len(levels) >= 2 else (None, None)
        note = " (span taken from the years of the stated levels)"
    if first is None or last is None or not _same_unit(first, last) or first is last:
        return None
    assert first.period is not None and last.period is not None
    years = last.period.first[0] - first.period.first[0]
    ratio = Fig.of(last) / Fig.of(first)
    rate = ratio.power(1 / years).as_percent_rate()
    show = Fmt.like(first.quantity)
    arithmetic = [
        f"{first.period.label} to {last.period.label}: {years} years{note}",
        f"({show(last.value)} ÷ {show(first.value)})^(1/{years}) − 1 = "
        f"{ratio.value:.4f}^(1/{years}) − 1 = {rate.value:.2f}%",
    ]
    return verdict_check(
        "average_from_levels",
        "average annual growth recomputed from the stated levels at both ends",
        claim,
        rate,
        arithmetic,
        inputs=[first, last],
    )


def check_growth(claim: Claim, facts: Facts) -> Check | None:
    """A growth rate against the stated levels of its period and the same period a year before."""
    if claim.kind != "growth" or claim.period is None or claim.period.span:
        return None
    now = facts.find("level", claim)
    before = facts.find(
        "level", claim, period=claim.period.shifted(-1), currency=now.currency if now else None
    )
    if now is None or before is None or not _same_unit(now, before):
        return None
    rate = (Fig.of(now) / Fig.of(before)).as_percent_rate()
    show = Fmt.like(now.quantity)
    arithmetic = [f"{show(now.value)} ÷ {show(before.value)} − 1 = {rate.value:.2f}%"]
    return verdict_check(
        "growth_from_levels",
        "growth recomputed from the stated levels of both periods",
        claim,
        rate,
        arithmetic,
        inputs=[now, before],
    )


def levels(claim: Claim, facts: Facts, kind: Kind = "level") -> dict[Flow, Claim]:
    """Stated levels (or growth rates) of total, exports and imports beside ``claim``."""
    found: dict[Flow, Claim] = {}
    for flow in PARTS:
        hit = (
            claim
            if claim.kind == kind and claim.topic and claim.topic.flow == flow
            else (
                facts.find(
                    kind, claim, flow=flow, currency=claim.currency if kind == "level" else None
                )
            )
        )
        if hit is not None:
            found[flow] = hit
    return found


def check_total(claim: Claim, facts: Facts) -> Check | None:
    """A stated total against stated exports plus imports."""
    if claim.kind != "level" or claim.topic is None or claim.topic.flow != "total":
        return None
    parts = levels(claim, facts)
    exports, imports = parts.get("exports"), parts.get("imports")
    if exports is None or imports is None or not _same_unit(claim, exports, imports):
        return None
    total = Fig.of(exports) + Fig.of(imports)
    show = Fmt.like(claim.quantity)
    arithmetic = [
        f"exports + imports = {show(exports.value)} + {show(imports.value)} = {show(total.value)}"
    ]
    return verdict_check(
        "total_from_parts",
        "total recomputed as exports plus imports",
        claim,
        total,
        arithmetic,
        inputs=[exports, imports],
    )


def balance_of(figs: dict[Flow, Fig], show: Callable[[float], str]) -> tuple[Fig, str] | None:
    """Exports − imports from any two of total, exports and imports, with the formula."""
    t, x, m = figs.get("total"), figs.get("exports"), figs.get("imports")
    if x is not None and m is not None:
        return x - m, f"exports − imports = {show(x.value)} − {show(m.value)}"
    if t is not None and x is not None:
        return x - (t - x), (
            f"exports − (total − exports) = {show(x.value)} − ({show(t.value)} − {show(x.value)})"
        )
    if t is not None and m is not None:
        return (t - m) - m, (
            f"(total − imports) − imports = ({show(t.value)} − {show(m.value)}) − {show(m.value)}"
        )
    return None


def check_balance(claim: Claim, facts: Facts) -> Check | None:
    """A stated balance (deficit, surplus) against the levels of two of the flows."""
    if claim.kind != "level" or claim.topic is None or claim.topic.flow != "balance":
        return None
    parts = levels(claim, facts)
    if len(parts) < 2 or not _same_unit(claim, *parts.values()):
        return None
    show = Fmt.like(claim.quantity)
    found = balance_of({f: Fig.of(c) for f, c in parts.items()}, show)
    assert found is not None
    fig, formula = found
    arithmetic = [f"balance = {formula} = {show(fig.value)}"]
    return verdict_check(
        "balance_from_levels",
        "balance recomputed from the stated levels",
        claim,
        fig,
        arithmetic,
        inputs=list(parts.values()),
    )
