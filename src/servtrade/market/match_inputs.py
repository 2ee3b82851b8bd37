"""What matchmaking is given: a fair's rows as items, the rules engine as a plain
"feasibility" callable and the observatory's market signals (used by the recommendation use
case in :mod:`servtrade.market.services` and by the scheduler's pair weights)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from servtrade.config import Settings
from servtrade.errors import ServtradeError
from servtrade.market import queries
from servtrade.market.matching import Item, MatchInputs, Verdict
from servtrade.market.matching_scorer import Outcome
from servtrade.market.signals import market_lookup
from servtrade.vocab.ebops import ebops_tree


def rules_feasibility(on: date) -> Any:
    """The rules engine as the plain callable matching expects (or None when absent).

    Mode 4 is supply through the presence of natural persons, so the provider is judged as an
    individual there and as an entity established abroad in the other modes. A buyer economy
    without an encoded regime is ``not_covered`` without asking the engine case by case.
    """
    try:
        from servtrade.rules.evaluate import evaluate
        from servtrade.rules.loader import default_rulebook
        from servtrade.rules.model import Case, ProviderType
    except ImportError:  # pragma: no cover - the rules engine ships with servtrade
        return None
    regimes = set(default_rulebook().regimes)
    uncovered = Verdict("not_covered", ("no regime encoded for the buyer's economy",))

    def feasibility(provider: str | None, buyer: str | None, service: str, mode: int) -> Verdict:
        if not provider or not buyer:
            return Verdict("not_covered", ("no economy to judge (international organisation)",))
        if buyer not in regimes:
            return uncovered
        kind = ProviderType.individual if mode == 4 else ProviderType.entity_abroad
        try:
            verdict = evaluate(Case(provider, kind, buyer, service, mode, on=on))
        except ServtradeError as exc:
            return Verdict("not_covered", (f"rules engine: {exc}",))
        outcome: Outcome = verdict.outcome.value
        if outcome not in ("prohibited", "conditional"):
            return Verdict(outcome, ())
        cited = tuple(f"{r.measure.id}: {r.measure.reference.cite()}" for r in verdict.applied)
        return Verdict(outcome, cited)

    return feasibility


def items_of(rows: Sequence[tuple[Any, ...]]) -> list[Item]:
    """Database rows of offers or needs (see :func:`queries.match_rows`) as matching items."""
    return [
        Item(
            id=r[0],
            owner=r[1],
            organisation=r[2],
            economy=r[3],
            ebops=r[4],
            modes=tuple(r[5] or ()),
            markets=tuple(r[6] or ()),
            size=r[7],
            text=r[8] or "",
            service=f"w120:{r[9]}" if r[9] else "",
        )
        for r in rows
    ]


def match_inputs(
    rows: queries.MatchRows,
    on: date | None,
    exclude_prohibited: bool = True,
    settings: Settings | None = None,
) -> MatchInputs:
    """Matching's values: items, the rules engine as a callable, the observatory's signals."""
    tree = ebops_tree()
    when = on or date.today()
    offers, needs = items_of(rows.offers), items_of(rows.needs)
    economies = sorted({n.economy for n in needs if n.economy})
    market = market_lookup(settings, economies, sorted({o.ebops for o in offers}), when.year - 1)
    return MatchInputs(
        offers=offers,
        needs=needs,
        distance=tree.distance,
        requests=rows.requests,
        do_not_meet=rows.do_not_meet,
        feasibility=rules_feasibility(when),
        market=market,
        missing={
            "attractiveness": "not available: load services imports by EBOPS item (e.g. WDI "
            "BM.GSR.NFSV.CD, or BaTIS) into the observatory",
            "rules": "not available: rules engine not installed",
        },
        labels={i.code: i.label for i in tree.items()},
        exclude_prohibited=exclude_prohibited,
    )
