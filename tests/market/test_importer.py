"""Imports: per-row error report, idempotent upserts, nothing half-applied, CSV and XLSX."""

from __future__ import annotations

import csv
import itertools
import string
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy.orm import Session, sessionmaker

from servtrade.errors import DataFileError, ErrorDetail, ValidationError
from servtrade.market import models as m
from servtrade.market import services
from servtrade.market.importer import parse_rows

Factory = sessionmaker[Session]
ORG_HEADER = ["external_id", "name", "economy", "kind", "size", "fortune_global_500", "sectors"]


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def count(factory: Factory, model: Any) -> int:
    with factory() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def test_organisations_import_then_reimport_is_idempotent(factory: Factory, tmp_path: Path) -> None:
    rows = [
        ["imp-1", "Acme Cloud", "Germany", "enterprise", "large", "yes", "SI2; SI3"],
        ["imp-2", "中国数据公司", "中国", "enterprise", "small", "", "SI"],
        ["imp-3", "OECD", "", "international_organisation", "large", "no", ""],
    ]
    path = write_csv(tmp_path / "orgs.csv", ORG_HEADER, rows)
    first = services.import_file(factory, "organisations", path, None)
    assert (first.rows, first.inserted, first.updated, first.unchanged) == (3, 3, 0, 0)
    again = services.import_file(factory, "organisations", path, None)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    rows[0][1] = "Acme Cloud GmbH"
    changed = services.import_file(
        factory, "organisations", write_csv(path, ORG_HEADER, rows), None
    )
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 2)
    with factory() as session:
        org = session.scalars(
            sa.select(m.Organisation).where(m.Organisation.external_id == "imp-2")
        ).one()
        assert (org.economy, org.sectors, org.fortune_global_500) == ("CHN", ["SI"], False)


def test_a_bad_row_rejects_the_file_and_changes_nothing(factory: Factory, tmp_path: Path) -> None:
    before = count(factory, m.Organisation)
    rows = [
        ["imp-a", "Good", "DEU", "enterprise", "small", "", "SI2"],
        ["imp-b", "Bad economy", "Atlantis", "enterprise", "small", "", "SI2"],
        ["imp-c", "Bad size", "FRA", "enterprise", "huge", "", "SZ9"],
    ]
    path = write_csv(tmp_path / "bad.csv", ORG_HEADER, rows)
    with pytest.raises(DataFileError) as err:
        services.import_file(factory, "organisations", path, None)
    found = [(e.line, e.field, e.value) for e in err.value.errors]
    assert found == [(3, "economy", "Atlantis"), (4, "size", "huge"), (4, "sectors", "SZ9")]
    assert all(e.file == "bad.csv" and e.message for e in err.value.errors)
    assert count(factory, m.Organisation) == before


def test_unknown_references_reject_the_whole_file(
    factory: Factory, base_fair: int, tmp_path: Path
) -> None:
    before = count(factory, m.Offer)
    with factory() as session:
        pid = session.scalars(
            sa.select(m.Participant.external_id).where(m.Participant.fair_id == base_fair).limit(1)
        ).one()
    header = ["external_id", "participant", "ebops", "modes", "markets", "description"]
    rows = [
        ["of-1", pid, "SI2", "1;3", "CHN", "cloud"],
        ["of-2", "nobody", "9.2", "mode 1", "", ""],
    ]
    with pytest.raises(DataFileError) as err:
        services.import_file(
            factory, "offers", write_csv(tmp_path / "o.csv", header, rows), base_fair
        )
    assert [(e.line, e.field, e.value) for e in err.value.errors] == [(3, "participant", "nobody")]
    assert count(factory, m.Offer) == before
    rows = rows[:1]
    report = services.import_file(
        factory, "offers", write_csv(tmp_path / "o.csv", header, rows), base_fair
    )
    assert (report.inserted, report.fair_id) == (1, base_fair)
    with pytest.raises(ValidationError, match="needs a fair"):
        services.import_file(factory, "offers", tmp_path / "o.csv", None)


def test_participants_and_needs_from_xlsx(factory: Factory, base_fair: int, tmp_path: Path) -> None:
    services.import_file(
        factory,
        "organisations",
        write_csv(
            tmp_path / "o.csv",
            ORG_HEADER,
            [["imp-x", "Buyer Co", "BRA", "enterprise", "medium", "", ""]],
        ),
        None,
    )
    header = ["external_id", "person_name", "organisation", "roles", "email", "visibility"]
    path = write_xlsx(
        tmp_path / "p.xlsx",
        header,
        [["px-1", "Ana", "imp-x", "buyer, visitor", "ana@example.org", "public"]],
    )
    assert services.import_file(factory, "participants", path, base_fair).inserted == 1
    path = write_xlsx(
        tmp_path / "p.xlsx",
        header,
        [["px-1", "Ana", "imp-x", "buyer", "ana@example.org", "public"]],
    )
    assert services.import_file(factory, "participants", path, base_fair).updated == 1
    needs = write_xlsx(
        tmp_path / "n.xlsx",
        ["external_id", "participant", "ebops", "modes", "size"],
        [["nx-1", "px-1", "SC3", 1, "large"], [None, None, None, None, None]],
    )
    assert services.import_file(factory, "needs", needs, base_fair).inserted == 1
    with factory() as session:
        need = session.scalars(sa.select(m.Need).where(m.Need.external_id == "nx-1")).one()
        assert (need.modes, need.size, need.markets) == ([1], "large", [])


