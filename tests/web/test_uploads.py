"""Uploads: size limits, type sniffing, XLSX bombs; CSV exports neutralise formulas."""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import UploadFile

from servtrade.errors import ValidationError
from servtrade.web.uploads import (
    MB,
    Kind,
    Limits,
    PayloadTooLargeError,
    Upload,
    check_xlsx,
    classify,
    decode_text,
    neutralise_cell,
    open_workbook,
    read_upload,
    restore_cell,
    sniff,
    write_csv,
)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_member(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook ``data`` with one more zip member (deflated)."""
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def _read(data: bytes, filename: str, allowed: list[Kind], limits: Limits | None = None) -> Upload:
    upload = UploadFile(io.BytesIO(data), filename=filename)
    return asyncio.run(read_upload(upload, allowed, limits or Limits()))


def test_a_real_workbook_passes_and_opens() -> None:
    upload = _read(_xlsx([["exhibitor", "ebops"], ["Alpha", "SI"]]), "people.xlsx", [Kind.XLSX])
    assert (upload.kind, upload.filename) == (Kind.XLSX, "people.xlsx")
    book = open_workbook(upload)
    assert [list(r) for r in book.active.iter_rows(values_only=True)] == [
        ["exhibitor", "ebops"], ["Alpha", "SI"],
    ]  # fmt: skip
    book.close()


def test_oversized_upload_is_413() -> None:
    with pytest.raises(PayloadTooLargeError) as info:
        _read(b"a,b\n" * 400_000, "big.csv", [Kind.CSV], Limits(max_bytes=1 * MB))
    assert (info.value.status, str(info.value)) == (
        413, "big.csv is larger than 1 MB (split it into smaller files)",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("data", "filename", "allowed", "message"),
    [
        (b"%PDF-1.7 ...", "list.csv", [Kind.CSV], "content is an unknown binary format, not csv"),
        (b"MZ\x90\x00", "list.xlsx", [Kind.XLSX], "content is an unknown binary format, not xlsx"),
        (b"a,b\n1,2\n", "list.xlsx", [Kind.XLSX], "content is csv, not xlsx"),
        (b"a,b\n1,2\n", "list.exe", [Kind.CSV], "name ends in '.exe' but the content is csv"),
        (b"PK\x03\x04junk", "list.xlsx", [Kind.XLSX], "content is an unknown binary format"),
    ],
)
def test_wrong_types_are_refused(
    data: bytes, filename: str, allowed: list[Kind], message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        _read(data, filename, allowed)
    assert message in str(info.value)
    assert info.value.errors[0].file == filename


def test_sniffing() -> None:
    assert sniff(b'{"a": 1}') is Kind.JSON
    assert sniff(b"[1 2") is Kind.TEXT
    assert sniff(b"exhibitor;ebops\nA;SI\n") is Kind.CSV
    assert sniff("国际服务贸易 grew 10%".encode()) is Kind.TEXT
    assert classify(b"one line of text", "note.csv", [Kind.CSV]) is Kind.CSV
    assert classify(b"a,b", "release.txt", [Kind.TEXT]) is Kind.TEXT
    assert classify(b'{"x": 1}', "x.json", [Kind.JSON]) is Kind.JSON
    assert decode_text("服务贸易".encode("gb18030") * 20) == "服务贸易" * 20
    assert _read("\ufeffa,b".encode(), "x.csv", [Kind.CSV]).text() == "a,b"


def test_zip_bomb_workbook_is_refused_before_openpyxl() -> None:
    bomb = _with_member(_xlsx([["a"]]), "xl/media/image1.bin", b"\0" * (20 * MB))
    with pytest.raises(ValidationError) as ratio:
        check_xlsx(bomb, "bomb.xlsx")
    assert "looks like a decompression bomb: part xl/media/image1.bin is compressed" in str(
        ratio.value
    )
    with pytest.raises(ValidationError) as total:
        check_xlsx(bomb, "bomb.xlsx", Limits(max_uncompressed=10 * MB))
    assert "expands beyond 10 MB" in str(total.value)
    many = _xlsx([["a"]])
    for n in range(5):
        many = _with_member(many, f"xl/extra{n}.xml", b"<x/>")
    with pytest.raises(ValidationError, match="parts"):
        check_xlsx(many, "many.xlsx", Limits(max_members=5))


def test_a_member_larger_than_it_declares_is_refused() -> None:
    data = _with_member(_xlsx([["a"]]), "xl/custom.xml", b"<x>" + b"y" * 5000 + b"</x>")
    central = data.rindex(b"PK\x01\x02")  # the last member's central directory entry
    size_at = central + 24  # uncompressed size (APPNOTE.TXT 4.3.12)
    lying = data[:size_at] + (100).to_bytes(4, "little") + data[size_at + 4 :]
    with pytest.raises(ValidationError, match=r"part xl/custom\.xml is corrupt: Bad CRC-32"):
        check_xlsx(lying, "lying.xlsx")


def test_dtd_and_unsafe_names_are_refused() -> None:
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><lolz>&lol;</lolz>'
    with pytest.raises(ValidationError, match="declares a DTD"):
        check_xlsx(_with_member(_xlsx([["a"]]), "xl/evil.xml", laughs), "dtd.xlsx")
    with pytest.raises(ValidationError, match="unsafe part name"):
        check_xlsx(_with_member(_xlsx([["a"]]), "../../etc/passwd", b"x"), "slip.xlsx")
    with pytest.raises(ValidationError, match="not a valid XLSX"):
        check_xlsx(b"not a zip", "x.xlsx")
    with pytest.raises(ValidationError, match="not an XLSX workbook"):
        open_workbook(Upload("x.csv", Kind.CSV, b"a,b"))


def test_csv_export_neutralises_formulas_and_round_trips(tmp_path: Path) -> None:
    rows = [
        {"name": '=HYPERLINK("http://evil")', "value": -5, "note": "+1 555"},
        {"name": "@SUM(A1)", "value": 3.5, "note": "\tcmd"},
        {"name": "'=kept", "value": None, "note": "plain - text"},
    ]
    text = write_csv(rows, ["name", "value", "note"])
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed == [
        ["name", "value", "note"],
        ['\'=HYPERLINK("http://evil")', "-5", "'+1 555"],
        ["'@SUM(A1)", "3.5", "'\tcmd"],
        ["''=kept", "", "plain - text"],
    ]
    restored = [[restore_cell(c) for c in row] for row in parsed[1:]]
    assert [r[0] for r in restored] == [str(r["name"]) for r in rows]
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    assert not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        for row in csv.reader(path.open(encoding="utf-8"))
        for cell in row
        if not cell.lstrip("-").replace(".", "").isdigit()
    )


@given(st.text())
def test_neutralise_is_reversible_and_safe(text: str) -> None:
    safe = neutralise_cell(text)
    assert restore_cell(safe) == text
    assert not str(safe).startswith(("=", "+", "-", "@", "\t", "\r"))


@given(st.text(), st.text())
def test_neutralise_never_merges_two_texts(a: str, b: str) -> None:
    if a != b:
        assert neutralise_cell(a) != neutralise_cell(b)
