"""The exact optimum: as many mentees matched as possible, then the highest total score."""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from matching.assignment.common import MAX_SCORE, ROW_CHUNK, as_inputs

CANDIDATES_PER_MENTEE = 4  # a mentee's best mentors in the first sparse problem
# About so many of a mentor's best mentees beyond their capacity, or this share of all
# mentees if more: enough at 5,000 x 2,000 and 10,000 x 4,000 for one exact solve to
# hold up (measured), while LAPJVsp's time grows slowly with the candidates.
EXTRA_CANDIDATES_PER_MENTOR = 128
EXTRA_CANDIDATES_SHARE = 0.02
SAMPLE_STRIDE = 8  # every so many mentees are ranked to find each mentor's best
ADDED_PER_ROUND = 16  # pairs added per mentee that the certificate finds wanting
MAX_ROUNDS = 12
MAX_CANCELS = 4  # negative cycles cancelled one by one before solving again
# Slack of the optimality certificate, in points, at least: potentials are float64 sums
# along paths of terms of the size of B (see solve), so the slack grows with B.
CERTIFICATE_SLACK = 1e-7


# --- The exact optimum -------------------------------------------------------------------


def solve(scores, capacity) -> np.ndarray:
    """Return the optimal assignment: the most mentees matched, then the highest total score.

    Subject to each mentor's capacity, never using a -inf pair. Deterministic: the same
    input gives the same assignment.

    Why it is exact:

    - The problem is a maximum-weight b-matching. Weighting each pair score + B, with B =
      101 x (places), makes one more match worth more than any gain in scores (k matches
      score at most 100 k < B), so the heaviest matching has the most matches first.
    - A mentor's capacity is first capped at the number of mentees allowed with them,
      which changes no feasible assignment.
    - The Hungarian method on every pair, one column per place, takes seconds at 5,000 x
      2,000 (it is kept as the fallback, `_solve_dense`). But an optimum uses few pairs,
      so the problem is first solved exactly on candidate pairs: each mentee's 4 best
      mentors and about (capacity + max(128, 2 % of the mentees)) of each mentor's best
      mentees, by scipy's sparse Jonker-Volgenant (LAPJVsp). The smaller side of that problem
      (places or mentees) is matched in full, each of its nodes having a dummy partner
      of its own that means "left empty".
    - That result is then proved optimal for every pair. As a min-cost circulation
      (source -> mentee -> mentor -> sink -> source, a pair costing -(score + B)), a flow
      is optimal exactly when its residual graph has no negative cycle, that is when
      node potentials d exist with d[head] <= d[tail] + cost on every residual edge.
      Bellman-Ford on the candidates' residual graph finds such d. A pair (i, j) left
      out of the candidates only adds the residual edge i -> j, so d fits every pair
      when score[i, j] + B + d[j] <= d[i] everywhere: one vectorized pass (float32 with a
      rounding margin, then float64 for the rows in doubt).
    - Pairs that break it join the candidates. If the same assignment still has no
      negative cycle with them, only d is updated; otherwise a few negative cycles are
      cancelled (flow pushed around them, each strictly improving the assignment), or
      the candidates are solved again. After MAX_ROUNDS rounds, or if rounding ever
      stops Bellman-Ford from settling, the dense method decides.

    Floating point: the certificate allows each pair a slack of max(1e-7, B x 2**-40)
    points (under 1e-6 up to ~10,000 places), far below any real difference in scores.
    """
    scores, capacity = as_inputs(scores, capacity)
    assignment = _solve_sparse(scores, capacity)
    if assignment is None:
        assignment = _solve_dense(scores, capacity)
    return assignment


def _usable_capacity(scores, capacity) -> np.ndarray:
    """Return each mentor's capacity capped at the number of mentees allowed with them."""
    m, n = scores.shape
    allowed_count = np.zeros(n, dtype=np.int64)
    for start in range(0, m, ROW_CHUNK):
        allowed_count += np.isfinite(scores[start : start + ROW_CHUNK]).sum(axis=0)
    return np.minimum(capacity, allowed_count)


