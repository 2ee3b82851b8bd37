"""Ingest: layouts, reconciliation, quarantine, thresholds, atomic publishing."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from servtrade.errors import DataFileError, ValidationError
from servtrade.stats.indicators import value
from servtrade.stats.ingest import ingest_file
from servtrade.stats.results import Query
from servtrade.stats.store import Store


def test_wide_wdi_ingests_with_no_options(store: Store, fixtures: Path) -> None:
    summary = ingest_file(store, fixtures / "wdi_wide.csv")
    assert (summary.dataset, summary.layout, summary.encoding) == ("wdi", "wdi", "utf-8-sig")
    # 3 economies x 10 years, minus one empty cell (CHN 2024) which is no observation
    assert (summary.rows_read, summary.rows_stored, summary.rows_rejected) == (29, 29, 0)
    [result] = value(store, Query("CHN", period="2023"))
    assert (result.value, result.unit, result.item, result.flow) == (381.0e9, "USD", "S", "exports")
    assert result.inputs[0].line == 6  # the CHN row: 4 preamble lines, header on line 5


def test_batis_unknown_codes_are_quarantined_not_dropped(
    store: Store, fixtures: Path, tmp_path: Path
) -> None:
    with pytest.raises(DataFileError) as caught:  # 1 of 7 rows is over the 1% threshold
        ingest_file(store, fixtures / "batis_small.csv")
    assert caught.value.errors[0].line == 8
    assert caught.value.errors[0].value == "XXX"
    assert store.datasets() == []
    quarantine = store.root / "quarantine" / "batis"
    [written] = list(quarantine.glob("*.csv"))
    rows = list(csv.DictReader(written.open()))
    assert [(r["line"], r["column"], r["value"], r["reason"]) for r in rows] == [
        ("8", "Reporter", "XXX", "unknown economy code")
    ]


def test_reconciliation_holds_with_rejects(store: Store, fixtures: Path, tmp_path: Path) -> None:
    path = tmp_path / "batis.csv"
    lines = (fixtures / "batis_small.csv").read_text().splitlines()
    good = lines[1:7] * 20  # 120 good rows, one bad: under the 1% threshold
    path.write_text("\n".join([lines[0], *good, lines[7]]) + "\n")
    summary = ingest_file(store, path)
    assert (summary.rows_read, summary.rows_stored, summary.rows_rejected) == (121, 120, 1)
    assert summary.reconciled
    assert summary.unknown_codes == [{"column": "Reporter", "code": "XXX", "rows": 1}]


def test_corrupted_file_fails_with_line_and_previous_vintage_answers(
    store: Store, fixtures: Path, tmp_path: Path
) -> None:
    first = ingest_file(store, fixtures / "wdi_wide.csv", vintage="v1")
    broken = tmp_path / "broken.csv"
    text = (fixtures / "wdi_wide.csv").read_text(encoding="utf-8-sig").splitlines()
    text[6] = '"Germany","DEU","x","BX.GSR.NFSV.CD","1","2'  # unterminated quote, short row
    broken.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        ingest_file(store, broken, vintage="v2")
    assert caught.value.errors[0].file == str(broken)
    assert caught.value.errors[0].line == 7
    assert [v.vintage for v in store.vintages("wdi")] == [first.vintage]
    assert value(store, Query("DEU", period="2024"))[0].value == 440.0e9


def test_long_wdi_needs_a_series(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("Country Name,Country Code,Year,Value\nChina,CHN,2024,1.5\n")
    with pytest.raises(ValidationError) as caught:
        ingest_file(store, path)
    assert caught.value.errors[0].field == "series"
    summary = ingest_file(store, path, series="BM.GSR.NFSV.CD")
    assert (summary.series, summary.rows_stored) == ("BM.GSR.NFSV.CD", 1)


def test_gb18030_and_semicolons_are_detected(store: Store, fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "batis_small.csv").read_text().splitlines()[:7]
    path = tmp_path / "gb.csv"
    body = "\n".join(line.replace(",", ";") for line in text) + "\n"
    path.write_bytes(("说明：合成测试数据\n" + body).encode("gb18030"))
    summary = ingest_file(store, path)
    assert (summary.encoding, summary.delimiter, summary.rows_stored) == ("gb18030", ";", 6)


def test_unknown_layout_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(DataFileError) as caught:
        ingest_file(store, path)
    assert caught.value.errors[0].line == 1
    assert "--dataset" in (caught.value.errors[0].hint or "")


def test_slices_carry_forward_and_diff(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bx.gsr.nfsv.cd.csv"
    path.write_text(
        "Country Name,Country Code,Year,Value\nChina,CHN,2023,1.0\nChina,CHN,2024,2.0\n"
    )
    one = ingest_file(store, path, vintage="one")
    other = tmp_path / "bm.gsr.nfsv.cd.csv"
    other.write_text("Country Name,Country Code,Year,Value\nChina,CHN,2024,3.0\n")
    two = ingest_file(store, other, vintage="two")
    assert (two.rows_stored, two.rows_carried) == (1, 2)
    path.write_text("Country Name,Country Code,Year,Value\nChina,CHN,2024,2.5\nChina,CHN,2025,4\n")
    ingest_file(store, path, vintage="three")
    diff = store.diff("wdi", "two", "three")
    assert [(c.key["period"], c.before, c.after) for c in diff.changed] == [("2024", 2.0, 2.5)]
    assert [c.key["period"] for c in diff.added] == ["2025"]
    assert [c.key["period"] for c in diff.removed] == ["2023"]
    assert diff.unchanged == 1
    assert one.vintage == "one"


def _stored_lines(store: Store, vintage: str) -> tuple[int, int, int]:
    path = store.data_file("batis", vintage)
    [row] = duckdb.sql(
        f"SELECT min(line), max(line), count(*) FROM read_parquet('{path}')"
    ).fetchall()
    return int(row[0]), int(row[1]), int(row[2])


def test_lines_after_a_malformed_line_keep_their_file_line(
    store: Store, fixtures: Path, tmp_path: Path
) -> None:
    path = tmp_path / "batis.csv"
    lines = (fixtures / "batis_small.csv").read_text().splitlines()
    good = lines[1:7] * 40  # 240 good rows; the malformed line is line 52, XXX is line 243
    body = [lines[0], *good[:50], "CHN,c,USA", *good[50:], lines[7]]
    path.write_text("\n".join(body) + "\n")
    summary = ingest_file(store, path, vintage="v1")
    assert (summary.rows_read, summary.rows_stored, summary.rows_rejected) == (242, 240, 2)
    with Path(str(summary.quarantine)).open() as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["line"], r["column"], r["value"]) for r in rows] == [
        ("52", "type_Partner", "CHN,c,USA"),  # the first missing column
        ("243", "Reporter", "XXX"),
    ]
    assert _stored_lines(store, "v1") == (2, 242, 240)
    path_line_53 = duckdb.sql(
        f"SELECT year, partner FROM read_parquet('{store.data_file('batis', 'v1')}')"
        " WHERE line = 53"
    ).fetchall()
    assert path_line_53 == [(2023, "DEU")]  # good[50] is the third fixture row


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
@pytest.mark.parametrize("final", [True, False])
def test_clean_files_reconcile_on_the_single_pass(
    store: Store, fixtures: Path, tmp_path: Path, ending: str, final: bool
) -> None:
    path = tmp_path / "batis.csv"
    lines = (fixtures / "batis_small.csv").read_text().splitlines()[:7]
    path.write_bytes((ending.join(lines) + (ending if final else "")).encode())
    summary = ingest_file(store, path, vintage="v1")
    assert (summary.rows_read, summary.rows_stored, summary.rows_rejected) == (6, 6, 0)
    assert summary.quarantine is None
    assert _stored_lines(store, "v1") == (2, 7, 6)


def test_a_reject_on_the_last_line_without_newline_is_counted(
    store: Store, fixtures: Path, tmp_path: Path
) -> None:
    path = tmp_path / "batis.csv"
    lines = (fixtures / "batis_small.csv").read_text().splitlines()
    path.write_text("\n".join([lines[0], *(lines[1:7] * 20), lines[7]]))
    summary = ingest_file(store, path, vintage="v1")
    assert (summary.rows_read, summary.rows_stored, summary.rows_rejected) == (121, 120, 1)
