"""Assigning mentees to mentors: validity, the exact optimum, greedy, quality figures.

Pure NumPy: no database. The optimum is checked against every feasible assignment of
small pools, and the sparse method against the dense Hungarian method on larger ones.
"""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.assignment import check, evaluate, greedy, solve
from matching.assignment import exact as solver

NO = -np.inf


def matrix(rows) -> np.ndarray:
    return np.array(rows, dtype=np.float32)


def brute_force_optimum(scores, capacity) -> tuple[int, float]:
    """Return the best (matched, total) over every feasible assignment."""
    m, n = scores.shape
    best = (0, 0.0)
    options = [
        [-1] + [j for j in range(n) if np.isfinite(scores[i, j]) and capacity[j] > 0]
        for i in range(m)
    ]
    for choice in itertools.product(*options):
        chosen = [j for j in choice if j >= 0]
        if any(chosen.count(j) > capacity[j] for j in set(chosen)):
            continue
        total = float(sum(float(scores[i, j]) for i, j in enumerate(choice) if j >= 0))
        if (len(chosen), total) > (best[0], best[1] + 1e-9):
            best = (len(chosen), total)
    return best


def matched_and_total(scores, capacity, result) -> tuple[int, float]:
    figures = evaluate(scores, capacity, result)
    return figures["matched"], figures["total_score"]


small_pools = st.integers(0, 6).flatmap(
    lambda m: st.integers(0, 4).flatmap(
        lambda n: st.tuples(
            st.lists(
                st.lists(
                    st.one_of(
                        st.just(NO),
                        st.sampled_from([0.0, 25.0, 50.0, 75.0, 100.0]),
                        st.floats(0, 100, width=32),
                    ),
                    min_size=n,
                    max_size=n,
                ),
                min_size=m,
                max_size=m,
            ),
            st.lists(st.integers(0, 2), min_size=n, max_size=n),
        )
    )
)


def arrays(pool) -> tuple[np.ndarray, np.ndarray]:
    rows, capacity = pool
    scores = np.array(rows, dtype=np.float32).reshape(len(rows), len(capacity))
    return scores, np.array(capacity, dtype=np.int64)


# --- check -------------------------------------------------------------------------------


def test_it_accepts_a_valid_assignment():
    check(matrix([[10, NO], [NO, 20]]), np.array([1, 1]), np.array([0, 1]))
    check(matrix([[10, NO], [NO, 20]]), np.array([1, 1]), np.array([-1, -1]))


def test_it_refuses_an_assignment_that_uses_a_forbidden_pair():
    with pytest.raises(ValueError, match="not allowed"):
        check(matrix([[10, NO]]), np.array([1, 1]), np.array([1]))


def test_it_refuses_an_assignment_that_breaks_a_capacity():
    with pytest.raises(ValueError, match="capacity"):
        check(matrix([[10], [20]]), np.array([1]), np.array([0, 0]))
    with pytest.raises(ValueError, match="capacity"):
        check(matrix([[10]]), np.array([-1]), np.array([0]))


@pytest.mark.parametrize(
    ("scores", "capacity", "result"),
    [
        (matrix([[1, 2]]), np.array([1, 1]), np.array([0, 1])),  # too many entries
        (matrix([[1, 2]]), np.array([1]), np.array([0])),  # capacity of the wrong size
        (matrix([[1, 2]]), np.array([1, 1]), np.array([2])),  # no such mentor
        (matrix([[1, 2]]), np.array([1, 1]), np.array([-2])),
        (matrix([[1, 2]]), np.array([1, 1]), np.array([0.0])),  # not integers
        (matrix([1, 2]), np.array([1, 1]), np.array([0])),  # scores not a matrix
        (matrix([[np.nan, 2]]), np.array([1, 1]), np.array([1])),
        (matrix([[np.inf, 2]]), np.array([1, 1]), np.array([1])),
        (matrix([[1, 2]]), np.array([1.0, 1.0]), np.array([1])),
    ],
)
def test_it_refuses_bad_shapes_and_values(scores, capacity, result):
    with pytest.raises(ValueError):
        check(scores, capacity, result)


# --- greedy ------------------------------------------------------------------------------


def test_greedy_takes_the_best_pairs_first():
    scores = matrix([[90, 80], [85, NO]])
    # 90 first (mentee 0 -> mentor 0); mentee 1 could only have had mentor 0.
    assert greedy(scores, np.array([1, 1])).tolist() == [0, -1]


def test_greedy_breaks_ties_by_mentee_then_mentor():
    scores = matrix([[50, 50], [50, 50]])
    assert greedy(scores, np.array([1, 1])).tolist() == [0, 1]
    assert greedy(scores, np.array([0, 2])).tolist() == [1, 1]


