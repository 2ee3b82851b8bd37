"""Detection of how a delimited file is written: encoding (UTF-8, UTF-8 with BOM, GB18030/GBK),
delimiter, preamble lines before the header, and which catalog layout the header belongs to.

Files that are not UTF-8 are transcoded (streaming) into the staging folder, because the CSV
reader reads UTF-8 only.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from servtrade.errors import DataFileError, ErrorDetail
from servtrade.stats.catalog import Dataset, dataset_for_header

SAMPLE_BYTES = 256 * 1024
MAX_PREAMBLE = 50
DELIMITERS = (",", ";", "\t", "|")
CHINESE = {"gb18030", "gbk", "gb2312", "hz", "big5"}


@dataclass(frozen=True)
class Sniffed:
    """What the reader needs: which file to read, how, and where the header is."""

    source: Path
    readable: Path
    encoding: str
    delimiter: str
    header_line: int
    header: tuple[str, ...]
    dataset: Dataset | None


def detect_encoding(sample: bytes, *, complete: bool, label: str = "") -> str:
    """``utf-8-sig``, ``utf-8``, ``gb18030`` or another codec name from the first bytes."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_chinese(sample, complete=complete):
        return "gb18030"
    guess = from_bytes(sample).best()
    if guess is None:
        detail = ErrorDetail("is not text in a known encoding", file=label or None, line=1)
        raise DataFileError(
            f"cannot read {label or 'the file'}: not text in a known encoding",
            errors=[detail],
            hint="save it as UTF-8 CSV and try again",
        )
    name = guess.encoding.lower().replace("-", "")
    return "gb18030" if name in CHINESE or name.startswith("gb") else guess.encoding


def _looks_chinese(sample: bytes, *, complete: bool) -> bool:
    """GB18030 decodes cleanly and most non-ASCII characters are CJK ideographs or punctuation
    (short Chinese samples are otherwise often taken for Korean code pages)."""
    try:
        text = codecs.getincrementaldecoder("gb18030")().decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    wide = [c for c in text if ord(c) > 127]
    cjk = [
        c
        for c in wide
        if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
    ]
    return bool(wide) and len(cjk) >= 0.8 * len(wide)


def transcode(source: Path, target: Path, encoding: str) -> Path:
    """Copy ``source`` to ``target`` as UTF-8, chunk by chunk (constant memory)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with source.open("rb") as raw, target.open("w", encoding="utf-8", newline="") as out:
            while chunk := raw.read(1 << 20):
                out.write(decoder.decode(chunk))
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"cannot decode {source.name} as {encoding}",
            errors=[ErrorDetail(str(exc), file=str(source))],
            hint="save the file as UTF-8",
        ) from exc
    return target


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader(io.StringIO(line), delimiter=delimiter), [])


def _delimiter(line: str) -> str:
    return max(DELIMITERS, key=lambda d: len(_split(line, d)))


def find_header(lines: list[str], wanted: Dataset | None) -> tuple[int, str, Dataset | None]:
    """(0-based index, delimiter, dataset) of the header among the first lines."""
    for index, line in enumerate(lines[:MAX_PREAMBLE]):
        delimiter = _delimiter(line)
        cells = _split(line, delimiter)
        found = dataset_for_header(cells)
        if found is not None and (wanted is None or wanted.id == found.id):
            return index, delimiter, found
        if wanted is not None and not wanted.detect and len(cells) >= 3:
            return index, delimiter, wanted
    return -1, ",", None


def sniff(path: Path, work: Path, wanted: Dataset | None = None) -> Sniffed:
    """Detect encoding, delimiter, preamble and layout of ``path``."""
    try:
        with path.open("rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
            complete = not handle.read(1)
    except OSError as exc:
        raise DataFileError(
            f"cannot read {path}",
            errors=[ErrorDetail(str(exc), file=str(path))],
            hint="check the path",
        ) from exc
    if not sample.strip():
        raise DataFileError(
            f"{path.name} is empty", errors=[ErrorDetail("no data", file=str(path))]
        )
    encoding = detect_encoding(sample, complete=complete, label=str(path))
    text = sample.decode(encoding, errors="ignore")
    lines = text.splitlines()[:-1] if not complete else text.splitlines()
    index, delimiter, dataset = find_header(lines, wanted)
    if index < 0:
        expected = (
            "; ".join(",".join(s) for s in (wanted.detect if wanted else ())) or "a known layout"
        )
        detail = ErrorDetail(
            "no header line of a known layout in the first lines",
            file=str(path),
            line=1,
            value=(lines[0][:80] if lines else ""),
            hint=f"expected {expected}; pass --dataset for another layout",
        )
        raise DataFileError(f"cannot recognise the layout of {path.name}", errors=[detail])
    readable = path
    if encoding not in ("utf-8", "utf-8-sig"):
        readable = transcode(path, work / "utf8.csv", encoding)
    header = tuple(c.strip() for c in _split(lines[index].lstrip("\ufeff"), delimiter))
    return Sniffed(
        source=path,
        readable=readable,
        encoding=encoding,
        delimiter=delimiter,
        header_line=index + 1,
        header=header,
        dataset=dataset,
    )