def test_listings_import(factory: Factory, tmp_path: Path) -> None:
    services.import_file(
        factory,
        "organisations",
        write_csv(
            tmp_path / "o.csv", ORG_HEADER, [["imp-l", "Lab", "SGP", "enterprise", "small", "", ""]]
        ),
        None,
    )
    header = ["external_id", "organisation", "category", "title", "ebops", "url"]
    path = write_csv(
        tmp_path / "l.csv",
        header,
        [["ls-1", "imp-l", "inspection", "Food testing", "SJ3", "https://lab.example"]],
    )
    assert services.import_file(factory, "listings", path, None).inserted == 1
    found = services.listings(factory, services.queries.ListingFilter(text="food"), 10, 0)
    assert [x.external_id for x in found.items] == ["ls-1"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("h.csv", "external_id,name,colour\nx,y,red\n", "unknown column"),
        ("h.csv", "external_id\nx\n", "required column is missing"),
        ("e.csv", "", "is empty"),
        ("d.csv", "external_id,name\nx,A\nx,B\n", "duplicate external_id (first on line 2)"),
        ("b.xlsx", "not a workbook", "not a readable .xlsx"),
    ],
)
def test_file_level_problems_are_reported(
    tmp_path: Path, factory: Factory, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        services.import_file(factory, "organisations", path, None)
    assert message in err.value.render()


def test_unknown_kind_missing_file_and_bad_encoding(tmp_path: Path, factory: Factory) -> None:
    with pytest.raises(DataFileError, match="unknown import kind 'cats'"):
        services.import_file(factory, "cats", tmp_path / "x.csv", None)
    with pytest.raises(DataFileError, match="no file at"):
        services.import_file(factory, "organisations", tmp_path / "x.csv", None)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("external_id,name\nx,Société\n".encode("latin-1"))
    with pytest.raises(DataFileError, match="not UTF-8"):
        services.import_file(factory, "organisations", latin, None)


cells = st.one_of(
    st.none(), st.text(string.printable, max_size=12), st.integers(-5, 5), st.booleans()
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries(dict.fromkeys(ORG_HEADER, cells)), max_size=6))
def test_any_rows_give_valid_rows_or_located_errors(rows: list[dict[str, Any]]) -> None:
    lines = [(n + 2, r) for n, r in enumerate(rows)]
    try:
        parsed = parse_rows("organisations", "f.csv", ORG_HEADER, lines)
    except DataFileError as exc:
        assert exc.errors
        assert all(
            isinstance(e, ErrorDetail) and e.file == "f.csv" and e.line in {n for n, _ in lines}
            for e in exc.errors
        )
        assert all(e.field in ORG_HEADER for e in exc.errors)
        return
    assert [line for line, _ in parsed.rows] == [n for n, _ in lines]


EXAMPLES = itertools.count()
names = st.text(string.ascii_letters + " ", min_size=1, max_size=20).map(str.strip).filter(bool)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            names, st.sampled_from(["DEU", "CHN", "USA"]), st.sampled_from(["small", "large"])
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda t: t[0],
    )
)
def test_valid_rows_round_trip_through_the_database(
    factory: Factory, tmp_path: Path, orgs: list[tuple[str, str, str]]
) -> None:
    # examples share the test's transaction, so each one uses ids of its own
    prefix = f"rt{next(EXAMPLES)}-"
    rows = [
        [f"{prefix}{n}", name, economy, "enterprise", size, "no", "SI2"]
        for n, (name, economy, size) in enumerate(orgs)
    ]
    path = write_csv(tmp_path / "rt.csv", ORG_HEADER, rows)
    services.import_file(factory, "organisations", path, None)
    with factory() as session:
        stored = session.execute(
            sa.select(
                m.Organisation.external_id,
                m.Organisation.name,
                m.Organisation.economy,
                m.Organisation.size,
            )
            .where(m.Organisation.external_id.like(f"{prefix}%"))
            .order_by(m.Organisation.external_id)
        ).all()
    assert [tuple(r) for r in stored] == sorted((r[0], r[1], r[2], r[4]) for r in rows)
    assert services.import_file(factory, "organisations", path, None).unchanged == len(rows)
