"""The shape and ingredients of a synthetic fair (shared by the generator's modules)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

INGREDIENTS = Path(__file__).with_name("synthetic_fair.yaml")
Row = dict[str, Any]


@cache
def ingredients() -> dict[str, Any]:
    """The synthetic fair's ingredients (read once)."""
    data: dict[str, Any] = yaml.safe_load(INGREDIENTS.read_text(encoding="utf-8"))
    return data


def words(rng: random.Random, code: str, n: int) -> list[str]:
    """``n`` keywords of the EBOPS top-level area of ``code``."""
    bank: list[str] = ingredients()["phrases"].get(code[:2], ["services"])
    return rng.sample(bank, min(n, len(bank)))


@dataclass
class SyntheticFair:
    """Rows of a generated fair, linked by external ids; ``latent`` is the planted service."""

    fair: Row
    zones: list[Row] = field(default_factory=list)
    activities: list[Row] = field(default_factory=list)
    organisations: list[Row] = field(default_factory=list)
    participants: list[Row] = field(default_factory=list)
    booths: list[Row] = field(default_factory=list)
    partners: list[Row] = field(default_factory=list)
    launches: list[Row] = field(default_factory=list)
    offers: list[Row] = field(default_factory=list)
    needs: list[Row] = field(default_factory=list)
    listings: list[Row] = field(default_factory=list)
    requests: list[Row] = field(default_factory=list)
    slots: list[Row] = field(default_factory=list)
    tables: list[Row] = field(default_factory=list)
    meetings: list[Row] = field(default_factory=list)
    deals: list[Row] = field(default_factory=list)
