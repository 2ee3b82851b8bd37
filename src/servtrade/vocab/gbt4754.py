"""GB/T 4754-2017, China's industrial classification: sections A-T with their division ranges.

Data: ``data/classifications/gbt4754_2017_sections.csv`` (derived from ../shared/reference).
The ISIC, W/120 and EBOPS correspondences are approximate, as the reference says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from servtrade.vocab.datafile import Row, classification_path, load_rows, unique
from servtrade.vocab.ebops import ebops_tree
from servtrade.vocab.suggest import unknown

COLUMNS = (
    "section",
    "name_zh",
    "name_en",
    "division_from",
    "division_to",
    "isic_rev4_approx",
    "w120_approx",
    "ebops2010_approx",
    "note",
)
_EBOPS = re.compile(r"\bS[A-L][0-9A-Z]*\b")


@dataclass(frozen=True)
class GbtSection:
    """A GB/T 4754-2017 section (门类) and the divisions (大类) it spans."""

    section: str
    name_zh: str
    name_en: str
    division_from: int
    division_to: int
    isic_rev4_approx: str | None
    w120_approx: str | None
    ebops_codes: tuple[str, ...]
    ebops2010_approx: str | None = None
    note: str | None = None

    def contains(self, division: int) -> bool:
        return self.division_from <= division <= self.division_to

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "division_from": self.division_from,
            "division_to": self.division_to,
            "isic_rev4_approx": self.isic_rev4_approx,
            "w120_approx": self.w120_approx,
            "ebops_codes": list(self.ebops_codes),
            "ebops2010_approx": self.ebops2010_approx,
            "note": self.note,
        }


def _section(row: Row) -> GbtSection:
    low, high = row.integer("division_from"), row.integer("division_to")
    if not 1 <= low <= high <= 99:
        raise row.error("division_to", high, f"must be from {low} to 99")
    ebops_text = row.optional("ebops2010_approx")
    codes = tuple(_EBOPS.findall(ebops_text or ""))
    tree = ebops_tree()
    for code in codes:
        if code not in tree:
            raise row.error("ebops2010_approx", code, "is not an EBOPS 2010 code")
    return GbtSection(
        section=row.text("section"),
        name_zh=row.text("name_zh"),
        name_en=row.text("name_en"),
        division_from=low,
        division_to=high,
        isic_rev4_approx=row.optional("isic_rev4_approx"),
        w120_approx=row.optional("w120_approx"),
        ebops_codes=codes,
        ebops2010_approx=ebops_text,
        note=row.optional("note"),
    )


@cache
def gbt4754_sections() -> tuple[GbtSection, ...]:
    """Sections A-T in order."""
    return read_gbt4754(classification_path("gbt4754_2017_sections.csv"))


def read_gbt4754(path: Path) -> tuple[GbtSection, ...]:
    """Read and validate a table laid out like ``gbt4754_2017_sections.csv``."""
    sections = load_rows(path, COLUMNS, _section)
    unique(path, sections, lambda s: s.section, "section")
    return tuple(sections)


def resolve_gbt4754(code: str | int) -> GbtSection:
    """A section by letter (``I``) or by a division number inside it (``65`` is in ``I``)."""
    text = str(code).strip()
    for section in gbt4754_sections():
        if text.upper() == section.section or (text.isdigit() and section.contains(int(text))):
            return section
    shown = {s.section.casefold(): f"{s.section} {s.name_en}" for s in gbt4754_sections()}
    shown.update({s.name_en.casefold(): f"{s.section} {s.name_en}" for s in gbt4754_sections()})
    raise unknown("GB/T 4754 section", text, shown, "use a section letter A-T or a division 01-97")
