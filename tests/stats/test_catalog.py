"""The catalog, periods and located YAML: entries validate on load with file, line and field;
periods parse in every form releases use; readers name the columns they miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from servtrade.errors import DataFileError, NotFoundError, ValidationError
from servtrade.stats.catalog import catalog, get_dataset, load_catalog
from servtrade.stats.ingest import columns, rates
from servtrade.stats.located_yaml import load_located
from servtrade.stats.periods import Period, parse_period, year_span

ENTRY = """id: {id}
title: T
publisher: P
source_url: https://example.org
licence: CC-BY-4.0
layout: wdi
unit: USD
"""


def test_shipped_catalog_is_valid() -> None:
    assert sorted(catalog()) == [
        "batis",
        "cn-mofcom-releases",
        "exchange-rates",
        "oecd-sdmx",
        "wdi",
        "wto-services",
    ]
    assert get_dataset("wdi").display_factor == 1e6
    with pytest.raises(NotFoundError) as caught:
        get_dataset("nope")
    assert caught.value.hint == (
        "known datasets: batis, cn-mofcom-releases, exchange-rates, oecd-sdmx, wdi, wto-services"
    )


def test_entry_errors_name_file_line_and_field(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(ENTRY.format(id="a") + "layout_typo: x\n")
    with pytest.raises(ValidationError) as caught:
        load_catalog(tmp_path)
    [detail] = caught.value.errors
    assert (Path(detail.file or "").name, detail.line, detail.field) == ("a.yaml", 8, "layout_typo")
    (tmp_path / "a.yaml").write_text(ENTRY.format(id="b"))
    with pytest.raises(ValidationError) as caught:
        load_catalog(tmp_path)
    [detail] = caught.value.errors
    assert (detail.line, detail.field, detail.value, detail.hint) == (
        1,
        "id",
        "b",
        "rename to b.yaml",
    )


def test_duplicate_ids_and_broken_yaml(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(ENTRY.format(id="a"))
    assert list(load_catalog(tmp_path)) == ["a"]
    (tmp_path / "b.yaml").write_text("id: [unclosed\n")
    with pytest.raises(DataFileError) as caught:
        load_catalog(tmp_path)
    assert (caught.value.errors[0].line, caught.value.errors[0].hint) == (2, "fix the YAML syntax")
    with pytest.raises(DataFileError, match="cannot read"):
        load_located(tmp_path / "missing.yaml")


@pytest.mark.parametrize(
    ("text", "year", "kind"),
    [
        ("2024", 2024, "year"),
        ("2025H1", 2025, "half"),
        ("2025Q3", 2025, "quarter"),
        ("2025-08", 2025, "month"),
        ("2025-01..2025-08", 2025, "ytd"),
        ("2012..2021", 2021, "span"),
    ],
)
def test_periods(text: str, year: int, kind: str) -> None:
    assert parse_period(text) == Period(year=year, kind=kind, text=text)  # type: ignore[arg-type]


def test_period_shift_and_bad_periods() -> None:
    assert parse_period("2025-01..2025-08").shifted(-1).text == "2024-01..2024-08"
    for bad in ("2025-08..2025-01", "2024-01..2025-02", "2021..2012", "24", "2025H3"):
        with pytest.raises(ValidationError) as caught:
            parse_period(bad)
        assert (caught.value.errors[0].field, caught.value.errors[0].value) == ("period", bad)
    assert year_span(2022, 2024) == ["2022", "2023", "2024"]
    with pytest.raises(ValidationError, match=r"invalid range 2024\.\.2022"):
        year_span(2024, 2022)


def test_readers_name_missing_columns() -> None:
    with pytest.raises(ValidationError) as caught:
        columns.staged(("Reporter", "Year"), get_dataset("batis"))
    assert [(d.field, d.hint) for d in caught.value.errors] == [
        ("item", "expected one of Item_code"),
        ("flow", "expected one of Flow"),
        ("value", "expected one of Balanced_value"),
    ]
    with pytest.raises(ValidationError) as caught:
        rates.staged(("Currency", "Period"), get_dataset("exchange-rates"))
    assert [(d.field, d.hint) for d in caught.value.errors] == [("value", "expected Per_USD")]