def test_greedy_follows_the_plain_sorted_definition_on_big_tied_pools():
    # Few distinct scores and more pairs than one round takes: rounds must not change it.
    rng = np.random.default_rng(3)
    scores = (rng.integers(0, 4, (120, 40)) * 25).astype(np.float32)
    scores[rng.random(scores.shape) < 0.3] = NO
    capacity = rng.integers(0, 3, 40)
    expected = np.full(120, -1)
    room = capacity.copy()
    pairs = [(-scores[i, j], i, j) for i in range(120) for j in range(40) if scores[i, j] > NO]
    for _, i, j in sorted(pairs):
        if expected[i] < 0 and room[j] > 0:
            expected[i], room[j] = j, room[j] - 1
    assert greedy(scores, capacity).tolist() == expected.tolist()


# --- solve -------------------------------------------------------------------------------


def test_it_finds_the_assignment_greedy_misses():
    scores = matrix([[90, 80], [85, NO]])
    # Greedy: 90 alone. Optimum: 80 + 85 = 165 with both matched.
    result = solve(scores, np.array([1, 1]))
    assert result.tolist() == [1, 0]
    assert matched_and_total(scores, np.array([1, 1]), result) == (2, 165.0)


def test_it_matches_more_mentees_before_a_higher_total():
    scores = matrix([[100, 0], [1, NO]])
    # One match scoring 100 loses to two matches scoring 0 + 1.
    assert solve(scores, np.array([1, 1])).tolist() == [1, 0]


def test_it_fills_a_mentor_up_to_their_capacity():
    scores = matrix([[70, 60], [80, 10], [90, 20]])
    # Mentor 0 takes two (80, 90), mentor 1 the other (60): 230.
    result = solve(scores, np.array([2, 1]))
    assert result.tolist() == [1, 0, 0]


def test_it_leaves_mentees_unmatched_when_no_pair_is_allowed():
    scores = matrix([[NO, NO], [NO, 40]])
    assert solve(scores, np.array([3, 0])).tolist() == [-1, -1]
    assert solve(scores, np.array([3, 1])).tolist() == [-1, 1]


@pytest.mark.parametrize(("m", "n"), [(0, 0), (0, 3), (3, 0)])
def test_it_solves_an_empty_pool(m, n):
    result = solve(np.zeros((m, n), np.float32), np.ones(n, np.int64))
    assert result.dtype == np.int64
    assert result.tolist() == [-1] * m


def test_it_treats_a_negative_capacity_as_none():
    assert solve(matrix([[50]]), np.array([-2])).tolist() == [-1]


@settings(max_examples=60, deadline=None, database=None)
@given(small_pools)
def test_it_reaches_the_optimum_found_by_trying_every_assignment(pool):
    scores, capacity = arrays(pool)
    expected = brute_force_optimum(scores, capacity)
    poor_candidates = solver._best_per_row(scores, 1)
    for result in (
        solve(scores, capacity),
        solver._solve_dense(scores, capacity),
        # The certificate loop alone, from each mentee's single best mentor.
        solver._solve_sparse(scores, capacity, *poor_candidates),
    ):
        check(scores, capacity, result)
        matched, total = matched_and_total(scores, capacity, result)
        assert matched == expected[0]
        assert total == pytest.approx(expected[1], abs=1e-6)


@settings(max_examples=60, deadline=None, database=None)
@given(small_pools)
def test_it_never_breaks_a_rule_and_never_does_worse_than_greedy(pool):
    scores, capacity = arrays(pool)
    result = solve(scores, capacity)
    check(scores, capacity, result)
    assert result.dtype == np.int64
    ours = matched_and_total(scores, capacity, result)
    theirs = matched_and_total(scores, capacity, greedy(scores, capacity))
    assert ours[0] >= theirs[0]
    if ours[0] == theirs[0]:
        assert ours[1] >= theirs[1] - 1e-6
    assert solve(scores, capacity).tolist() == result.tolist()


@pytest.mark.parametrize("seed", range(6))
def test_the_certificate_loop_reaches_the_optimum_from_poor_candidates(seed, monkeypatch):
    # Start from each mentee's single best mentor: the loop must add pairs, cancel
    # negative cycles or solve again, and still end at the dense method's optimum.
    monkeypatch.setattr(solver, "MAX_CANCELS", seed % 3 * 4)
    rng = np.random.default_rng(seed)
    m, n = 40, 15
    popularity = rng.random(n) * 40
    scores = np.clip(rng.random((m, n)) * 60 + popularity, 0, 100).astype(np.float32)
    if seed % 2:
        scores = np.round(scores / 10) * 10  # many ties
    scores[rng.random((m, n)) < 0.25] = NO
    capacity = rng.integers(1, 3, n)
    rows, cols = solver._best_per_row(scores, 1)
    sparse = solver._solve_sparse(scores, capacity, rows, cols)
    assert sparse is not None
    check(scores, capacity, sparse)
    dense = solver._solve_dense(scores, capacity)
    ours = matched_and_total(scores, capacity, sparse)
    exact = matched_and_total(scores, capacity, dense)
    assert ours[0] == exact[0]
    assert ours[1] == pytest.approx(exact[1], abs=1e-4)


