"""Safe handling of uploaded files and of CSV exports.

- :func:`read_upload` reads at most ``max_bytes`` (413 beyond), sniffs the real type from the
  content (XLSX, CSV, plain text, JSON) and refuses a file whose content disagrees with what
  the endpoint accepts or with its extension.
- :func:`check_xlsx` inspects the zip members of an XLSX *before* openpyxl sees it: member
  count, declared and actual uncompressed size (decompressing in bounded chunks, so a lying
  header cannot hide a bomb), compression ratio, unsafe member names, and XML DTDs (entity
  expansion attacks); :func:`open_workbook` only opens a workbook that passed.
- :func:`neutralise_cell` / :func:`write_csv` defuse spreadsheet formula injection (OWASP "CSV
  Injection"): a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets
  a leading apostrophe; :func:`restore_cell` undoes it exactly, so exports round-trip.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

from fastapi import UploadFile

from servtrade.errors import ErrorDetail, InputError, ValidationError

MB = 1024 * 1024


class PayloadTooLargeError(InputError):
    status = 413
    code = "payload_too_large"


class Kind(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    TEXT = "text"
    JSON = "json"


EXTENSIONS: dict[Kind, frozenset[str]] = {
    Kind.XLSX: frozenset({".xlsx", ".xlsm"}),
    Kind.CSV: frozenset({".csv", ".tsv", ".txt"}),
    Kind.TEXT: frozenset({".txt", ".md", ".text", ""}),
    Kind.JSON: frozenset({".json"}),
}


@dataclass(frozen=True)
class Limits:
    """Bounds for one upload; the defaults suit participant lists and press releases."""

    max_bytes: int = 20 * MB
    max_members: int = 2_000
    max_uncompressed: int = 200 * MB  # all members together, once decompressed
    max_ratio: float = 100.0  # per member: uncompressed / compressed
    chunk: int = 64 * 1024


@dataclass(frozen=True)
class Upload:
    filename: str
    kind: Kind
    data: bytes

    def text(self) -> str:
        """The content as text (UTF-8, with or without BOM; else the detected encoding)."""
        return decode_text(self.data, self.filename)


def _refuse(message: str, filename: str, hint: str | None = None) -> ValidationError:
    return ValidationError(
        f"{filename}: {message}", errors=[ErrorDetail(message, file=filename)], hint=hint
    )


def decode_text(data: bytes, filename: str = "upload") -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise _refuse("is not readable text", filename, "save it as UTF-8") from None
        return str(best)


_BINARY_MAGIC = (b"%PDF", b"\x7fELF", b"MZ", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b")


def sniff(data: bytes) -> Kind | None:
    """The type the content really has, whatever the file is called; ``None``: unknown binary."""
    if data.startswith(b"PK\x03\x04"):
        return Kind.XLSX if _looks_like_xlsx(data) else None
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:8192]:
        return None
    head = data[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        try:
            json.loads(data.decode("utf-8-sig"))
            return Kind.JSON
        except ValueError:
            pass
    first = head.split(b"\n", 1)[0]
    return Kind.CSV if (b"," in first or b";" in first or b"\t" in first) else Kind.TEXT


def _looks_like_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _compatible(sniffed: Kind, allowed: Iterable[Kind]) -> Kind | None:
    """CSV content is also acceptable text, and one-line text is acceptable CSV."""
    accepted = set(allowed)
    if sniffed in accepted:
        return sniffed
    if sniffed in (Kind.CSV, Kind.JSON) and Kind.TEXT in accepted:
        return Kind.TEXT
    if sniffed is Kind.TEXT and Kind.CSV in accepted:
        return Kind.CSV
    return None


def classify(data: bytes, filename: str, allowed: Iterable[Kind]) -> Kind:
    """The accepted kind of ``data``, checking the content against ``allowed`` and the name."""
    allowed = tuple(allowed)
    wanted = ", ".join(k.value for k in allowed)
    sniffed = sniff(data)
    kind = _compatible(sniffed, allowed) if sniffed else None
    if kind is None:
        found = sniffed.value if sniffed else "an unknown binary format"
        raise _refuse(f"content is {found}, not {wanted}", filename, f"upload a {wanted} file")
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in EXTENSIONS[kind] and not (
        kind is Kind.CSV and suffix in EXTENSIONS[Kind.TEXT]
    ):
        raise _refuse(
            f"name ends in {suffix or 'nothing'!r} but the content is {kind.value}",
            filename,
            "rename the file to match its content",
        )
    if kind is Kind.XLSX:
        check_xlsx(data, filename)
    return kind


async def read_upload(
    file: UploadFile, allowed: Iterable[Kind], limits: Limits = Limits()
) -> Upload:
    """Read an uploaded file within ``limits`` and check that its content is one of ``allowed``."""
    filename = PurePosixPath(file.filename or "upload").name
    chunks, size = [], 0
    while chunk := await file.read(limits.chunk):
        size += len(chunk)
        if size > limits.max_bytes:
            raise PayloadTooLargeError(
                f"{filename} is larger than {limits.max_bytes // MB} MB",
                errors=[ErrorDetail("file too large", file=filename, value=f">{size} bytes")],
                hint="split it into smaller files",
            )
        chunks.append(chunk)
    data = b"".join(chunks)
    return Upload(filename, classify(data, filename, allowed), data)


def _member_name_safe(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return not path.is_absolute() and ".." not in path.parts


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, limits: Limits) -> int:
    """Decompress one member in chunks; the real size, stopping as soon as a bound is passed."""
    size = 0
    head = b""
    with archive.open(info) as member:
        while chunk := member.read(limits.chunk):
            size += len(chunk)
            if len(head) < 4096:
                head += chunk[: 4096 - len(head)]
            if size > budget or size > info.file_size:
                return size
    if info.filename.endswith((".xml", ".rels", ".vml")) and b"<!DOCTYPE" in head.upper():
        return -1
    return size


def check_xlsx(data: bytes, filename: str = "upload.xlsx", limits: Limits = Limits()) -> None:
    """Refuse an XLSX that could exhaust memory or CPU when openpyxl parses it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise _refuse("is not a valid XLSX (zip) file", filename) from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise _refuse(f"has {len(members)} parts (limit {limits.max_members})", filename)
        total = 0
        for info in members:
            _check_member(archive, info, limits, limits.max_uncompressed - total, filename)
            total += info.file_size


