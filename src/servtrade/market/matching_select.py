"""Choosing among scored candidates: deterministic top-p per row, and fair allocation with caps.

Ties are broken by the counterpart's id, so the same input always gives the same lists.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

Scores = NDArray[np.float32]
Ids = NDArray[np.int64]


def top_per_row(scores: Scores, ids: Ids, p: int) -> tuple[Scores, Ids]:
    """The ``p`` best (score desc, id asc) finite entries of each row, padded with -inf / -1.

    ``ids`` has the shape of ``scores`` or is one row of ids shared by every row.
    """
    rows, width = scores.shape
    out_s = np.full((rows, p), -np.inf, dtype=np.float32)
    out_i = np.full((rows, p), -1, dtype=np.int64)
    if rows == 0 or width == 0:
        return out_s, out_i
    full_ids = np.broadcast_to(ids, scores.shape)
    if width > p:
        threshold = np.partition(scores, width - p, axis=1)[:, width - p]
        keep = (scores >= threshold[:, None]) & np.isfinite(scores)
    else:
        keep = np.isfinite(scores)
    r, c = np.nonzero(keep)
    s, i = scores[r, c], full_ids[r, c]
    order = np.lexsort((i, -s, r))
    r, s, i = r[order], s[order], i[order]
    starts = np.searchsorted(r, np.arange(rows))
    rank = np.arange(len(r)) - starts[r]
    sel = rank < p
    out_s[r[sel], rank[sel]] = s[sel]
    out_i[r[sel], rank[sel]] = i[sel]
    return out_s, out_i


def merge_pools(
    pool_s: Scores, pool_i: Ids, new_s: Scores, new_i: Ids, p: int
) -> tuple[Scores, Ids]:
    """Best ``p`` per row of two candidate pools; an id in both keeps its higher score."""
    scores = np.concatenate([pool_s, new_s], axis=1)
    ids = np.concatenate([pool_i, new_i], axis=1)
    # drop the lower duplicate of an id within a row before choosing
    order = np.lexsort((-scores, ids), axis=1)
    ids_sorted = np.take_along_axis(ids, order, axis=1)
    dup = np.zeros_like(ids_sorted, dtype=np.bool_)
    dup[:, 1:] = (ids_sorted[:, 1:] == ids_sorted[:, :-1]) & (ids_sorted[:, 1:] >= 0)
    mask = np.zeros_like(dup)
    np.put_along_axis(mask, order, dup, axis=1)
    scores = np.where(mask | (ids < 0), -np.inf, scores).astype(np.float32)
    return top_per_row(scores, ids, p)


def cap_for(receivers: int, givers: int, k: int, slack: float) -> int:
    """How many lists one counterpart may appear in: ``slack`` times its fair share."""
    if givers == 0:
        return 0
    return max(k, math.ceil(slack * receivers * k / givers))


def allocate(
    candidates: Mapping[int, Sequence[int]], k: int, cap: int | None
) -> dict[int, list[int]]:
    """Up to ``k`` counterparts per participant from best-first candidate lists, with a cap.

    Round by round (first choices for everyone, then second choices ...), so that scarce,
    popular counterparts are shared out and every participant gets recommendations before
    anyone gets a tenth; a counterpart already in ``cap`` lists is skipped.
    """
    load: dict[int, int] = {}
    chosen: dict[int, list[int]] = {p: [] for p in candidates}
    cursor = dict.fromkeys(candidates, 0)
    for _ in range(k):
        for participant in sorted(candidates):
            options = candidates[participant]
            while cursor[participant] < len(options):
                other = options[cursor[participant]]
                cursor[participant] += 1
                if cap is None or load.get(other, 0) < cap:
                    chosen[participant].append(other)
                    load[other] = load.get(other, 0) + 1
                    break
    return chosen
