"""The claims of one document indexed by what they state, so checks can find the figures they
need: "the level of services exports in January–August 2025, in CNY"."""

from __future__ import annotations

from collections.abc import Iterable

from servtrade.stats.claims.model import Claim, Kind
from servtrade.stats.claims.periods import Period
from servtrade.stats.claims.subjects import Flow

Key = tuple[str, str | None, str, str, str]


def key(kind: Kind, economy: str | None, item: str, flow: str, period: Period) -> Key:
    return (kind, economy, item, flow, period.key)


class Facts:
    """Claims by (kind, economy, item, flow, period); the first statement of a key wins."""

    def __init__(self, claims: Iterable[Claim]) -> None:
        self.claims = list(claims)
        self._index: dict[Key, list[Claim]] = {}
        for claim in self.claims:
            if claim.topic is not None and claim.period is not None:
                k = key(claim.kind, claim.economy, claim.topic.item, claim.topic.flow, claim.period)
                self._index.setdefault(k, []).append(claim)

    def find(
        self,
        kind: Kind,
        like: Claim,
        *,
        flow: Flow | None = None,
        period: Period | None = None,
        item: str | None = None,
        currency: str | None = None,
    ) -> Claim | None:
        """The claim of ``kind`` about the same economy, item and period as ``like`` (each may
        be overridden); for amounts, in ``currency`` when given."""
        when = period or like.period
        if like.topic is None or when is None:
            return None
        k = key(kind, like.economy, item or like.topic.item, flow or like.topic.flow, when)
        for claim in self._index.get(k, []):
            if claim is not like and (currency is None or claim.currency == currency):
                return claim
        return None

    def levels_of(self, like: Claim) -> list[Claim]:
        """Levels of the same economy, item and flow as ``like`` for single years, by year."""
        found = [
            c
            for c in self.claims
            if c.kind == "level"
            and c.topic
            and like.topic
            and c.economy == like.economy
            and c.topic.item == like.topic.item
            and c.topic.flow == like.topic.flow
            and c.period is not None
            and c.period.is_year
        ]
        return sorted(found, key=lambda c: c.period.first if c.period else (0, 0))
