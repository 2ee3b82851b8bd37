"""WTO services sectoral classification list (MTN.GNS/W/120) with provisional CPC codes.

Data: ``data/classifications/w120.csv``, derived from ../shared/reference; each row keeps the
reference's verification flag (``verified_excerpt`` or ``from_memory_unverified``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from servtrade.vocab.datafile import Row, classification_path, data_error, load_rows
from servtrade.vocab.suggest import unknown

COLUMNS = ("code", "name", "parent", "level", "cpc_prov", "verification")
VERIFICATIONS = ("verified_excerpt", "from_memory_unverified")
_CODE = re.compile(r"^\d{1,2}(?:\.[A-Z](?:\.[a-z])?)?$")
_TOKEN = re.compile(r"(\d+)(?:-(\d+))?")
_ASIDE = re.compile(r"\([^)]*\)")  # "(except 88442)", "(other than 93191)": not codes covered
MAX_RANGE = 100


@dataclass(frozen=True)
class W120Sector:
    """A W/120 sector or sub-sector (``1``, ``1.A``, ``1.A.a``)."""

    code: str
    name: str
    parent: str | None
    level: int
    cpc_prov: str | None
    verification: str
    cpc_codes: tuple[str, ...] = ()
    cpc_excluded: tuple[str, ...] = ()

    @property
    def verified(self) -> bool:
        return self.verification == "verified_excerpt"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "parent": self.parent,
            "level": self.level,
            "cpc_prov": self.cpc_prov,
            "cpc_codes": list(self.cpc_codes),
            "cpc_excluded": list(self.cpc_excluded),
            "verification": self.verification,
        }


def parse_cpc(text: str | None) -> tuple[str, ...]:
    """The CPC codes named in a W/120 cell: ``"83106-83109"`` expands, asides are dropped."""
    if not text:
        return ()
    codes: list[str] = []
    for start, end in _TOKEN.findall(_ASIDE.sub("", text)):
        if end and len(start) == len(end) and 0 <= int(end) - int(start) <= MAX_RANGE:
            width = len(start)
            codes += [str(n).zfill(width) for n in range(int(start), int(end) + 1)]
        else:
            codes.append(start)
    return tuple(dict.fromkeys(codes))


def _sector(row: Row) -> W120Sector:
    code = row.text("code")
    if not _CODE.match(code):
        raise row.error("code", code, "is not a W/120 code", hint="e.g. 1, 1.A or 1.A.a")
    parent = row.optional("parent")
    if parent != (code.rsplit(".", 1)[0] if "." in code else None):
        raise row.error("parent", parent, f"does not match the code {code}")
    if row.integer("level") != code.count(".") + 1:
        raise row.error("level", row.text("level"), f"should be {code.count('.') + 1}")
    cpc = row.optional("cpc_prov")
    return W120Sector(
        code=code,
        name=row.text("name"),
        parent=parent,
        level=code.count(".") + 1,
        cpc_prov=cpc,
        verification=row.choice("verification", VERIFICATIONS),
        cpc_codes=parse_cpc(cpc),
        cpc_excluded=tuple(c for a in _ASIDE.findall(cpc or "") for c in parse_cpc(a[1:-1])),
    )


def _check(path: Path, sectors: list[W120Sector]) -> dict[str, W120Sector]:
    index: dict[str, W120Sector] = {}
    for line, sector in enumerate(sectors, start=2):
        if sector.code.casefold() in index:
            raise data_error(path, "is duplicated", line=line, field="code", value=sector.code)
        if sector.parent and sector.parent.casefold() not in index:
            raise data_error(
                path, "names no earlier row", line=line, field="parent", value=sector.parent
            )
        index[sector.code.casefold()] = sector
    return index


def read_w120(path: Path) -> dict[str, W120Sector]:
    """Read and validate a table laid out like ``w120.csv`` (sectors by case-folded code)."""
    return _check(path, load_rows(path, COLUMNS, _sector))


@cache
def _index() -> dict[str, W120Sector]:
    return read_w120(classification_path("w120.csv"))


def w120_sectors() -> list[W120Sector]:
    """All sectors and sub-sectors in list order."""
    return list(_index().values())


def resolve_w120(code: str) -> W120Sector:
    """A sector by its code (case-insensitive: ``1.a.a`` is ``1.A.a``)."""
    text = str(code).strip()
    found = _index().get(text.casefold())
    if found is None:
        shown = {k: f"{s.code} {s.name}" for k, s in _index().items()}
        shown.update({s.name.casefold(): f"{s.code} {s.name}" for s in _index().values()})
        raise unknown("W/120 code", text, shown, "see `servtrade vocab w120`, e.g. 1.B.a")
    return found


def w120_children(code: str) -> list[W120Sector]:
    parent = resolve_w120(code).code
    return [s for s in _index().values() if s.parent == parent]


def w120_for_cpc(cpc: str) -> list[W120Sector]:
    """Sectors whose provisional CPC codes cover ``cpc`` (or lie inside it), most specific first.

    A CPC code covers every longer code that starts with it (``842`` covers ``8421``).
    """
    query = "".join(ch for ch in str(cpc) if ch.isdigit())
    if not query:
        raise unknown("CPC code", str(cpc), {}, "give the digits of a CPC code, e.g. 842")
    hits = [
        s
        for s in _index().values()
        if any(query.startswith(c) or c.startswith(query) for c in s.cpc_codes)
        and not any(query.startswith(c) for c in s.cpc_excluded)
    ]
    return sorted(hits, key=lambda s: -max(len(c) for c in s.cpc_codes))
