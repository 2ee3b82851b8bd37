"""Build data/classifications/ebops2010.csv from UN Comtrade's two EBOPS 2010 reference lists.

Usage: python scripts/build_ebops.py [SHARED_DIR] > data/classifications/ebops2010.csv

Inputs (read-only, ../shared/data/ebops-comtrade): ``cmd_eb10.derived.csv`` (Comtrade numeric
codes with full labels) and ``cmd_eb10s.derived.csv`` (SDMX/BPM6 letter codes, labels cut at 50
characters, some padded with tabs). Each letter code is matched to the numeric code whose
parent matches and whose full label starts with the cut label. The curation below (which
children form the standard, non-overlapping breakdown of their parent and which are alternative
presentations, memorandum or "of which" items) follows the structure of EBOPS 2010 in the
Manual on Statistics of International Trade in Services 2010 (MSITS 2010), Annex I.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

# SC3A..SC3G (space, rail, road, inland waterway, pipeline, electricity transmission, other
# supporting and auxiliary) detail "other modes of transport" (SC3) by mode; the letter list hangs
# them under SC, but their codes and MSITS 2010 place them inside SC3.
PARENT_FIXES = {f"SC3{x}": "SC3" for x in "ABCDEFG"}

# Alternative exhaustive breakdowns of a parent (each adds up to the parent on its own, but must
# never be added to the parent's standard breakdown).
ALTERNATIVE = {
    **dict.fromkeys(("SCA", "SCB", "SCC"), "by_type"),  # transport: passenger/freight/other
    **{f"SC3{x}": "by_mode" for x in "ABCDEFG"},  # other modes of transport by mode
    **{f"SD{i}": "by_product" for i in range(1, 6)},  # travel by goods and services
}
# Memorandum / supplementary items: outside the sum of total services.
MEMO = {f"S{i}" for i in range(1, 10)} | {"SDz"} | {f"SF1{i}{s}" for i in "123" for s in "yz"}
# A listed part that is not exhaustive: SCC "other" also holds postal and courier services
# (Comtrade 3a.31, which has no letter code), so SCC1 alone never adds up to SCC.
PARTS = {"SCC1"}
NOTES = {
    "SCC1": "SCC also includes postal and courier services (Comtrade 3a.31, no SDMX code)",
    "SDz": "memorandum item: overlaps travel (SD) and passenger transport",
    "SC3": "standard breakdown SC31-SC33; alternative breakdown by mode SC3A-SC3G",
    "SC": "standard breakdown SC1-SC4; alternative breakdown by type SCA-SCC",
    "SD": "standard breakdown SDA-SDB; alternative breakdown by product SD1-SD5",
}
LABEL_FIXES = {"shortterm": "short-term"}
# Chinese names, only where China's official BPM6 services statistics publish the item: the
# services lines 1.A.b and 1.A.b.1-1.A.b.12 of SAFE's balance of payments (国际收支平衡表, as
# reprinted in NBS's 中国贸易外经统计年鉴) and the parts of 电信、计算机和信息服务 in MOFCOM's
# services trade releases. Every other item keeps an empty name_zh, so its English label shows.
NAME_ZH = {
    "S": "服务",
    "SA": "加工服务",
    "SB": "维护和维修服务",
    "SC": "运输",
    "SD": "旅行",
    "SE": "建设",
    "SF": "保险和养老金服务",
    "SG": "金融服务",
    "SH": "知识产权使用费",
    "SI": "电信、计算机和信息服务",
    "SI1": "电信服务",
    "SI2": "计算机服务",
    "SI3": "信息服务",
    "SJ": "其他商业服务",
    "SK": "个人、文化和娱乐服务",
    "SL": "别处未提及的政府服务",
}

_NUMBER = re.compile(r"^\s*(?:[0-9A-Za-z]{1,3}(?:\.[0-9A-Za-z]+)+|\d+)\s+")
_OF_WHICH = re.compile(r"^\s*of which:\s*", re.IGNORECASE)


def clean(text: str) -> tuple[str, bool]:
    """Strip numbering, tabs and an "Of which:" prefix; say whether it was an "of which" item."""
    text = " ".join(text.replace("\t", " ").split())
    text = _NUMBER.sub("", text)
    of_which = bool(_OF_WHICH.match(text))
    text = _NUMBER.sub("", _OF_WHICH.sub("", text)).strip()
    for wrong, right in LABEL_FIXES.items():
        text = text.replace(wrong, right)
    return text, of_which


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def match(letters: list[dict[str, str]], numbers: list[dict[str, str]]) -> dict[str, str]:
    """Map every letter code to one Comtrade numeric code (parent first, then label prefix)."""
    mapping = {"S": "200"}
    pending = [r for r in letters if r["id"] != "S"]
    while pending:
        row = next(r for r in pending if r["parent"] in mapping)
        pending.remove(row)
        parent = mapping[row["parent"]]
        want = clean(row["text"])[0].lower()
        found = [
            n["id"]
            for n in numbers
            if (n["parent"] == parent or n["id"].rsplit(".", 1)[0] == parent)
            and clean(n["text"])[0].lower().startswith(want)
            and n["id"] not in mapping.values()
        ]
        if len(found) != 1:
            raise SystemExit(f"{row['id']}: {len(found)} Comtrade matches for {want!r}: {found}")
        mapping[row["id"]] = found[0]
    return mapping


def partition(code: str, of_which: bool) -> str:
    if code in MEMO:
        return "memo"
    if of_which or code in {"SD5y", "SD5z"}:
        return "of_which"
    if code in PARTS:
        return "part"
    return ALTERNATIVE.get(code, "main")


def breakdown(part: str, parent_breakdown: str) -> str:
    if part in ("memo", "of_which", "part"):
        return "supplementary"
    if part != "main":
        return "alternative"
    return parent_breakdown


def build(shared: Path) -> list[dict[str, str]]:
    folder = shared / "data" / "ebops-comtrade"
    letters = read(folder / "cmd_eb10s.derived.csv")
    numbers = {r["id"]: r for r in read(folder / "cmd_eb10.derived.csv")}
    mapping = match(letters, list(numbers.values()))
    rows: dict[str, dict[str, str]] = {}
    for row in letters:  # parents come before children in the letter list
        code = row["id"]
        label, of_which = clean(numbers[mapping[code]]["text"])
        parent = "" if code == "S" else PARENT_FIXES.get(code, row["parent"])
        part = "main" if code == "S" else partition(code, of_which)
        up = rows.get(parent, {"breakdown": "standard", "level": "-1"})
        rows[code] = {
            "code": code,
            "label": label,
            "parent": parent,
            "level": str(int(up["level"]) + 1),
            "comtrade_code": mapping[code],
            "breakdown": breakdown(part, up["breakdown"]),
            "partition": part,
            "note": NOTES.get(code, ""),
            "name_zh": NAME_ZH.get(code, ""),
        }
    unknown = sorted(set(NAME_ZH) - set(rows))
    if unknown:
        raise SystemExit(f"NAME_ZH names codes that are not in the letter list: {unknown}")
    return list(rows.values())


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "shared"
    rows = build(shared)
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


if __name__ == "__main__":
    main()
