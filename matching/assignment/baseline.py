"""Checking an assignment, the greedy baseline, and the figures that compare results."""

import numpy as np

from matching.assignment.common import ROW_CHUNK, as_inputs

# --- Checking ----------------------------------------------------------------------------


def check(scores, capacity, assignment) -> None:
    """Raise ValueError unless `assignment` is a valid assignment for `scores` and `capacity`.

    Valid: one int entry per mentee, each -1 or a mentor index, never a -inf pair, and no
    mentor given more mentees than their capacity (a negative capacity counts as 0).
    """
    scores, capacity = as_inputs(scores, capacity)
    assignment = np.asarray(assignment)
    m, n = scores.shape
    if assignment.shape != (m,):
        raise ValueError(
            f"Assignment must have one entry per mentee ({m}), not {assignment.shape}."
        )
    if not np.issubdtype(assignment.dtype, np.integer):
        raise ValueError("Assignment must hold integers.")
    if ((assignment < -1) | (assignment >= n)).any():
        raise ValueError("Assignment holds a mentor index out of range.")
    matched = np.flatnonzero(assignment >= 0)
    if not np.isfinite(scores[matched, assignment[matched]]).all():
        raise ValueError("Assignment uses a pair that is not allowed.")
    if (np.bincount(assignment[matched], minlength=n) > capacity).any():
        raise ValueError("Assignment gives a mentor more mentees than their capacity.")


# --- Greedy baseline ---------------------------------------------------------------------


def greedy(scores, capacity) -> np.ndarray:
    """Return the greedy assignment: pairs taken best score first while both sides are free.

    Ties go to the lower mentee index, then the lower mentor index. Instead of sorting
    every pair, each round takes the best still-possible pairs (free mentee, mentor with
    room) down to a threshold, in order, and the next round looks below it; a pair that
    was skipped once never becomes possible again, so the result is the same. A large
    group of pairs tied at one score is taken mentee by mentee, without sorting it.
    """
    scores, capacity = as_inputs(scores, capacity)
    m, n = scores.shape
    assignment = np.full(m, -1, dtype=np.int64)
    room = capacity.copy()
    below = np.inf  # every pair scoring at least this has been considered
    batch = 4 * (m + n) + 64
    while True:
        rows_open = np.flatnonzero(assignment < 0)
        cols_open = np.flatnonzero(room > 0)
        if len(rows_open) == 0 or len(cols_open) == 0:
            break
        values, pair_rows, pair_cols, lowest, tie_complete = _best_pairs_below(
            scores, rows_open, cols_open, below, batch
        )
        if len(values) == 0:
            break
        # A big or partly kept tie at `lowest`: take the pairs above it, then the tie.
        tie_apart = not tie_complete or len(values) > 2 * batch
        if tie_apart:
            above = values > lowest
            values, pair_rows, pair_cols = values[above], pair_rows[above], pair_cols[above]
        order = np.lexsort((pair_cols, pair_rows, -values))
        for i, j in zip(pair_rows[order].tolist(), pair_cols[order].tolist(), strict=True):
            if assignment[i] < 0 and room[j] > 0:
                assignment[i] = j
                room[j] -= 1
        if tie_apart:
            _take_tied(scores, assignment, room, lowest)
        below = lowest
    return assignment


