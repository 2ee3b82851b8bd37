"""Checks that go back a year: a balance's change from the levels and growth rates of two flows,
a change of a level from its growth rate, a flow's growth from the other two flows, and a share
from the levels of its part and whole.

A year-earlier level is the level divided by (1 + growth): total 5.25 trillion up 7.4% was
5.25 ÷ 1.074 = 4.888 trillion a year before.
"""

from __future__ import annotations

from servtrade.stats.claims.facts import Facts
from servtrade.stats.claims.figures import Fig, verdict_check
from servtrade.stats.claims.internal import PARTS, balance_of, levels
from servtrade.stats.claims.judge import Fmt
from servtrade.stats.claims.model import Check, Claim
from servtrade.stats.claims.subjects import Flow


def _earlier(level: Claim, growth: Claim) -> Fig:
    return Fig.of(level) / Fig.of(growth).growth_factor()


def _flows_with_growth(claim: Claim, facts: Facts) -> tuple[dict[Flow, Claim], dict[Flow, Claim]]:
    """Flows (of total, exports, imports) stated with both a level and a growth rate."""
    amounts = levels(claim, facts) if claim.kind == "level" else {}
    if not amounts:
        amounts = {f: c for f in PARTS if (c := facts.find("level", claim, flow=f)) is not None}
    rates = {f: c for f in amounts if (c := facts.find("growth", claim, flow=f)) is not None}
    return {f: amounts[f] for f in rates}, rates


def check_balance_change(claim: Claim, facts: Facts) -> Check | None:
    """A change of the balance (the deficit "narrowed by") from two flows' levels and growth."""
    if claim.kind != "change" or claim.topic is None or claim.topic.flow != "balance":
        return None
    amounts, rates = _flows_with_growth(claim, facts)
    if len(amounts) < 2 or len({c.currency for c in amounts.values()}) != 1:
        return None
    show = Fmt.like(claim.quantity)
    now = balance_of({f: Fig.of(c) for f, c in amounts.items()}, show)
    then = balance_of({f: _earlier(amounts[f], rates[f]) for f in amounts}, show)
    assert now is not None and then is not None
    lines = [f"now: balance = {now[1]} = {show(now[0].value)}"]
    lines += [
        f"a year earlier: {f} = {show(amounts[f].value)} ÷ (1 + {rates[f].value:g}%) = "
        f"{show(_earlier(amounts[f], rates[f]).value)}"
        for f in amounts
    ]
    lines.append(f"a year earlier: balance = {then[1]} = {show(then[0].value)}")
    size = claim.size_change
    result = (abs(now[0]) - abs(then[0])) if size else now[0] - then[0]
    what = "change in the size of the balance, |now| − |earlier|" if size else "now − earlier"
    lines.append(f"{what} = {show(result.value)}")
    inputs = [*amounts.values(), *rates.values()]
    return verdict_check(
        "balance_change_from_levels_and_growth",
        "change of the balance recomputed from levels and growth rates",
        claim,
        result,
        lines,
        inputs=inputs,
    )


def check_level_change(claim: Claim, facts: Facts) -> Check | None:
    """A change of a flow's level ("exports increased by 300 billion") from its growth rate."""
    if claim.kind != "change" or claim.topic is None or claim.topic.flow == "balance":
        return None
    level = facts.find("level", claim, currency=claim.currency)
    growth = facts.find("growth", claim)
    if level is None or growth is None:
        return None
    show = Fmt.like(claim.quantity)
    result = Fig.of(level) - _earlier(level, growth)
    lines = [
        f"{show(level.value)} − {show(level.value)} ÷ (1 + {growth.value:g}%) = "
        f"{show(result.value)}"
    ]
    return verdict_check(
        "change_from_level_and_growth",
        "change recomputed from the level and its growth rate",
        claim,
        result,
        lines,
        inputs=[level, growth],
    )


def check_growth_from_parts(claim: Claim, facts: Facts) -> Check | None:
    """A flow's growth from the other two flows' levels and growth rates (total = X + M)."""
    if claim.kind != "growth" or claim.topic is None or claim.topic.flow not in PARTS:
        return None
    amounts, rates = _flows_with_growth(claim, facts)
    others = [f for f in PARTS if f != claim.topic.flow and f in amounts]
    if len(others) < 2 or len({amounts[f].currency for f in others}) != 1:
        return None
    now = {f: Fig.of(amounts[f]) for f in others}
    then = {f: _earlier(amounts[f], rates[f]) for f in others}
    flow = claim.topic.flow
    result = (_solve(flow, now) / _solve(flow, then)).as_percent_rate()
    show = Fmt.like(amounts[others[0]].quantity)
    lines = [
        f"{flow} now = {show(_solve(flow, now).value)}; a year earlier = "
        f"{show(_solve(flow, then).value)} (from {' and '.join(others)} and their growth)",
        f"growth = {show(_solve(flow, now).value)} ÷ {show(_solve(flow, then).value)} − 1 = "
        f"{result.value:.2f}%",
    ]
    inputs = [*(amounts[f] for f in others), *(rates[f] for f in others)]
    return verdict_check(
        "growth_from_parts",
        f"growth of {flow} recomputed from the other flows",
        claim,
        result,
        lines,
        inputs=inputs,
    )


def _solve(flow: Flow, figs: dict[Flow, Fig]) -> Fig:
    """One of total, exports, imports from the other two."""
    if flow == "total":
        return figs["exports"] + figs["imports"]
    other: Flow = "imports" if flow == "exports" else "exports"
    return figs["total"] - figs[other]


def check_share(claim: Claim, facts: Facts) -> Check | None:
    """A share against the stated levels of its part and its whole."""
    if claim.kind != "share" or claim.topic is None or claim.whole is None:
        return None
    part = facts.find("level", claim)
    whole = facts.find(
        "level",
        claim,
        flow=claim.whole.flow,
        item=claim.whole.item,
        currency=part.currency if part else None,
    )
    if part is None or whole is None or part is whole:
        return None
    result = Fig.exact(100.0) * (Fig.of(part) / Fig.of(whole))
    show = Fmt.like(part.quantity)
    lines = [f"100 × {show(part.value)} ÷ {show(whole.value)} = {result.value:.2f}%"]
    return verdict_check(
        "share_from_levels",
        "share recomputed from the levels of part and whole",
        claim,
        result,
        lines,
        inputs=[part, whole],
    )
