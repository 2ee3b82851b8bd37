"""The dataset catalog: one YAML entry per dataset in ``data/datasets/*.yaml``.

Each entry says what the dataset is (title, publisher, source URL, licence), how to read it
(layout, header signatures, series and flow codes) and how to show it (unit, display scale).
Entries are validated on load; errors name the file, line and field.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from servtrade.config import bundled_data_dir
from servtrade.errors import ErrorDetail, NotFoundError, ValidationError
from servtrade.stats.located_yaml import load_located, validation_details

Layout = Literal["wdi", "batis", "sdmx", "wto", "releases", "rates"]
Flow = Literal["exports", "imports", "balance", "total"]
FLOWS: tuple[str, ...] = ("exports", "imports", "balance", "total")
SCALES = {"unit": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


class Series(BaseModel):
    """What one indicator code of a source means: an EBOPS item and a flow."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    item: str = Field(min_length=1)
    flow: Flow
    name: str | None = None


class Fetch(BaseModel):
    """Where ``stats fetch`` downloads the dataset from (``{series}`` is filled in)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    url: str = Field(pattern=r"^https?://")
    requests_per_minute: int = Field(30, ge=1)


class Dataset(BaseModel):
    """One catalog entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    source_url: str = Field(pattern=r"^https?://")
    licence: str = Field(min_length=1)
    layout: Layout
    unit: str = Field(min_length=1, description="currency code (USD, CNY) or 'percent'")
    display_scale: Literal["unit", "thousand", "million", "billion", "trillion"] = "million"
    value_scale: Literal["unit", "thousand", "million", "billion", "trillion"] = "unit"
    dimensions: tuple[str, ...] = ("reporter", "partner", "item", "flow", "period")
    replace: Literal["all", "slice"] = "all"
    reject_threshold: float = Field(0.01, ge=0, le=1)
    detect: tuple[tuple[str, ...], ...] = ()
    series: dict[str, Series] = Field(default_factory=dict)
    flows: dict[str, Flow] = Field(default_factory=dict)
    columns: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="for column layouts: canonical field -> source column names to look for",
    )
    economy_aliases: dict[str, str] = Field(
        default_factory=dict, description="source-specific economy codes -> ISO alpha-3/WDI code"
    )
    defaults: dict[str, str] = Field(
        default_factory=dict, description="value when a column is empty"
    )
    extra_items: dict[str, str] = Field(
        default_factory=dict, description="item codes outside EBOPS 2010 this source uses"
    )
    file: str | None = None
    fetch: Fetch | None = None
    notes: str | None = None

    @property
    def display_factor(self) -> float:
        return SCALES[self.display_scale]

    @property
    def value_factor(self) -> float:
        return SCALES[self.value_scale]


def catalog_dir() -> Path:
    return bundled_data_dir() / "datasets"


def load_catalog(directory: Path | None = None) -> dict[str, Dataset]:
    """Every dataset entry in ``directory`` (default: the shipped ``data/datasets``)."""
    folder = directory or catalog_dir()
    found: dict[str, Dataset] = {}
    for path in sorted(folder.glob("*.yaml")):
        dataset = _load_entry(path)
        if dataset.id in found:
            detail = ErrorDetail(
                "is used by two entries",
                file=str(path),
                field="id",
                value=dataset.id,
                hint="give each dataset its own id",
            )
            raise ValidationError(f"duplicate dataset id {dataset.id!r}", errors=[detail])
        found[dataset.id] = dataset
    return found


def _load_entry(path: Path) -> Dataset:
    doc = load_located(path)
    try:
        dataset = Dataset.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        details = validation_details(exc, doc)
        raise ValidationError(f"invalid dataset entry {path.name}", errors=details) from exc
    if dataset.id != path.stem:
        detail = ErrorDetail(
            "must equal the file name",
            file=str(path),
            line=doc.line_of(["id"]),
            field="id",
            value=dataset.id,
            hint=f"rename to {dataset.id}.yaml",
        )
        raise ValidationError(f"invalid dataset entry {path.name}", errors=[detail])
    return dataset


@cache
def catalog() -> dict[str, Dataset]:
    """The shipped catalog (cached)."""
    return load_catalog()


def get_dataset(dataset_id: str) -> Dataset:
    """A dataset by id, or NotFoundError listing the known ids."""
    found = catalog().get(dataset_id)
    if found is None:
        known = ", ".join(sorted(catalog()))
        raise NotFoundError(f"unknown dataset {dataset_id!r}", hint=f"known datasets: {known}")
    return found


def dataset_for_header(header: list[str]) -> Dataset | None:
    """The dataset whose header signature (first columns, in order) matches ``header``."""
    clean = [h.strip().strip('"').strip() for h in header]
    for dataset in catalog().values():
        for signature in dataset.detect:
            if clean[: len(signature)] == list(signature):
                return dataset
    return None