def _best_pairs_below(scores, rows_open, cols_open, below, batch):
    """Return the best allowed pairs scoring under `below`, among open rows and columns.

    Return (values, rows, cols, lowest, tie_complete): every pair scoring more than
    `lowest` and pairs scoring exactly `lowest`, about `batch` in all (every pair when
    fewer); `tie_complete` tells whether all the pairs at `lowest` are there. Each block
    of rows keeps at most `batch` pairs, so memory stays at a block plus a few batches.
    """
    kept_values, kept_rows, kept_cols, cut = [], [], [], set()
    for start in range(0, len(rows_open), ROW_CHUNK):
        rows = rows_open[start : start + ROW_CHUNK]
        block = scores[np.ix_(rows, cols_open)]
        where = np.nonzero((block < below) & (block > -np.inf))
        values = block[where]
        if len(values) > batch:
            threshold = np.partition(values, len(values) - batch)[len(values) - batch]
            keep = values > threshold
            # At least one place is left: fewer than `batch` pairs beat the threshold.
            places_left = batch - int(keep.sum())
            tied = np.flatnonzero(values == threshold)
            keep[tied[:places_left]] = True
            if len(tied) > places_left:
                cut.add(float(threshold))
            values, where = values[keep], (where[0][keep], where[1][keep])
        kept_values.append(values)
        kept_rows.append(rows[where[0]])
        kept_cols.append(cols_open[where[1]])
    values = np.concatenate(kept_values)
    pair_rows = np.concatenate(kept_rows)
    pair_cols = np.concatenate(kept_cols)
    if len(values) == 0:
        return values, pair_rows, pair_cols, None, True
    if len(values) > batch:
        threshold = np.partition(values, len(values) - batch)[len(values) - batch]
        keep = values >= threshold
        values, pair_rows, pair_cols = values[keep], pair_rows[keep], pair_cols[keep]
    lowest = values.min()
    return values, pair_rows, pair_cols, lowest, float(lowest) not in cut


def _take_tied(scores, assignment, room, value) -> None:
    """Give each free mentee, in order, their first mentor with room at exactly `value`."""
    for i in np.flatnonzero(assignment < 0).tolist():
        open_cols = np.flatnonzero((scores[i] == value) & (room > 0))
        if len(open_cols):
            assignment[i] = open_cols[0]
            room[open_cols[0]] -= 1


# --- Quality figures ---------------------------------------------------------------------


def evaluate(scores, capacity, assignment) -> dict:
    """Return figures on how good `assignment` is.

    - matched: mentees with a mentor;
    - total_score: the sum of the matched pairs' scores (0.0 when nobody is matched);
    - p10_score: the 10th percentile of the matched pairs' scores (NumPy's default linear
      interpolation), None when nobody is matched;
    - worst_score: the lowest matched pair's score, None when nobody is matched;
    - blocking_pair_share: the share of all mentees (0.0 when there are none) who are in a
      blocking pair (i, j): i is allowed with mentor j and scores higher with j than with
      their own mentor (or has none), and j has a free place or a mentee who scores lower
      with j than i does. Both sides rank by the same pair score.
    """
    check(scores, capacity, assignment)
    scores, capacity = as_inputs(scores, capacity)
    assignment = np.asarray(assignment, dtype=np.int64)
    m, n = scores.shape
    matched = np.flatnonzero(assignment >= 0)
    pair_scores = scores[matched, assignment[matched]].astype(np.float64)
    has_pairs = len(pair_scores) > 0
    return {
        "matched": int(len(matched)),
        "total_score": float(pair_scores.sum()),
        "p10_score": float(np.percentile(pair_scores, 10)) if has_pairs else None,
        "worst_score": float(pair_scores.min()) if has_pairs else None,
        "blocking_pair_share": _blocking_pair_share(scores, capacity, assignment),
    }


def _blocking_pair_share(scores, capacity, assignment) -> float:
    m, n = scores.shape
    if m == 0:
        return 0.0
    matched = np.flatnonzero(assignment >= 0)
    own = np.full(m, -np.inf, dtype=np.float32)
    own[matched] = scores[matched, assignment[matched]]
    # The score a newcomer must beat to get mentor j: -inf with a free place, +inf when j
    # takes nobody, else the score of j's worst assigned mentee.
    load = np.bincount(assignment[matched], minlength=n)
    worst = np.full(n, np.inf, dtype=np.float32)
    np.minimum.at(worst, assignment[matched], own[matched])
    bar = np.where(load < capacity, -np.inf, worst).astype(np.float32)
    in_blocking_pair = np.zeros(m, dtype=bool)
    for start in range(0, m, ROW_CHUNK):
        rows = slice(start, min(start + ROW_CHUNK, m))
        block = scores[rows]
        # -inf pairs never block: -inf > x is false for every x.
        in_blocking_pair[rows] = ((block > own[rows, None]) & (block > bar[None, :])).any(axis=1)
    return float(in_blocking_pair.mean())
