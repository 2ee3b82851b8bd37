"""``servtrade rules import FILE``: add a list (YAML or CSV) to the user's rules, validated first.

The file is checked against the bundled rules plus everything imported before; only if the
whole rulebook still loads is it written, atomically, to ``<data_dir>/measures/<folder>/``.
A failed import leaves the previous files untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from servtrade.errors import ConflictError, ErrorDetail
from servtrade.rules.loader import add_file, build, bundled_root, collect


@dataclass(frozen=True)
class ImportReport:
    file: str
    stored_as: str
    lists: tuple[str, ...]
    measures: tuple[str, ...]
    coverage: tuple[str, ...]
    dry_run: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "stored_as": self.stored_as,
            "lists": list(self.lists),
            "measures": list(self.measures),
            "coverage": list(self.coverage),
            "dry_run": self.dry_run,
        }


def import_file(
    path: Path, user_root: Path, *, replace: bool = False, dry_run: bool = False
) -> ImportReport:
    """Validate ``path`` against the current rules and store it under ``user_root``."""
    target_name = path.name
    existing = list(user_root.glob(f"*/{target_name}")) if user_root.is_dir() else []
    if existing and not replace:
        raise ConflictError(
            f"{target_name} was imported before ({existing[0]})",
            errors=[
                ErrorDetail(
                    "already imported",
                    file=str(existing[0]),
                    value=target_name,
                    hint="pass --replace to overwrite it, or rename the file",
                )
            ],
        )
    # The file being replaced is left out, so its measure ids do not clash with the new version.
    parsed = collect([bundled_root(), user_root], skip=existing)
    before = set(parsed.lists)
    measures = add_file(path, parsed)
    book = build(parsed)
    new_lists = tuple(sorted(set(parsed.lists) - before))
    economies = {book.lists[m.list_id].economy for m in measures} | {
        book.lists[i].economy for i in new_lists
    }
    folder = parsed.folders[sorted(economies)[0]] if economies else "misc"
    target = user_root / folder / target_name
    if not dry_run:
        _store(path, target)
    touched = sorted({m.list_id for m in measures} | set(new_lists))
    return ImportReport(
        str(path),
        str(target),
        new_lists,
        tuple(m.id for m in measures),
        tuple(book.coverage(i) for i in touched),
        dry_run,
    )


def _store(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".import-", suffix=target.suffix)
    os.close(handle)
    try:
        shutil.copyfile(source, tmp)
        Path(tmp).replace(target)
    finally:
        if Path(tmp).exists():
            Path(tmp).unlink()
