"""The four GATS modes of supply (GATS Article I:2), from data/classifications/gats_modes.csv."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from servtrade.vocab.datafile import Row, classification_path, data_error, load_rows
from servtrade.vocab.suggest import unknown

COLUMNS = (
    "mode",
    "name_en",
    "name_zh",
    "gats_article",
    "definition",
    "in_cn_cross_border_negative_list",
    "note",
)
_MODE_TEXT = re.compile(r"^(?:gats\s*)?(?:mode|m)?\s*[-_:]?\s*([1-4])$", re.IGNORECASE)


@dataclass(frozen=True)
class GatsMode:
    """A mode of supply, with whether China's cross-border negative lists cover it."""

    mode: int
    name_en: str
    name_zh: str
    gats_article: str
    definition: str
    in_cn_cross_border_negative_list: bool
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "name_en": self.name_en,
            "name_zh": self.name_zh,
            "gats_article": self.gats_article,
            "definition": self.definition,
            "in_cn_cross_border_negative_list": self.in_cn_cross_border_negative_list,
            "note": self.note,
        }


def _mode(row: Row) -> GatsMode:
    number = row.integer("mode")
    if number not in (1, 2, 3, 4):
        raise row.error("mode", number, "is not a GATS mode", hint="modes are 1, 2, 3 and 4")
    return GatsMode(
        mode=number,
        name_en=row.text("name_en"),
        name_zh=row.text("name_zh"),
        gats_article=row.text("gats_article"),
        definition=row.text("definition"),
        in_cn_cross_border_negative_list=row.flag("in_cn_cross_border_negative_list"),
        note=row.optional("note"),
    )


@cache
def modes() -> tuple[GatsMode, ...]:
    """The four modes, in order."""
    return read_modes(classification_path("gats_modes.csv"))


def read_modes(path: Path) -> tuple[GatsMode, ...]:
    """Read and validate a table laid out like ``gats_modes.csv``."""
    found = tuple(sorted(load_rows(path, COLUMNS, _mode), key=lambda m: m.mode))
    if [m.mode for m in found] != [1, 2, 3, 4]:
        raise data_error(
            path,
            "must list modes 1, 2, 3 and 4 once each",
            field="mode",
            value=",".join(str(m.mode) for m in found),
        )
    return found


def resolve_mode(value: int | str) -> GatsMode:
    """A mode from ``1``..``4``, ``"mode 4"``, ``"M1"`` or its English or Chinese name."""
    text = str(value).strip()
    match = _MODE_TEXT.match(text)
    if match:
        return modes()[int(match.group(1)) - 1]
    names = {n.casefold(): m for m in modes() for n in (m.name_en, m.name_zh)}
    if text.casefold() in names:
        return names[text.casefold()]
    shown = {k: f"mode {m.mode} {m.name_en}" for k, m in names.items()}
    raise unknown("GATS mode", text, shown, "use 1, 2, 3 or 4 (or e.g. 'mode 4')")