def _big_weight(capacity) -> float:
    return (MAX_SCORE + 1) * max(int(capacity.sum()), 1)


def _slack(big: float) -> float:
    """Return the certificate's slack: CERTIFICATE_SLACK, or more when B is huge."""
    return max(CERTIFICATE_SLACK, big * 2.0**-40)


def _solve_dense(scores, capacity) -> np.ndarray:
    """Return the optimum by the Hungarian method on every pair: one column per place."""
    m, n = scores.shape
    capacity = _usable_capacity(scores, capacity)
    assignment = np.full(m, -1, dtype=np.int64)
    place_mentor = np.repeat(np.arange(n), capacity)
    if m == 0 or len(place_mentor) == 0:
        return assignment
    weight = scores[:, place_mentor].astype(np.float64)
    allowed = np.isfinite(weight)
    weight = np.where(allowed, weight + _big_weight(capacity), 0.0)
    rows, places = linear_sum_assignment(weight, maximize=True)
    used = allowed[rows, places]
    assignment[rows[used]] = place_mentor[places[used]]
    return assignment


def _best_per_row(scores, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (rows, cols) of each row's `count` best allowed entries (ties: lower column).

    Repeated argmax on a copy of each block of rows: a few times faster than argpartition
    for the handful of entries wanted.
    """
    m, n = scores.shape
    rows_out, cols_out = [], []
    for start in range(0, m, ROW_CHUNK):
        work = np.array(scores[start : start + ROW_CHUNK], dtype=np.float32)
        local = np.arange(len(work))
        for _ in range(min(count, n)):
            best = work.argmax(axis=1)
            allowed = np.isfinite(work[local, best])
            rows_out.append(local[allowed] + start)
            cols_out.append(best[allowed])
            work[local, best] = -np.inf
    if not rows_out:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(rows_out), np.concatenate(cols_out)


def _mentor_bars(scores, counts) -> np.ndarray:
    """Return per mentor a score above which about `counts[j]` mentees lie (-inf: all).

    Estimated on every SAMPLE_STRIDE-th mentee, which is much cheaper than ranking every
    column and precise enough to pick candidates.
    """
    m, n = scores.shape
    stride = SAMPLE_STRIDE if m >= SAMPLE_STRIDE * 8 else 1
    sample = np.array(scores[::stride].T, dtype=np.float32)  # one mentor per row
    length = sample.shape[1]
    depth = -(-counts // stride)  # ceiling
    bars = np.full(n, -np.inf, dtype=np.float32)
    ranked = np.flatnonzero((depth >= 1) & (depth <= length))
    if len(ranked):
        # The depth-th best of a row sits at position length - depth once partitioned.
        position = length - depth[ranked]
        sample = np.partition(sample[ranked], np.unique(position), axis=1)
        bars[ranked] = sample[np.arange(len(ranked)), position]
    return bars


def _candidates(scores, capacity) -> tuple[np.ndarray, np.ndarray]:
    """Return the first candidate pairs: each mentee's best mentors, each mentor's best mentees."""
    m, n = scores.shape
    mentee_rows, mentee_cols = _best_per_row(scores, CANDIDATES_PER_MENTEE)
    extra = max(EXTRA_CANDIDATES_PER_MENTOR, int(EXTRA_CANDIDATES_SHARE * m))
    wanted = np.where(capacity > 0, capacity + extra, 0)
    bars = _mentor_bars(scores, wanted)
    # A mentor with no place takes nobody.
    bars[capacity <= 0] = np.inf
    # Every pair above a mentor's bar, then pairs tied with it while the mentor wants
    # more, so that a pool where most scores are equal stays sparse.
    above = np.zeros(n, dtype=np.int64)
    tied_total = np.zeros(n, dtype=np.int64)
    for start in range(0, m, ROW_CHUNK):
        block = scores[start : start + ROW_CHUNK]
        above += (block > bars[None, :]).sum(axis=0)
        tied_total += ((block == bars[None, :]) & (block > -np.inf)).sum(axis=0)
    tied_wanted = np.maximum(wanted - above, 0)
    # Taking every tied pair at most doubles a mentor's candidates: fine. Beyond that (a
    # pool with few distinct scores) take just the pairs wanted, spread out.
    take_tied = tied_total <= np.maximum(tied_wanted, wanted)
    crowded = np.flatnonzero(~take_tied)
    mentor_rows, mentor_cols = [], []
    for start in range(0, m, ROW_CHUNK):
        block = scores[start : start + ROW_CHUNK]
        tied = (block == bars[None, :]) & (block > -np.inf)
        rows, cols = np.nonzero((block > bars[None, :]) | (tied & take_tied[None, :]))
        mentor_rows.append(rows + start)
        mentor_cols.append(cols)
    if len(crowded):
        rows, cols = _spread_ties(scores, bars, crowded, tied_wanted[crowded])
        mentor_rows.append(rows)
        mentor_cols.append(cols)
    return _unique_pairs(
        np.concatenate([mentee_rows, *mentor_rows]), np.concatenate([mentee_cols, *mentor_cols]), n
    )


def _spread_ties(scores, bars, mentors, wanted) -> tuple[np.ndarray, np.ndarray]:
    """Return, for each of `mentors`, its first `wanted` mentees tied at its bar.

    Mentor j of n starts counting at mentee j x m / n and wraps around, so that in a pool
    where most scores are equal the mentors do not all pick the same mentees.
    """
    m = scores.shape[0]
    start_at = mentors * m // max(scores.shape[1], 1)
    tied_before_start = np.zeros(len(mentors), dtype=np.int64)
    tied_total = np.zeros(len(mentors), dtype=np.int64)
    for start in range(0, m, ROW_CHUNK):
        block = scores[start : start + ROW_CHUNK, mentors]
        tied = (block == bars[mentors][None, :]) & (block > -np.inf)
        row = np.arange(start, start + len(block))[:, None]
        tied_before_start += (tied & (row < start_at[None, :])).sum(axis=0)
        tied_total += tied.sum(axis=0)
    tied_seen = np.zeros(len(mentors), dtype=np.int64)
    rows_out, cols_out = [], []
    for start in range(0, m, ROW_CHUNK):
        block = scores[start : start + ROW_CHUNK, mentors]
        tied = (block == bars[mentors][None, :]) & (block > -np.inf)
        seen = np.cumsum(tied, axis=0) + tied_seen[None, :]  # tied rows up to this one
        tied_seen += tied.sum(axis=0)
        row = np.arange(start, start + len(block))[:, None]
        # Place of each tied row in the mentor's wrapped order, counting from 1.
        place = seen - tied_before_start[None, :]
        place += np.where(row < start_at[None, :], tied_total[None, :], 0)
        rows, picked = np.nonzero(tied & (place <= wanted[None, :]))
        rows_out.append(rows + start)
        cols_out.append(mentors[picked])
    return np.concatenate(rows_out), np.concatenate(cols_out)


def _unique_pairs(rows, cols, n) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct (row, col) pairs, sorted by row then column."""
    key = np.sort(rows.astype(np.int64) * n + cols)
    key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
    return key // n, key % n


def _solve_candidates(scores, capacity, rows, cols) -> np.ndarray | None:
    """Return the optimum using only the pairs (rows, cols), or None if it fails."""
    m, n = scores.shape
    weight = scores[rows, cols].astype(np.float64)
    # A mentor's places beyond their candidate count would stay empty anyway.
    places = np.minimum(capacity, np.bincount(cols, minlength=n))
    place_start = np.cumsum(places) - places
    place_count = int(places.sum())
    assignment = np.full(m, -1, dtype=np.int64)
    if place_count == 0:
        return assignment
    # Candidate pairs come sorted by mentee: number the mentees that appear in them.
    first_of_mentee = np.r_[True, rows[1:] != rows[:-1]] if len(rows) else np.empty(0, bool)
    mentees = rows[first_of_mentee]
    mentee_column = np.cumsum(first_of_mentee) - 1
    # One edge per candidate pair and place of its mentor.
    copies = places[cols]
    total = int(copies.sum())
    within = np.arange(total) - np.repeat(np.cumsum(copies) - copies, copies)
    edge_place = np.repeat(place_start[cols], copies) + within
    edge_column = np.repeat(mentee_column, copies)
    # The smaller side is matched in full, each of its nodes having a dummy partner of
    # its own that stands for "left empty" (a place) or "unmatched" (a mentee). A real
    # pair costs 101 - score, in [1, 101]; a dummy 101 x (smaller side + 1), more than any
    # set of real pairs gains by leaving one more node alone. Minimizing the cost then
    # maximizes the sum of (score + 101 x smaller side) over real pairs: the count first.
    edge_cost = np.repeat(MAX_SCORE + 1 - weight, copies)
    mentee_count = len(mentees)
    places_are_rows = place_count <= mentee_count
    if places_are_rows:
        edge_row, edge_col = edge_place, edge_column
        row_count, col_count = place_count, mentee_count
    else:
        edge_row, edge_col = edge_column, edge_place
        row_count, col_count = mentee_count, place_count
    dummy_cost = (MAX_SCORE + 1) * (row_count + 1)
    graph = csr_matrix(
        (
            np.concatenate([edge_cost, np.full(row_count, dummy_cost)]),
            (
                np.concatenate([edge_row, np.arange(row_count)]),
                np.concatenate([edge_col, col_count + np.arange(row_count)]),
            ),
        ),
        shape=(row_count, col_count + row_count),
    )
    try:
        matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    except ValueError:
        return None
    real = matched_cols < col_count
    if places_are_rows:
        place_of, mentee_of = matched_rows[real], matched_cols[real]
    else:
        place_of, mentee_of = matched_cols[real], matched_rows[real]
    place_mentor = np.repeat(np.arange(n), places)
    assignment[mentees[mentee_of]] = place_mentor[place_of]
    return assignment


@dataclass
class _Residual:
    """The residual graph of an assignment restricted to candidate pairs, edges by head."""

    tails: np.ndarray
    costs: np.ndarray
    starts: np.ndarray  # where each head's run of edges starts
    heads: np.ndarray  # one per run
    run_of_edge: np.ndarray
    nodes: int


def _residual(scores, capacity, rows, cols, assignment, big) -> _Residual:
    """Return the residual graph of `assignment` as a min-cost circulation.

    Nodes: mentees 0..m-1, mentors m..m+n-1, source m+n, sink m+n+1. Edges: source ->
    unmatched mentee and matched mentee -> source; mentee -> mentor for an unused
    candidate pair at cost -(score + B), mentor -> mentee back along a match at
    +(score + B); mentor with room -> sink and sink -> mentor with mentees; sink <-> source.
    """
    m, n = scores.shape
    source, sink = m + n, m + n + 1
    matched = assignment >= 0
    used = assignment[rows] == cols
    weight = scores[rows, cols].astype(np.float64) + big
    load = np.bincount(assignment[matched], minlength=n)
    mentees, mentors = np.arange(m), np.arange(n)
    free_mentees, busy_mentees = mentees[~matched], mentees[matched]
    room, busy = mentors[load < capacity], mentors[load > 0]
    flowing = [0] if matched.any() else []
    parts = [
        # (tails, heads, costs)
        (np.full(len(free_mentees), source), free_mentees, 0.0),
        (busy_mentees, np.full(len(busy_mentees), source), 0.0),
        (rows[~used], m + cols[~used], -weight[~used]),
        (m + cols[used], rows[used], weight[used]),
        (m + room, np.full(len(room), sink), 0.0),
        (np.full(len(busy), sink), m + busy, 0.0),
        ([sink], [source], 0.0),
        (np.full(len(flowing), source), np.full(len(flowing), sink), 0.0),
    ]
    tails = np.concatenate([np.asarray(part[0], dtype=np.int64) for part in parts])
    heads = np.concatenate([np.asarray(part[1], dtype=np.int64) for part in parts])
    costs = np.concatenate(
        [np.broadcast_to(np.asarray(part[2], dtype=np.float64), len(part[0])) for part in parts]
    )
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    new_run = np.r_[True, heads[1:] != heads[:-1]]
    starts = np.flatnonzero(new_run)
    return _Residual(
        tails=tails,
        costs=costs,
        starts=starts,
        heads=heads[starts],
        run_of_edge=np.cumsum(new_run) - 1,
        nodes=m + n + 2,
    )


PLAIN_ROUNDS = 64  # Bellman-Ford passes before looking for a negative cycle
CYCLE_CHECK_EVERY = 8


def _potentials(graph: _Residual, slack: float, distance=None):
    """Return (shortest distances from a root joined to every node by a free edge, None),
    or (None, a negative cycle as a list of nodes in edge order).

    Bellman-Ford, all edges relaxed at once per pass. `distance` may be the answer for a
    smaller graph with the same flow: distances only fall when edges are added. Passes
    usually settle within PLAIN_ROUNDS; after that each node also remembers the edge that
    last improved it, and a cycle among those edges (it always has a negative length)
    ends the search.
    """
    distance = np.zeros(graph.nodes) if distance is None else distance.copy()
    parent = np.full(graph.nodes, -1, dtype=np.int64)
    tiny = slack / 64
    plain_rounds = min(PLAIN_ROUNDS, graph.nodes // 4)
    # Without a negative cycle, shortest paths have at most (nodes - 1) edges.
    for rounds in range(1, graph.nodes + 2):
        reach = distance[graph.tails] + graph.costs
        best = np.minimum.reduceat(reach, graph.starts)
        shorter = best < distance[graph.heads] - tiny
        if not shorter.any():
            return distance, None
        if rounds > plain_rounds:
            hits = np.flatnonzero(shorter[graph.run_of_edge] & (reach == best[graph.run_of_edge]))
            runs = graph.run_of_edge[hits]
            first = hits[np.r_[True, runs[1:] != runs[:-1]]]
            parent[graph.heads[graph.run_of_edge[first]]] = graph.tails[first]
        distance[graph.heads[shorter]] = best[shorter]
        if rounds > plain_rounds and rounds % CYCLE_CHECK_EVERY == 0:
            cycle = _find_cycle(parent)
            if cycle is not None:
                return None, cycle
    return None, _find_cycle(parent)


def _find_cycle(parent: np.ndarray) -> list | None:
    """Return a cycle of the parent pointers, in edge order (parent -> node), or None."""
    ahead = parent.copy()
    steps = 1
    while steps < len(parent):
        ahead = np.where(ahead >= 0, ahead[ahead], -1)
        steps *= 2
    looping = np.flatnonzero(ahead >= 0)
    if len(looping) == 0:
        return None
    # Following the parents as many steps as there are nodes ends on the cycle.
    start = int(ahead[looping[0]])
    cycle = [start]
    node = int(parent[start])
    while node != start:
        cycle.append(node)
        node = int(parent[node])
    return cycle[::-1]


def _cancel(assignment: np.ndarray, cycle: list, m: int, n: int) -> np.ndarray:
    """Return `assignment` with one unit of flow pushed around the residual `cycle`.

    A mentee on the cycle leaves it either to a mentor (their new match) or to the source
    (no match any more); mentors' loads follow from the assignment.
    """
    assignment = assignment.copy()
    for position, node in enumerate(cycle):
        if node < m:
            following = cycle[(position + 1) % len(cycle)]
            assignment[node] = following - m if m <= following < m + n else -1
    return assignment


def _wanting_pairs(scores, capacity, assignment, distance, big, slack):
    """Return unused pairs that break the certificate: score + B + d[mentor] > d[mentee].

    A first pass in float32 finds the rows that may hold such a pair (with a margin for
    its rounding); only those rows are checked again in float64.
    """
    m, n = scores.shape
    mentee_distance = distance[:m]
    # Mentors with no place cannot take anyone: their pairs are not edges.
    mentor_term = np.where(capacity > 0, big + distance[m : m + n], -np.inf)
    finite_terms = np.abs(mentor_term[np.isfinite(mentor_term)])
    largest = float(finite_terms.max(initial=0.0))
    # float32 rounds each of the two operations by at most 2**-24 of its result.
    margin = 2.0**-22 * (MAX_SCORE + 2 * largest) + slack
    mentor_term32 = mentor_term.astype(np.float32)
    rows_out, cols_out = [], []
    for start in range(0, m, ROW_CHUNK):
        rows = np.arange(start, min(start + ROW_CHUNK, m))
        matched = np.flatnonzero(assignment[rows] >= 0)
        rough = scores[rows] + mentor_term32[None, :]
        rough[matched, assignment[rows[matched]]] = -np.inf
        doubtful = np.flatnonzero(
            rough.max(axis=1, initial=-np.inf) > mentee_distance[rows] - margin
        )
        if len(doubtful) == 0:
            continue
        rows = rows[doubtful]
        excess = scores[rows].astype(np.float64)
        excess += mentor_term[None, :]
        excess -= mentee_distance[rows, None]
        matched = np.flatnonzero(assignment[rows] >= 0)
        # A matched pair has no forward residual edge: it cannot break anything.
        excess[matched, assignment[rows[matched]]] = -np.inf
        take = min(ADDED_PER_ROUND, n)
        best = np.argpartition(excess, n - take, axis=1)[:, n - take :]
        keep = np.take_along_axis(excess, best, axis=1) > slack
        rows_out.append(rows[np.nonzero(keep)[0]])
        cols_out.append(best[keep])
    if not rows_out:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(rows_out), np.concatenate(cols_out)


def _solve_sparse(scores, capacity, rows=None, cols=None) -> np.ndarray | None:
    """Return the optimum found by candidates and certificate, or None to fall back."""
    m, n = scores.shape
    capacity = _usable_capacity(scores, capacity)
    if m == 0 or n == 0 or capacity.sum() == 0:
        return np.full(m, -1, dtype=np.int64)
    big = _big_weight(capacity)
    slack = _slack(big)
    if rows is None:
        rows, cols = _candidates(scores, capacity)
    assignment = _solve_candidates(scores, capacity, rows, cols)
    distance = None
    added = 0
    for _ in range(MAX_ROUNDS):
        if assignment is None:
            return None
        graph = _residual(scores, capacity, rows, cols, assignment, big)
        distance, cycle = _potentials(graph, slack, distance)
        # Each cycle cancelled costs a Bellman-Ford run: worth it for a few added pairs.
        cancels = 0 if added <= MAX_CANCELS else MAX_CANCELS
        while cycle is not None:
            # The pairs just added improve the assignment. Push flow around a few
            # negative cycles; if more remain, solving again is cheaper.
            if cancels is not None and cancels < MAX_CANCELS:
                assignment = _cancel(assignment, cycle, m, n)
                cancels += 1
            else:
                assignment = _solve_candidates(scores, capacity, rows, cols)
                if assignment is None:
                    return None
                cancels = None
            graph = _residual(scores, capacity, rows, cols, assignment, big)
            distance, cycle = _potentials(graph, slack)
            if cycle is not None and cancels is None:  # rounding trouble: go dense
                return None
        if distance is None:  # no settling and no cycle seen: let the dense method decide
            return None
        new_rows, new_cols = _wanting_pairs(scores, capacity, assignment, distance, big, slack)
        if len(new_rows) == 0:
            return assignment
        added = len(new_rows)
        rows, cols = _unique_pairs(
            np.concatenate([rows, new_rows]), np.concatenate([cols, new_cols]), n
        )
    return None
