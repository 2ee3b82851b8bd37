"""Economies: ISO 3166-1 codes and names, World Bank groups, aliases; lookup by any of them.

Sources: the ISO 3166-1 list and its Chinese translation shipped with pycountry; our tables
``data/classifications/wb_groups.csv`` (World Bank WDI region and income group, aggregates) and
``economy_aliases.csv`` (other names in use, e.g. WDI's "Korea, Rep.", "中国"). Economies
that WDI codes but ISO does not (Kosovo XKX, Channel Islands CHI) come from the WDI table.
Aggregates (World, regions, income groups) are :class:`Economy` objects with
``is_aggregate=True`` and are never counted as economies.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from servtrade.vocab.datafile import Row, classification_path, data_error, load_rows
from servtrade.vocab.suggest import unknown

WB_COLUMNS = ("code", "name", "region", "income_group", "is_aggregate")
ALIAS_COLUMNS = ("alias", "code", "kind", "note")
ALIAS_KINDS = ("alias", "name_zh")


@dataclass(frozen=True)
class Economy:
    """An economy (or, with ``is_aggregate``, a group of economies such as WLD or HIC)."""

    alpha2: str | None
    alpha3: str
    numeric: str | None
    name_en: str
    name_zh: str | None
    region: str | None
    income_group: str | None
    is_aggregate: bool = False
    official_name: str | None = None

    @property
    def code(self) -> str:
        """The key used across servtrade: ISO alpha-3, or the WDI code where ISO has none."""
        return self.alpha3

    def to_dict(self) -> dict[str, Any]:
        return {
            "alpha2": self.alpha2,
            "alpha3": self.alpha3,
            "numeric": self.numeric,
            "name_en": self.name_en,
            "name_zh": self.name_zh,
            "region": self.region,
            "income_group": self.income_group,
            "is_aggregate": self.is_aggregate,
            "official_name": self.official_name,
        }


@dataclass(frozen=True)
class _Group:
    code: str
    name: str
    region: str | None
    income_group: str | None
    is_aggregate: bool


@dataclass(frozen=True)
class _Alias:
    alias: str
    code: str
    kind: str


def _group(row: Row) -> _Group:
    return _Group(
        code=row.text("code"),
        name=row.text("name"),
        region=row.optional("region"),
        income_group=row.optional("income_group"),
        is_aggregate=row.flag("is_aggregate"),
    )


def _alias(row: Row) -> _Alias:
    return _Alias(
        alias=row.text("alias"), code=row.text("code"), kind=row.choice("kind", ALIAS_KINDS)
    )


def _from_iso(country: Any, zh: gettext.NullTranslations, group: _Group | None) -> Economy:
    return Economy(
        alpha2=country.alpha_2,
        alpha3=country.alpha_3,
        numeric=country.numeric,
        name_en=getattr(country, "common_name", None) or country.name,
        name_zh=zh.gettext(country.name) if zh.gettext(country.name) != country.name else None,
        region=group.region if group else None,
        income_group=group.income_group if group else None,
        official_name=getattr(country, "official_name", None) or country.name,
    )


def _from_wdi(group: _Group) -> Economy:
    # Kosovo is widely coded XK (a user-assigned ISO code); other WDI-only rows have none.
    return Economy(
        alpha2="XK" if group.code == "XKX" else None,
        alpha3=group.code,
        numeric=None,
        name_en=group.name,
        name_zh=None,
        region=group.region,
        income_group=group.income_group,
        is_aggregate=group.is_aggregate,
    )


@dataclass(frozen=True)
class EconomyIndex:
    """All economies and aggregates, and every key that resolves to one of them."""

    by_code: dict[str, Economy]
    keys: dict[str, str]

    def lookup(self, text: str | int) -> Economy | None:
        key = _normalise(text)
        code = self.keys.get(key)
        return self.by_code[code] if code else None


def _normalise(text: str | int) -> str:
    key = " ".join(str(text).split()).casefold()
    return key.zfill(3) if key.isdigit() and len(key) < 3 else key


def _build_economies(path: Path, groups: dict[str, _Group]) -> dict[str, Economy]:
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    found = {c.alpha_3: _from_iso(c, zh, groups.get(c.alpha_3)) for c in pycountry.countries}
    for code, group in groups.items():
        if code not in found:
            found[code] = _from_wdi(group)
        if group.is_aggregate and not found[code].is_aggregate:
            raise data_error(
                path,
                "is an ISO 3166-1 country but marked as an aggregate",
                field="code",
                value=code,
            )
    return found


def _codes(economy: Economy) -> Iterable[str]:
    return (c for c in (economy.alpha3, economy.alpha2, economy.numeric) if c)


def _names(economy: Economy, extra: Iterable[str]) -> Iterable[str]:
    names = (economy.name_en, economy.official_name, economy.name_zh, *extra)
    return (n for n in names if n)


def _extra_names(groups: dict[str, _Group]) -> dict[str, list[str]]:
    """ISO short names and WDI table names, besides the display names kept on each Economy."""
    extra: dict[str, list[str]] = {c.alpha_3: [c.name] for c in pycountry.countries}
    for group in groups.values():
        extra.setdefault(group.code, []).append(group.name)
    return extra


def _apply_aliases(path: Path, economies: dict[str, Economy], keys: dict[str, str]) -> None:
    for line, alias in enumerate(load_rows(path, ALIAS_COLUMNS, _alias), start=2):
        if alias.code not in economies:
            raise data_error(
                path,
                "is not a known economy code (ISO alpha-3 or WDI)",
                line=line,
                field="code",
                value=alias.code,
            )
        key = _normalise(alias.alias)
        if keys.get(key, alias.code) != alias.code:
            raise data_error(
                path, f"already means {keys[key]}", line=line, field="alias", value=alias.alias
            )
        keys[key] = alias.code
        if alias.kind == "name_zh":
            economies[alias.code] = replace(economies[alias.code], name_zh=alias.alias)


@cache
def economy_index() -> EconomyIndex:
    """Economies by code and the lookup keys (codes, names, Chinese names, aliases)."""
    return read_economies(
        classification_path("wb_groups.csv"), classification_path("economy_aliases.csv")
    )


def read_economies(wb_groups: Path, aliases: Path) -> EconomyIndex:
    """Build the index from pycountry plus tables laid out like ``wb_groups.csv`` and
    ``economy_aliases.csv``."""
    groups: dict[str, _Group] = {}
    for line, group in enumerate(load_rows(wb_groups, WB_COLUMNS, _group), start=2):
        if group.code in groups:
            raise data_error(wb_groups, "is duplicated", line=line, field="code", value=group.code)
        groups[group.code] = group
    economies = _build_economies(wb_groups, groups)
    extra = _extra_names(groups)
    keys: dict[str, str] = {}
    # Codes first, so that a name never shadows the code of another economy.
    for economy in economies.values():
        keys.update((_normalise(c), economy.alpha3) for c in _codes(economy))
    for economy in economies.values():
        for name in _names(economy, extra.get(economy.alpha3, ())):
            keys.setdefault(_normalise(name), economy.alpha3)
    _apply_aliases(aliases, economies, keys)
    return EconomyIndex(by_code=economies, keys=keys)


def resolve_economy(text: str | int) -> Economy:
    """The economy for a code (alpha-2/alpha-3/numeric), alias, English or Chinese name."""
    index = economy_index()
    found = index.lookup(text)
    if found is None:
        shown = {k: f"{index.by_code[c].name_en} ({c})" for k, c in index.keys.items()}
        raise unknown(
            "economy",
            str(text).strip(),
            shown,
            "use an ISO code or a name from `servtrade vocab economies`",
        )
    return found


def search_economies(text: str, *, include_aggregates: bool = True) -> list[Economy]:
    """Economies with a code, name or alias containing ``text``; exact and prefix hits first."""
    index = economy_index()
    query = _normalise(text)
    ranked: dict[str, int] = {}
    for key, code in index.keys.items():
        rank = 0 if key == query else 1 if key.startswith(query) else 2 if query in key else 3
        if rank < 3:
            ranked[code] = min(rank, ranked.get(code, 3))
    hits = [index.by_code[c] for c in sorted(ranked, key=lambda c: (ranked[c], c))]
    return [e for e in hits if include_aggregates or not e.is_aggregate]


def all_economies(include_aggregates: bool = False) -> list[Economy]:
    """Every economy sorted by English name; aggregates only when asked for."""
    found = economy_index().by_code.values()
    return sorted(
        (e for e in found if include_aggregates or not e.is_aggregate), key=lambda e: e.name_en
    )
