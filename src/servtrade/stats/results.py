"""Indicator inputs and results. Every result carries its provenance: dataset, vintage, unit,
period, the observations it used and the formula, so ``--explain`` can show the computation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.stats.catalog import SCALES, catalog

UNIT_NAMES = {"USD": "US$", "CNY": "yuan", "EUR": "euro", "percent": "%", "pp": "percentage points"}


@dataclass(frozen=True)
class Query:
    """What to look up. ``partner`` WLD = all partners; ``item`` S = total services."""

    reporter: str
    partner: str = "WLD"
    item: str = "S"
    flow: str = "exports"
    period: str | None = None
    start: int | None = None
    end: int | None = None
    dataset: str | None = None
    unit: str | None = None
    convert: bool = False  # with unit: convert other currencies with loaded exchange rates


@dataclass(frozen=True)
class Observation:
    """One stored value with where it came from."""

    dataset: str
    vintage: str
    reporter: str
    partner: str
    item: str
    flow: str
    period: str
    period_type: str
    value: float | None
    unit: str
    growth_pct: float | None = None
    alternative: str | None = None
    source: dict[str, Any] | None = None
    line: int | None = None
    conversion: dict[str, Any] | None = None  # set when the value was converted to this unit

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Observation:
        source = None
        if row.get("source_publisher"):
            source = {k: row.get(f"source_{k}") for k in ("publisher", "title", "date", "url")}
            source["confidence"] = row.get("confidence")
        return cls(
            dataset=row["dataset"],
            vintage=row["vintage"],
            reporter=row["reporter"],
            partner=row["partner"],
            item=row["item"],
            flow=row["flow"],
            period=row["period"],
            period_type=row["period_type"],
            value=row.get("value"),
            unit=row["unit"],
            growth_pct=row.get("growth_pct"),
            alternative=row.get("alternative"),
            source=source,
            line=row.get("line"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Result:
    """An indicator value with its provenance."""

    indicator: str
    value: float | None
    unit: str
    period: str
    reporter: str
    formula: str
    inputs: tuple[Observation, ...]
    partner: str = "WLD"
    item: str = "S"
    flow: str = "exports"
    label: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def datasets(self) -> list[str]:
        return sorted({o.dataset for o in self.inputs})

    @property
    def vintages(self) -> list[str]:
        return sorted({f"{o.dataset}@{o.vintage}" for o in self.inputs})

    @property
    def alternative(self) -> str | None:
        alts = sorted({o.alternative for o in self.inputs if o.alternative})
        return ",".join(alts) or None

    @property
    def display(self) -> str:
        return format_value(self.value, self.unit, self.datasets[0] if self.datasets else None)

    def row(self) -> dict[str, Any]:
        """The flat row shown by the CLI and the API."""
        return {
            "indicator": self.indicator,
            "reporter": self.reporter,
            "partner": self.partner,
            "item": self.label or self.item,
            "flow": self.flow,
            "period": self.period,
            "value": self.value,
            "unit": self.unit,
            "display": self.display,
            "dataset": ",".join(self.datasets),
            "vintage": ",".join(self.vintages),
            "alternative": self.alternative,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.row(),
            "formula": self.formula,
            "extra": self.extra,
            "inputs": [o.to_dict() for o in self.inputs],
        }


def format_value(value: float | None, unit: str, dataset: str | None = None) -> str:
    """``7,064.9 million US$``, ``7.36 %``: the value in the dataset's display scale."""
    if value is None:
        return "n/a"
    name = UNIT_NAMES.get(unit, unit)
    if unit in ("percent", "pp"):
        return f"{value:,.2f} {name}"
    if unit == "index":
        return f"{value:,.3f}"
    scale = "million"
    found = catalog().get(dataset or "")
    if found is not None:
        scale = found.display_scale
    factor = SCALES[scale]
    shown = f"{value / factor:,.1f}"
    return f"{shown} {scale} {name}" if scale != "unit" else f"{shown} {name}"


def same_unit(left: Observation, right: Observation) -> None:
    """Raise when two inputs are in different units (never mix currencies silently)."""
    if left.unit != right.unit:
        detail = ErrorDetail(
            f"{left.unit} ({left.dataset} {left.period}) vs {right.unit}"
            f" ({right.dataset} {right.period})",
            field="unit",
            value=f"{left.unit}/{right.unit}",
            hint="pick one unit with --unit, or load an exchange-rate series and add --convert",
        )
        raise ValidationError(f"cannot combine {left.unit} and {right.unit}", errors=[detail])
