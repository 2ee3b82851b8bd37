"""Feature arrays for matchmaking: offers and needs as numpy/scipy values, factors by broadcasting.

Pure: no database, no rules engine, no statistics store. The service turns rows into
:class:`Item` values and passes the EBOPS distance and market signals in as callables;
everything else here is vectorised so that a block of needs is scored against every offer
at once. Each factor is a number in [0, 1].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

SIZES = ("small", "medium", "large")
#: how far apart in the EBOPS tree two services may be and still count as related
MAX_CODE_DISTANCE = 4
Floats = NDArray[np.float32]
Ints = NDArray[np.int64]


@dataclass(frozen=True)
class Item:
    """An offer or a need with what matching needs to know about it and its owner."""

    id: int
    owner: int
    organisation: int
    economy: str | None
    ebops: str
    modes: tuple[int, ...]
    markets: tuple[str, ...]
    size: str
    text: str
    service: str = ""  # what the rules engine is asked about ("w120:1.A.i"); default ebops

    @property
    def rules_service(self) -> str:
        return self.service or f"ebops:{self.ebops}"


@dataclass(frozen=True)
class MarketSignal:
    """How attractive a service is in an economy (0..1), with the statistic behind it."""

    value: float
    evidence: str


CodeDistance = Callable[[str, str], int]
MarketLookup = Callable[[str, str], MarketSignal | None]


def mode_mask(modes: Sequence[int]) -> int:
    return sum(1 << (m - 1) for m in set(modes) if 1 <= m <= 4)


def _mode_table() -> Floats:
    """Share of the need's modes the offer covers, for every pair of 4-bit masks."""
    table = np.zeros((16, 16), dtype=np.float32)
    for need in range(1, 16):
        for offer in range(16):
            table[need, offer] = (need & offer).bit_count() / need.bit_count()
    return table


MODE_FIT = _mode_table()
#: 1 for the same size band, 0.5 one band apart, 0 for small against large
SIZE_FIT = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]], dtype=np.float32)


class TextModel:
    """TF-IDF over descriptions; fitted once, then reused so that new items score consistently."""

    def __init__(self, texts: Sequence[str]) -> None:
        # imported here: scikit-learn takes seconds to import, and most commands never match
        from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
            TfidfVectorizer,
        )

        self.vectorizer = TfidfVectorizer(
            sublinear_tf=True, stop_words="english", dtype=np.float32, min_df=1
        )
        corpus = [t for t in texts if t.strip()]
        try:
            self.vectorizer.fit(corpus or ["service"])
        except ValueError:  # only stop words: no vocabulary, so text never scores
            self.vectorizer.fit(["service"])
        self.terms = self.vectorizer.get_feature_names_out()

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        if not texts:
            return sparse.csr_matrix((0, len(self.terms)), dtype=np.float32)
        return sparse.csr_matrix(self.vectorizer.transform(list(texts)), dtype=np.float32)


@dataclass
class Side:
    """The arrays of one side (all offers, or all needs), sorted by owner."""

    items: list[Item]
    owner: Ints
    organisation: Ints
    economy: Ints
    code: Ints
    service: Ints
    modes: Ints
    size: Ints
    markets: NDArray[np.bool_]
    text: sparse.csr_matrix
    owners: Ints
    starts: Ints


class Vocabulary:
    """Index numbers for the economies and EBOPS codes seen; the last economy slot is 'unknown'."""

    def __init__(self, items: Sequence[Item]) -> None:
        economies = sorted({e for i in items for e in (i.economy, *i.markets) if e})
        self.economies = {e: n for n, e in enumerate(economies)}
        self.codes = {c: n for n, c in enumerate(sorted({i.ebops for i in items}))}
        self.services = {s: n for n, s in enumerate(sorted({i.rules_service for i in items}))}

    @property
    def unknown(self) -> int:
        return len(self.economies)

    def economy(self, code: str | None) -> int:
        return self.economies.get(code, self.unknown) if code else self.unknown


def build_side(items: Sequence[Item], vocab: Vocabulary, text: TextModel) -> Side:
    ordered = sorted(items, key=lambda i: (i.owner, i.id))
    n_econ = vocab.unknown + 1
    markets = np.zeros((len(ordered), n_econ), dtype=np.bool_)
    for row, item in enumerate(ordered):
        if item.markets:
            markets[row, [vocab.economy(m) for m in item.markets]] = True
        else:
            markets[row, :] = True  # no list means any market
    owner = np.array([i.owner for i in ordered], dtype=np.int64)
    owners, starts = np.unique(owner, return_index=True)
    return Side(
        items=ordered,
        owner=owner,
        organisation=np.array([i.organisation for i in ordered], dtype=np.int64),
        economy=np.array([vocab.economy(i.economy) for i in ordered], dtype=np.int64),
        code=np.array([vocab.codes[i.ebops] for i in ordered], dtype=np.int64),
        service=np.array([vocab.services[i.rules_service] for i in ordered], dtype=np.int64),
        modes=np.array([mode_mask(i.modes) for i in ordered], dtype=np.int64),
        size=np.array([SIZES.index(i.size) if i.size in SIZES else 1 for i in ordered], np.int64),
        markets=markets,
        text=text.transform([i.text for i in ordered]),
        owners=owners.astype(np.int64),
        starts=starts.astype(np.int64),
    )


def code_similarity(vocab: Vocabulary, distance: CodeDistance) -> Floats:
    """1 for the same item, falling linearly to 0 at MAX_CODE_DISTANCE tree edges."""
    codes = list(vocab.codes)
    sim = np.zeros((len(codes), len(codes)), dtype=np.float32)
    for a, code_a in enumerate(codes):
        for b in range(a, len(codes)):
            d = distance(code_a, codes[b])
            sim[a, b] = sim[b, a] = max(0.0, 1.0 - d / MAX_CODE_DISTANCE)
    return sim


def market_table(vocab: Vocabulary, lookup: MarketLookup | None) -> Floats | None:
    """Attractiveness of each code in each economy, or None when no statistics are loaded."""
    if lookup is None:
        return None
    table = np.zeros((vocab.unknown + 1, len(vocab.codes)), dtype=np.float32)
    for economy, e in vocab.economies.items():
        for code, c in vocab.codes.items():
            signal = lookup(economy, code)
            table[e, c] = signal.value if signal else 0.0
    return table


def pair_matrix(
    pairs: Sequence[tuple[int, int]], participants: Mapping[int, int], size: int
) -> sparse.csr_matrix:
    """A 0/1 participant × participant matrix of (from, to) pairs (requests, do-not-meet)."""
    rows = [participants[a] for a, b in pairs if a in participants and b in participants]
    cols = [participants[b] for a, b in pairs if a in participants and b in participants]
    data = np.ones(len(rows), dtype=np.float32)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(size, size), dtype=np.float32)
    matrix.data[:] = 1.0  # duplicates count once
    return matrix


def owner_projection(side: Side, participants: Mapping[int, int], size: int) -> sparse.csr_matrix:
    """Item × participant indicator, to lift participant pairs to item pairs."""
    rows = np.arange(len(side.items))
    cols = np.array([participants[int(o)] for o in side.owner], dtype=np.int64)
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(side.items), size))