@pytest.mark.parametrize(("m", "n"), [(300, 120), (120, 200)])
def test_it_agrees_with_the_dense_method_on_a_larger_pool(m, n):
    rng = np.random.default_rng(m)
    popularity = rng.random(n) * 50
    scores = np.clip(rng.random((m, n)) * 50 + popularity, 0, 100).astype(np.float32)
    scores[rng.random((m, n)) < 0.3] = NO
    capacity = rng.integers(1, 4, n)
    ours = matched_and_total(scores, capacity, solve(scores, capacity))
    exact = matched_and_total(scores, capacity, solver._solve_dense(scores, capacity))
    assert ours[0] == exact[0]
    assert ours[1] == pytest.approx(exact[1], abs=1e-4)


def test_it_falls_back_to_the_dense_method_when_the_sparse_one_gives_up(monkeypatch):
    monkeypatch.setattr(solver, "_solve_sparse", lambda scores, capacity: None)
    assert solve(matrix([[90, 80], [85, NO]]), np.array([1, 1])).tolist() == [1, 0]


# --- evaluate ------------------------------------------------------------------------------


def test_it_reports_the_quality_of_an_assignment():
    scores = matrix([[90, 10], [60, 70], [NO, 20], [30, NO]])
    capacity = np.array([1, 2])
    figures = evaluate(scores, capacity, np.array([0, 1, 1, -1]))
    assert figures["matched"] == 3
    assert figures["total_score"] == pytest.approx(180)
    # Matched scores 20, 70, 90: 10th percentile by linear interpolation = 20 + 0.2 x 50.
    assert figures["p10_score"] == pytest.approx(30)
    assert figures["worst_score"] == pytest.approx(20)
    # Mentee 3 (unmatched) would take mentor 0 at 30, but mentor 0 is full with a 90.
    # Mentees 0, 1 and 2 have their best allowed mentor already: no blocking pair.
    assert figures["blocking_pair_share"] == 0.0


def test_it_counts_mentees_in_a_blocking_pair():
    scores = matrix([[90, 10], [60, 70], [NO, 20], [30, NO]])
    capacity = np.array([1, 2])
    # Mentor 0 holds mentee 3 (30) while mentee 0 has 10 with mentor 1 and 90 with mentor
    # 0: (0, 0) blocks. Mentee 2 is unmatched and mentor 1's worst mentee scores 10 there,
    # less than mentee 2's 20: (2, 1) blocks. Mentees 1 and 3 are in no blocking pair.
    figures = evaluate(scores, capacity, np.array([1, 1, -1, 0]))
    assert figures["blocking_pair_share"] == pytest.approx(2 / 4)


def test_it_reports_no_scores_when_nobody_is_matched():
    figures = evaluate(matrix([[NO]]), np.array([1]), np.array([-1]))
    assert figures == {
        "matched": 0,
        "total_score": 0.0,
        "p10_score": None,
        "worst_score": None,
        "blocking_pair_share": 0.0,
    }
    nobody = evaluate(np.zeros((0, 2), np.float32), np.array([1, 1]), np.zeros(0, np.int64))
    assert nobody["blocking_pair_share"] == 0.0


def test_it_checks_the_assignment_it_evaluates():
    with pytest.raises(ValueError):
        evaluate(matrix([[NO]]), np.array([1]), np.array([0]))


def test_it_solves_a_pool_where_every_score_is_equal_without_the_dense_method(monkeypatch):
    # Nobody answered anything yet: every pair scores 50. The candidates must spread over
    # mentees instead of all mentors picking the first ones.
    def no_dense(scores, capacity):
        raise AssertionError("the sparse method gave up")

    monkeypatch.setattr(solver, "_solve_dense", no_dense)
    rng = np.random.default_rng(0)
    capacity = rng.integers(1, 4, 200)
    scores = np.full((1500, 200), 50, dtype=np.float32)
    result = solve(scores, capacity)
    check(scores, capacity, result)
    assert (result >= 0).sum() == capacity.sum()


def test_greedy_takes_a_large_tie_in_mentee_then_mentor_order():
    scores = np.full((300, 50), 50, dtype=np.float32)
    scores[:, 7] = 60
    capacity = np.full(50, 2)
    result = greedy(scores, capacity)
    # Mentees 0 and 1 take mentor 7 at 60; then mentor 0 takes 2 and 3, mentor 1 4 and 5...
    assert result[:2].tolist() == [7, 7]
    expected = [j for j in range(50) if j != 7 for _ in range(2)]
    assert result[2:100].tolist() == expected
    assert (result[100:] == -1).all()
