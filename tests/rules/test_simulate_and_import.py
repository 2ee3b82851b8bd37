"""What-if simulation over the scenario files, and `rules import` (validated, atomic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from servtrade.errors import ConflictError, DataFileError, ValidationError
from servtrade.rules.imports import import_file
from servtrade.rules.loader import default_rulebook, load_rulebook
from servtrade.rules.scenarios import load_scenarios
from servtrade.rules.simulate import measures_from_file, simulate

CASES = Path(__file__).parent / "cases"
NEW = """\
list_id: CN-NAT-2024
measures:
  - id: CN-NAT-2024-900
    item: 900
    sector: {whole: ["w120:1.A.a"], activity: legal services (what-if)}
    modes: [1, 4]
    kind: prohibition
    binds: [individual, entity_abroad]
    effect: prohibited
    reference: {document: what-if, item: "900"}
    summary_en: A what-if prohibition of legal services.
    verification: unverified
"""


def _scenarios() -> list[object]:
    return [s for f in sorted(CASES.glob("*.yaml")) for s in load_scenarios(f)]


def test_removing_item_5_changes_the_auction_cases() -> None:
    report = simulate(default_rulebook(), _scenarios(), remove=["CN-NAT-2024-005"])  # type: ignore[arg-type]
    changed = {(c["name"], c["before"], c["after"]) for c in report["changed"]}
    assert (
        "acceptance - foreign individual, auctioneer exam, mode 4, 2024-05-01",
        "prohibited",
        "not_covered",
    ) in changed
    assert all(c["before_measures"] != c["after_measures"] for c in report["changed"])
    assert report["removed"] == ["CN-NAT-2024-005"]
    assert (
        report["summary"] == f"{len(report['changed'])} of {report['cases']} cases change verdict"
    )


def test_adding_a_measure_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "what_if.yaml"
    path.write_text(NEW, encoding="utf-8")
    book = default_rulebook()
    added = measures_from_file(path, book)
    report = simulate(book, _scenarios(), add=added)  # type: ignore[arg-type]
    assert [(c["name"], c["after"]) for c in report["changed"]] == [
        ("legal services - nothing encoded applies, coverage stated", "prohibited")
    ]


def test_adding_an_existing_id_is_refused() -> None:
    book = default_rulebook()
    with pytest.raises(ValidationError) as err:
        book.with_changes(add=[book.measure("CN-NAT-2024-005")])
    assert (err.value.errors[0].field, err.value.errors[0].value) == ("id", "CN-NAT-2024-005")


def test_import_stores_a_valid_file_atomically(tmp_path: Path) -> None:
    source = tmp_path / "mine.yaml"
    source.write_text(NEW, encoding="utf-8")
    root = tmp_path / "user" / "measures"
    dry = import_file(source, root, dry_run=True)
    assert (dry.dry_run, root.exists()) == (True, False)
    report = import_file(source, root)
    assert report.to_dict() == {
        "file": str(source),
        "stored_as": str(root / "cn" / "mine.yaml"),
        "lists": [],
        "measures": ["CN-NAT-2024-900"],
        "coverage": ["CN-NAT-2024: 6 of 71 measures encoded"],
        "dry_run": False,
    }
    assert "CN-NAT-2024-900" in load_rulebook([root]).measures
    with pytest.raises(ConflictError):
        import_file(source, root)
    source.write_text(NEW.replace("item: 900", "item: 901"), encoding="utf-8")
    assert import_file(source, root, replace=True).measures == ("CN-NAT-2024-900",)
    assert load_rulebook([root]).measure("CN-NAT-2024-900").item == "901"


def test_a_bad_import_changes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text(NEW.replace("kind: prohibition", "kind: ban"), encoding="utf-8")
    root = tmp_path / "user" / "measures"
    with pytest.raises(DataFileError) as err:
        import_file(source, root)
    assert (err.value.errors[0].line, err.value.errors[0].field) == (7, "kind")
    assert not root.exists()


def test_import_a_new_list_with_its_header(tmp_path: Path) -> None:
    source = tmp_path / "CN-TEST-2030.yaml"
    source.write_text(
        "list:\n  id: CN-TEST-2030\n  layer: negative_list\n  economy: CHN\n  territory: nationwide\n"  # noqa: E501
        "  title_zh: 测试\n  title_en: Test list\n  issuer: nobody\n  instrument: none\n"
        "  published: 2030-01-01\n  in_force_from: 2030-02-01\n  modes_covered: [1, 2, 4]\n"
        "  measures_in_text: 1\n  verification: unverified\nmeasures: []\n",
        encoding="utf-8",
    )
    report = import_file(source, tmp_path / "measures")
    assert (report.lists, report.coverage) == (
        ("CN-TEST-2030",),
        ("CN-TEST-2030: 0 of 1 measures encoded",),
    )
