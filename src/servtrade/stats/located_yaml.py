"""YAML loading that remembers the line of every key, so errors can name file, line and field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
import yaml

from servtrade.errors import DataFileError, ErrorDetail


@dataclass
class Located:
    """A parsed YAML document plus the line of each path (tuple of keys and list indexes)."""

    data: Any
    path: Path
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """Line of the deepest known prefix of ``loc`` (1-based)."""
        parts = tuple(loc)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return self.lines.get((), 1)


def _walk(node: yaml.Node, here: tuple[str | int, ...], lines: dict[Any, int]) -> None:
    lines.setdefault(here, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*here, str(key.value))
            lines[child] = key.start_mark.line + 1
            _walk(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            _walk(value, (*here, index), lines)


def load_located(path: Path) -> Located:
    """Parse ``path``; a syntax error becomes a DataFileError with the line."""
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        detail = ErrorDetail(
            str(exc.problem), file=str(path), line=line, hint="fix the YAML syntax"
        )
        raise DataFileError(f"cannot parse {path.name}", errors=[detail]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        detail = ErrorDetail(str(exc), file=str(path), hint="check the file exists and is UTF-8")
        raise DataFileError(f"cannot read {path.name}", errors=[detail]) from exc
    lines: dict[tuple[str | int, ...], int] = {}
    if node is not None:
        _walk(node, (), lines)
    return Located(data=data, path=path, lines=lines)


def validation_details(
    exc: pydantic.ValidationError, doc: Located, prefix: Sequence[str | int] = ()
) -> list[ErrorDetail]:
    """One located ErrorDetail per pydantic error."""
    details = []
    for err in exc.errors():
        loc = (*prefix, *(p for p in err["loc"] if isinstance(p, str | int)))
        value = err.get("input")
        shown = None if isinstance(value, dict | list) or value is None else str(value)
        details.append(
            ErrorDetail(
                err["msg"],
                file=str(doc.path),
                line=doc.line_of(loc),
                field=".".join(str(p) for p in loc),
                value=shown,
            )
        )
    return details
