"""Loading rules data: the bundled data load; bad files give errors naming file, line, item, field."""  # noqa: E501

from __future__ import annotations

from pathlib import Path

import pytest

from servtrade.errors import DataFileError
from servtrade.rules.loader import (
    bundled_root,
    collect,
    default_rulebook,
    load_rulebook,
    rulebook_for,
)

GOOD = """\
list_id: CN-NAT-2024
measures:
  - id: CN-NAT-2024-999
    item: 99
    sector: {whole: ["w120:1.A.a"], activity: legal services (test)}
    modes: [1]
    kind: prohibition
    binds: [individual]
    effect: prohibited
    reference: {document: test list, item: "99"}
    summary_en: A test measure.
    verification: unverified
"""


def _user(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "measures" / "cn"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return tmp_path / "measures"


def _error(root: Path) -> DataFileError:
    with pytest.raises(DataFileError) as err:
        load_rulebook([root])
    return err.value


def test_bundled_data_load_with_honest_coverage() -> None:
    book = default_rulebook()
    assert {i: book.coverage(i) for i in ("CN-NAT-2024", "CN-FTZ-2024", "CN-HN-2021")} == {
        "CN-NAT-2024": "CN-NAT-2024: 5 of 71 measures encoded",
        "CN-FTZ-2024": "CN-FTZ-2024: 0 of 68 measures encoded",
        "CN-HN-2021": "CN-HN-2021: 1 of 70 measures encoded",
    }
    assert [m.item for m in book.measures_of("CN-NAT-2024")] == ["1", "5", "10", "46", "60"]
    assert all(m.summary_en_is_paraphrase for m in book.measures.values())


def test_a_user_file_adds_measures_to_a_bundled_list(tmp_path: Path) -> None:
    book = load_rulebook([_user(tmp_path, "extra.yaml", GOOD)])
    assert book.coverage("CN-NAT-2024") == "CN-NAT-2024: 6 of 71 measures encoded"
    assert book.measure("CN-NAT-2024-999").source == f"{tmp_path}/measures/cn/extra.yaml:3"


def test_rulebook_for_reloads_when_a_file_changes(tmp_path: Path) -> None:
    root = tmp_path / "measures"
    assert len(rulebook_for(root).measures) == len(default_rulebook().measures)
    _user(tmp_path, "extra.yaml", GOOD)
    assert "CN-NAT-2024-999" in rulebook_for(root).measures


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "value"),
    [
        ("kind: prohibition", "kind: ban", 7, "kind", "ban"),
        ("modes: [1]", "modes: [3]", 6, "modes", "3"),
        ('whole: ["w120:1.A.a"]', 'whole: ["w120:1.Z"]', 5, "sector.whole", "w120:1.Z"),
        ("binds: [individual]", "binds: [robot]", 8, "binds", "robot"),
        ("verification: unverified", "verification: sure", 12, "verification", "sure"),
        ("effect: prohibited", "effect: conditional", 3, "requirement", None),
        ("    item: 99\n", "    item: 99\n    colour: red\n", 5, "colour", None),
    ],
)
def test_bad_measure_fields_are_located(
    tmp_path: Path, old: str, new: str, line: int, field: str, value: str | None
) -> None:
    detail = _error(_user(tmp_path, "bad.yaml", GOOD.replace(old, new))).errors[0]
    assert (detail.file, detail.line, detail.field, detail.value) == (
        f"{tmp_path}/measures/cn/bad.yaml",
        line,
        field,
        value,
    )
    assert detail.message.startswith("measure CN-NAT-2024-999 (item 99): ")


def test_bad_condition_names_its_path(tmp_path: Path) -> None:
    text = GOOD.replace(
        "verification: unverified",
        "verification: unverified\n    conditions:\n"
        "      - predicate: fact_is\n        args: {fact: mood, value: true}",
    )
    detail = _error(_user(tmp_path, "bad.yaml", text)).errors[0]
    assert (detail.field, detail.value) == ("conditions[0].args.fact", "mood")
    text = GOOD.replace(
        "verification: unverified",
        "verification: unverified\n    conditions:\n      - predicate: eval\n        args: {}",
    )
    assert _error(_user(tmp_path, "bad.yaml", text)).errors[0].field == "conditions[0].predicate"


def test_duplicate_measure_id_names_both_files(tmp_path: Path) -> None:
    root = _user(tmp_path, "a.yaml", GOOD)
    _user(tmp_path, "b.yaml", GOOD)
    error = _error(root)
    assert error.errors[0].field == "id"
    assert error.errors[0].file == f"{tmp_path}/measures/cn/b.yaml"
    assert "also used in" in error.errors[0].message and "a.yaml:3" in error.errors[0].message


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    error = _error(
        _user(tmp_path, "bad.yaml", "list_id: CN-NAT-2024\nmeasures:\n  - id: [unclosed\n")
    )
    assert (error.errors[0].file, error.errors[0].line) == (f"{tmp_path}/measures/cn/bad.yaml", 4)


def test_unknown_list_is_named(tmp_path: Path) -> None:
    error = _error(
        _user(tmp_path, "bad.yaml", GOOD.replace("list_id: CN-NAT-2024", "list_id: CN-XX-1"))
    )
    assert (error.errors[0].field, error.errors[0].value) == ("list_id", "CN-XX-1")


CSV_HEAD = (
    "list_id,id,item,whole,part,activity,modes,kind,binds,effect,requirement,conditions,"
    "reference_document,reference_item,reference_url,summary_en,verification\n"
)


def test_csv_rows_load_with_json_conditions(tmp_path: Path) -> None:
    row = (
        'CN-NAT-2024,CN-NAT-2024-998,98,w120:1.A.b,,accounting (test),"1,4",licensing_or_qualification,'  # noqa: E501
        'entity_abroad,conditional,a licence,"[{""predicate"": ""fact_is_not"", ""args"": {""fact"": '  # noqa: E501
        '""local_presence"", ""value"": true}}]",test list,98,https://example.org/x,Test.,reported\n'
    )
    book = load_rulebook([_user(tmp_path, "extra.csv", CSV_HEAD + row)])
    measure = book.measure("CN-NAT-2024-998")
    assert (sorted(measure.modes), measure.sector.whole, measure.conditions[0].to_dict()) == (
        [1, 4],
        ("w120:1.A.b",),
        {"predicate": "fact_is_not", "args": {"fact": "local_presence", "value": True}},
    )


def test_csv_errors_name_the_row_line(tmp_path: Path) -> None:
    row = "CN-NAT-2024,CN-NAT-2024-998,98,w120:1.A.b,,x,1,licensing,individual,prohibited,,,doc,98,,T.,reported\n"  # noqa: E501
    detail = _error(_user(tmp_path, "bad.csv", CSV_HEAD + row)).errors[0]
    assert (detail.line, detail.field, detail.value) == (2, "kind", "licensing")
    missing = _error(_user(tmp_path, "bad.csv", "list_id,id\nCN-NAT-2024,X\n")).errors[0]
    assert (missing.line, missing.field) == (1, "item")


def test_collect_skips_listed_files(tmp_path: Path) -> None:
    root = _user(tmp_path, "a.yaml", GOOD)
    parsed = collect([bundled_root(), root], skip=[root / "cn" / "a.yaml"])
    assert "CN-NAT-2024-999" not in parsed.measures
