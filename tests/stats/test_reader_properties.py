"""Property tests for the readers: whatever the file (valid rows, unknown codes, bad numbers,
broken quoting, stray bytes, other encodings), an ingest either publishes a vintage whose summary
reconciles (read = stored + rejected) or fails with a clear error naming the file, and a failed
ingest never changes what the store answers."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from servtrade.errors import DataFileError, ServtradeError
from servtrade.stats.ingest import ingest_file
from servtrade.stats.store import Store

REPORTERS = ["CHN", "USA", "DEU", "XXX", "", "China", "中国", 'D"E', "W,LD"]
ITEMS = ["S", "SI", "SH", "8", "ZZ", ""]
YEARS = ["2023", "2024", "20x3", "", "2025-01..2025-08", "1999Q5"]
VALUES = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    st.sampled_from(["", "n/a", "1,5", "1e400", "..", "-0"]),
)
BATIS = [
    "Reporter",
    "type_Reporter",
    "Partner",
    "type_Partner",
    "Flow",
    "Item_code",
    "type_Item",
    "Year",
    "Reported_value",
    "Estimated_value",
    "Balanced_value",
]
counter = itertools.count()


GOOD = {
    "batis": ["CHN", "c", "USA", "c", "X", "S", "i", "2023", "1.5", "1.5", "1.5"],
    "wdi": ["China", "CHN", "2023", "1.5"],
}


def batis_row(draw: st.DrawFn) -> list[str]:
    if draw(st.integers(0, 9)) < 7:
        return GOOD["batis"]
    reporter, partner = draw(st.sampled_from(REPORTERS)), draw(st.sampled_from(REPORTERS))
    flow = draw(st.sampled_from(["X", "M", "Q"]))
    item, year, value = draw(st.sampled_from(ITEMS)), draw(st.sampled_from(YEARS)), draw(VALUES)
    return [reporter, "c", partner, "c", flow, item, "i", year, value, value, value]


def wdi_row(draw: st.DrawFn) -> list[str]:
    if draw(st.integers(0, 9)) < 7:
        return GOOD["wdi"]
    reporter = draw(st.sampled_from(REPORTERS))
    return ["Some name", reporter, draw(st.sampled_from(YEARS)), draw(VALUES)]


@st.composite
def files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(layout, file bytes): a header, random rows, maybe damaged, in some encoding."""
    layout = draw(st.sampled_from(["batis", "wdi"]))
    header = BATIS if layout == "batis" else ["Country Name", "Country Code", "Year", "Value"]
    make = batis_row if layout == "batis" else wdi_row
    rows = [make(draw) for _ in range(draw(st.integers(0, 12)))]
    if draw(st.booleans()):  # enough good rows that a few rejects stay under the 1% threshold
        rows += [GOOD[layout]] * 1200
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    text = out.getvalue()
    damage = draw(st.sampled_from(["none", "quote", "bytes", "truncate", "short"]))
    if damage == "quote" and rows:
        text = text.rstrip("\n") + ',"unterminated\n'
    elif damage == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "short" and rows:
        text += "CHN,c\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    data = text.encode(encoding)
    if damage == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    return layout, data


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=files())
def test_ingest_reconciles_or_fails_clearly(
    store: Store, tmp_path: Path, case: tuple[str, bytes]
) -> None:
    layout, data = case
    path = tmp_path / f"bx.gsr.nfsv.cd-{next(counter)}.csv"  # the name gives WDI long its series
    path.write_bytes(data)
    dataset = "batis" if layout == "batis" else "wdi"
    before = [v.vintage for v in store.vintages(dataset)]
    try:
        summary = ingest_file(store, path, dataset=dataset)
    except ServtradeError as exc:
        event(f"refused: {type(exc).__name__}")
        assert exc.errors or exc.hint, exc  # says what went wrong and what to do
        if isinstance(exc, DataFileError):
            assert any(e.file for e in exc.errors), exc.errors  # and in which file
        assert [v.vintage for v in store.vintages(dataset)] == before
        return
    event("published")
    assert summary.reconciled
    assert summary.rows_read == summary.rows_stored + summary.rows_rejected
    assert summary.rows_rejected <= 0.01 * summary.rows_read
    assert [v.vintage for v in store.vintages(dataset)] == [*before, summary.vintage]


FIGURE = st.fixed_dictionaries(
    {
        "period": st.sampled_from(
            ["2024", "2025H1", "2025-01..2025-08", "2023"] * 6 + ["x", "2025-08..2025-01"]
        ),
        "flow": st.sampled_from(["exports", "imports", "total"] * 8 + ["sideways"]),
        "item": st.sampled_from(["S", "SI", "knowledge_intensive"] * 8 + ["ZZ"]),
        "currency": st.sampled_from(["CNY", "USD"] * 12 + ["yuan"]),
        "source": st.sampled_from(["a"] * 24 + ["missing"]),
        "value": st.one_of(st.floats(-1e6, 1e6), st.just("n/a")),
    },
    optional={
        "growth_pct": st.floats(-100, 100),
        "scale": st.sampled_from(["billion", "trillion"] * 12 + ["gazillion"]),
    },
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(figures=st.lists(FIGURE, max_size=4))
def test_releases_yaml_reconciles_or_names_the_line(
    store: Store, tmp_path: Path, figures: list[dict[str, object]]
) -> None:
    import yaml

    doc = {
        "reporter": "CHN",
        "sources": {"a": {"publisher": "P", "title": "T", "confidence": "unverified"}},
        "figures": figures,
    }
    path = tmp_path / f"releases-{next(counter)}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    before = store.vintages("cn-mofcom-releases")
    try:
        summary = ingest_file(store, path)
    except ServtradeError as exc:
        event(f"refused: {type(exc).__name__}")
        assert all(e.file == str(path) for e in exc.errors if e.file), exc.errors
        assert all(e.line for e in exc.errors if e.field), exc.errors  # a field has its line
        assert store.vintages("cn-mofcom-releases") == before
        return
    event("published")
    assert summary.reconciled
    assert (summary.rows_read, summary.rows_rejected) == (len(figures), 0)  # threshold 0