def _check_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: int, filename: str
) -> None:
    bomb = "looks like a decompression bomb"
    if not _member_name_safe(info.filename):
        raise _refuse(f"has an unsafe part name {info.filename!r}", filename)
    if info.file_size > budget:
        raise _refuse(f"{bomb}: expands beyond {limits.max_uncompressed // MB} MB", filename)
    if info.file_size > limits.max_ratio * max(info.compress_size, 1) and info.file_size > MB:
        ratio = info.file_size / max(info.compress_size, 1)
        raise _refuse(f"{bomb}: part {info.filename} is compressed {ratio:,.0f}:1", filename)
    try:
        real = _inflate(archive, info, budget, limits)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:  # zlib errors are OSError subclasses
        raise _refuse(f"part {info.filename} is corrupt: {exc}", filename) from exc
    if real < 0:
        raise _refuse(f"part {info.filename} declares a DTD, which XLSX never needs", filename)
    if real > info.file_size or real > budget:
        raise _refuse(f"{bomb}: part {info.filename} is larger than it declares", filename)


def open_workbook(upload: Upload) -> Any:
    """An openpyxl read-only workbook of an upload that passed :func:`check_xlsx`."""
    import openpyxl

    if upload.kind is not Kind.XLSX:
        raise _refuse(f"is {upload.kind.value}, not an XLSX workbook", upload.filename)
    check_xlsx(upload.data, upload.filename)
    return openpyxl.load_workbook(io.BytesIO(upload.data), read_only=True, data_only=True)


DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(text: str) -> bool:
    """Starts with a formula trigger, or with apostrophes before one (kept reversible)."""
    stripped = text.lstrip("'")
    return stripped.startswith(DANGEROUS)


def neutralise_cell(value: Any) -> Any:
    """A text cell made inert for spreadsheets; numbers and other values pass unchanged."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """Undo :func:`neutralise_cell` (for re-importing our own exports)."""
    if value.startswith("'") and _needs_quote(value[1:]):
        return value[1:]
    return value


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV text of ``rows`` with every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise_cell(c) for c in columns])
    for row in rows:
        writer.writerow([neutralise_cell(row.get(c)) for c in columns])
    return buffer.getvalue()
