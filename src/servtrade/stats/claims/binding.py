"""Binding a number to its context: the period, service, flow, economy and currency it belongs
to, found in the same sentence or carried from earlier ones, as releases write them.

Rules, nearest first: a period right after the number ("$219.1 bn in 2014"), else the nearest
one before it in the sentence, else after it, else the last one of an earlier sentence. The
flow and service come from the nearest subject phrase before the number in its clause (else
after it), else from the document's first service phrase. Every value taken from further away
than the sentence is noted on the claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from servtrade.stats.claims.economies import EconomyMention
from servtrade.stats.claims.numbers import Quantity, home_economy
from servtrade.stats.claims.periods import PeriodMention
from servtrade.stats.claims.subjects import TOTAL_SERVICES, Flow, Mention, Subject, Topic

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])|[。！？\n]\s*|\n\s*\n")
_ADJACENT_AFTER = re.compile(
    r"^[\s,]*(?:in|for|during|of|over|as\s+of|at\s+the\s+end\s+of|by)?\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Context:
    """Everything found in one document that numbers are bound to."""

    text: str
    today: date | None
    sentences: tuple[tuple[int, int], ...]
    periods: tuple[PeriodMention, ...]
    subjects: tuple[Mention, ...]
    economies: tuple[EconomyMention, ...]
    quantities: tuple[Quantity, ...]

    def sentence(self, pos: int) -> tuple[int, int]:
        return next((s for s in self.sentences if s[0] <= pos < s[1]), (0, len(self.text)))

    def clause_start(self, pos: int) -> int:
        """Where the clause holding ``pos`` begins (after a semicolon, or the sentence start)."""
        start = self.sentence(pos)[0]
        cut = max(self.text.rfind(";", start, pos), self.text.rfind("；", start, pos))
        return start if cut < 0 else cut + 1


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans: ends at ". " before a capital, at Chinese full stops and blank lines."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return tuple((a, b) for a, b in spans if b > a)


def bind_period(
    ctx: Context, start: int, end: int, want_span: bool
) -> tuple[PeriodMention | None, str | None]:
    """The period of the number at ``start:end`` and a note when it came from afar.

    ``want_span``: an average rate needs a range of years ("from 2014 to 2024", "since 2012").
    """
    s0, s1 = ctx.sentence(start)
    here = [p for p in ctx.periods if s0 <= p.start < s1 and (p.period.span or not want_span)]
    for p in here:
        if p.start >= end and _ADJACENT_AFTER.match(ctx.text[end : p.start]):
            return p, None
    before = [p for p in here if p.end <= start]
    if before:
        return before[-1], None
    after = [p for p in here if p.start >= end]
    if after:
        return after[0], None
    earlier = [
        p for p in ctx.periods if p.end <= s0 and p.period.span == want_span and _leads(ctx, p)
    ]
    if earlier:
        return earlier[-1], f"period {earlier[-1].text!r} carried from an earlier sentence"
    return None, None


def _leads(ctx: Context, mention: PeriodMention) -> bool:
    """Whether a period opens its sentence (comes before its first number): only such periods
    ("From January to August, ...") carry over to the sentences that follow."""
    s0 = ctx.sentence(mention.start)[0]
    return not any(s0 <= q.start < mention.start for q in ctx.quantities if not q.bare)


def _nearest(mentions: Sequence[Mention], start: int, end: int, lo: int, hi: int) -> Mention | None:
    before = [m for m in mentions if lo <= m.start and m.end <= start]
    if before:
        return before[-1]
    after = [m for m in mentions if end <= m.start and m.end <= hi]
    return after[0] if after else None


def bind_topic(ctx: Context, start: int, end: int, next_start: int) -> tuple[Topic, Subject | None]:
    """The service and flow of the number at ``start:end`` and the balance phrase it is about
    ("deficit", "surplus"), if any; ``next_start`` is where the next number begins."""
    lo, s1 = ctx.clause_start(start), ctx.sentence(start)[1]
    hi = min(next_start, s1)
    flows = [m for m in ctx.subjects if m.subject.flow]
    items = [m for m in ctx.subjects if m.subject.item]
    flow_m = _nearest(flows, start, end, ctx.sentence(start)[0], hi)
    item_m = _nearest(items, start, end, lo, hi)
    inferred: list[str] = []
    if item_m is None:
        item = next((m.subject.item for m in items if m.subject.item), None) or TOTAL_SERVICES
        inferred.append("item")
    else:
        item = item_m.subject.item or TOTAL_SERVICES
    if flow_m is None:
        flow: Flow = item_m.subject.flow if item_m and item_m.subject.flow else "total"
        inferred.append("flow")
    else:
        flow = flow_m.subject.flow or "total"
    balance = flow_m.subject if flow_m is not None and flow == "balance" else None
    return Topic(item, flow, tuple(inferred)), balance


def bind_whole(ctx: Context, end: int, part: Topic) -> Topic:
    """The whole a share is of: the subject phrase after "of", else total services."""
    tail = ctx.text[end : ctx.sentence(end)[1]]
    m = re.match(r"^\s*(?:of|in)\s+(?:the\s+|total\s+|all\s+|China's\s+)*", tail, re.IGNORECASE)
    if m:
        near = [s for s in ctx.subjects if end + m.end() <= s.start <= end + m.end() + 3]
        if near:
            subject = near[0].subject
            return Topic(subject.item or TOTAL_SERVICES, subject.flow or part.flow)
    return Topic(TOTAL_SERVICES, part.flow, ("item",))


_SHARE_OF = re.compile(r"(?:share|proportion|percentage)\s+of\s+", re.IGNORECASE)


def bind_share(ctx: Context, start: int, end: int, topic: Topic) -> tuple[Topic, Topic]:
    """Part and whole of a share: "the share of <part> in <whole> ... 52.2%", else the bound
    topic as the part and the phrase after the number ("of services exports") as the whole."""
    lo = ctx.clause_start(start)
    cues = list(_SHARE_OF.finditer(ctx.text, lo, start))
    cue = cues[-1] if cues else None
    named = [s.subject for s in ctx.subjects if cue and cue.end() <= s.start and s.end <= start]
    if not named:
        return topic, bind_whole(ctx, end, topic)
    part, rest = named[0], named[1:]
    whole_flow = next((s.flow for s in rest if s.flow), None) or part.flow or topic.flow
    whole_item = next((s.item for s in rest if s.item), None) or TOTAL_SERVICES
    return (
        Topic(part.item or TOTAL_SERVICES, part.flow or whole_flow),
        Topic(whole_item, whole_flow),
    )


def bind_economy(ctx: Context, start: int) -> tuple[str | None, str | None]:
    """The reporting economy of the number at ``start`` and a note when it was inferred."""
    s0 = ctx.sentence(start)[0]
    reporters = [e for e in ctx.economies if not e.partner]
    here = [e for e in reporters if s0 <= e.start < start]
    if here:
        return here[-1].economy.alpha3, None
    if reporters:
        return reporters[0].economy.alpha3, f"economy {reporters[0].text!r} from the document"
    currencies = [q.currency for q in ctx.quantities if q.currency]
    home = home_economy(currencies[0]) if currencies else None
    if home:
        return home, f"economy from the currency ({currencies[0]})"
    return None, None


def bind_currency(ctx: Context, q: Quantity) -> tuple[Quantity, str | None]:
    """A scaled number without a currency ("exports 2.3 trillion") takes the nearest one before."""
    if q.unit != "number" or q.scale_word is None:
        return q, None
    before = [x for x in ctx.quantities if x.currency and x.end <= q.start]
    after = [x for x in ctx.quantities if x.currency and x.start >= q.end]
    source = before[-1] if before else (after[0] if after else None)
    if source is None or source.currency is None:
        return q, None
    return q.with_currency(
        source.currency
    ), f"currency {source.currency} taken from {source.text!r}"
