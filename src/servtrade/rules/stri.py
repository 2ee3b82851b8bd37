"""OECD STRI and Digital STRI scores as restrictiveness context for verdicts (plain csv, no duckdb).

Files (read where they are; never copied): ``rules-data/oecd_stri/stri_scores_2014_2024_long.csv``
(sector, policy_area, country, year, score), ``rules-data/oecd_digital_stri/dstri_2020_2024.csv``
(SDMX columns REF_AREA, TIME_PERIOD, MEASURE, OBS_VALUE) and ``reference/stri_sectors.csv``
(STRI sector -> approximate W/120 and GB/T 4754). A :class:`StriContext` is the callable the
evaluator accepts as ``context``; the rules engine itself never reads these files.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from servtrade.errors import DataFileError, ErrorDetail
from servtrade.rules.model import Case, ServiceRef
from servtrade.rules.verdict import ContextNote

STRI_FILE = Path("rules-data/oecd_stri/stri_scores_2014_2024_long.csv")
DSTRI_FILE = Path("rules-data/oecd_digital_stri/dstri_2020_2024.csv")
SECTORS_FILE = Path("reference/stri_sectors.csv")
STRI_SOURCE = "OECD Services Trade Restrictiveness Index (0 open - 1 closed)"
DSTRI_SOURCE = "OECD Digital STRI (0 open - 1 closed)"
_W120 = re.compile(r"\d+(?:\.[A-Z](?:\.[a-z])?)?")
_GBT = re.compile(r"[A-T]\d{2}")


@dataclass(frozen=True)
class StriSector:
    code: str
    name_en: str
    w120: tuple[str, ...]
    gbt4754: tuple[str, ...]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            yield from csv.DictReader(fh)
    except OSError as exc:
        raise DataFileError(
            f"cannot read STRI data {path}",
            errors=[
                ErrorDetail(
                    f"cannot be read ({exc.strerror})",
                    file=str(path),
                    hint="point --shared-dir (SERVTRADE_SHARED_DIR) at the shared datasets",
                )
            ],
        ) from exc


class StriContext:
    """Look up STRI scores for the buyer's economy, the service's STRI sector and the year."""

    def __init__(self, shared: Path) -> None:
        self.shared = shared

    @cached_property
    def sectors(self) -> tuple[StriSector, ...]:
        found = []
        for row in _rows(self.shared / SECTORS_FILE):
            found.append(
                StriSector(
                    row["stri_code"],
                    row["name_en"],
                    tuple(_W120.findall(row.get("w120_approx") or "")),
                    tuple(_GBT.findall(row.get("gbt4754_approx") or "")),
                )
            )
        return tuple(found)

    @cached_property
    def scores(self) -> dict[tuple[str, str], dict[int, float]]:
        """(economy, sector) -> year -> total STRI score."""
        found: dict[tuple[str, str], dict[int, float]] = {}
        for row in _rows(self.shared / STRI_FILE):
            if row["policy_area"] == "STRI":
                found.setdefault((row["country"], row["sector"]), {})[int(row["year"])] = float(
                    row["score"]
                )
        return found

    @cached_property
    def digital(self) -> dict[str, dict[int, float]]:
        found: dict[str, dict[int, float]] = {}
        for row in _rows(self.shared / DSTRI_FILE):
            if row["MEASURE"] == "STRI":
                found.setdefault(row["REF_AREA"], {})[int(row["TIME_PERIOD"])] = float(
                    row["OBS_VALUE"]
                )
        return found

    def sectors_for(self, service: ServiceRef) -> list[StriSector]:
        """STRI sectors that contain the service (via its W/120 or GB/T 4754 codes)."""
        keys = set(service.path) | set(service.within)
        return [
            s
            for s in self.sectors
            if any(f"w120:{w}" in keys for w in s.w120)
            or any(f"gbt4754:{g}" in keys for g in s.gbt4754)
        ]

    def __call__(self, case: Case, service: ServiceRef, on: date) -> Sequence[ContextNote]:
        notes = []
        for sector in self.sectors_for(service):
            found = _latest(self.scores.get((case.buyer_economy, sector.code), {}), on.year)
            if found:
                notes.append(
                    ContextNote(
                        f"STRI {sector.name_en} ({sector.code}), {case.buyer_economy}",
                        found[1],
                        found[0],
                        STRI_SOURCE,
                        "sector mapped from W/120 or GB/T via stri_sectors.csv (approximate)",
                    )
                )
        found = _latest(self.digital.get(case.buyer_economy, {}), on.year)
        if found:
            notes.append(
                ContextNote(
                    f"Digital STRI, {case.buyer_economy}",
                    found[1],
                    found[0],
                    DSTRI_SOURCE,
                    "economy-wide",
                )
            )
        return notes


def _latest(series: dict[int, float], year: int) -> tuple[int, float] | None:
    """The score of ``year``, or of the latest earlier year available."""
    years = [y for y in series if y <= year]
    if not years:
        return None
    best = max(years)
    return best, series[best]
