"""One read of the input for its checksum and the byte counts that tell its shape.

The counts let the parallel path (parallel.py) prove that a file is one row per line with every
field, without parsing it: no quote, no stray carriage return, and as many delimiters in the data
lines as (fields - 1) x lines. Counting is numpy on 4 MiB chunks (both numpy and hashlib release
the GIL on large buffers), so this runs beside the reader at little cost.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CHUNK = 1 << 22
COUNTED = b'\n\r",;\t|'  # newline, carriage return, quote and the delimiters detect.py knows


@dataclass(frozen=True)
class Digest:
    """A file's checksum, its line count (None when lines do not end in ``\\n``), how many times
    each byte of COUNTED occurs and how many ``\\r\\n`` pairs there are."""

    sha256: str
    lines: int | None
    counts: dict[str, int] = field(default_factory=dict)
    crlf: int = 0

    def count(self, char: str) -> int:
        return self.counts.get(char, 0)


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def file_digest(path: Path) -> Digest:
    sha = hashlib.sha256()
    totals = dict.fromkeys(COUNTED, 0)
    crlf = 0
    last = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
            array = np.frombuffer(chunk, dtype=np.uint8)
            for byte in COUNTED:
                totals[byte] += int(np.count_nonzero(array == byte))
            if totals[13]:  # pairs only matter (and cost) when there is a carriage return
                crlf += int(np.count_nonzero((array[:-1] == 13) & (array[1:] == 10)))
                crlf += int(last == b"\r" and chunk[:1] == b"\n")
            last = chunk[-1:]
    newlines, returns = totals[10], totals[13]
    lines = newlines + (1 if last not in (b"", b"\n") else 0)
    return Digest(
        sha.hexdigest(),
        None if returns > newlines else lines,
        {chr(b): n for b, n in totals.items()},
        crlf,
    )
