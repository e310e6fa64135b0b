"""Scoring pairs from answers: each criterion, each hard rule, explanations, fair order.

Pure NumPy: no database. Scores are checked against values worked out by hand in the
comments, and the fast matrix code against a slow pair-by-pair reading of the rules.
"""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import scoring
from matching.scoring import (
    HOURS_PER_WEEK,
    Criterion,
    Pool,
    allowed,
    explain,
    explain_many,
    fair_rank,
    score_matrix,
    spread_factor,
    top_k_demand,
)

TOPICS = ("design", "finance", "leadership", "python")


def pool_of(criteria, mentees=1, mentors=1, **options) -> Pool:
    """Return a pool of distinct people, every mentor with one free place."""
    return Pool(
        mentee_ids=np.arange(mentees, dtype=np.int64),
        mentor_ids=np.arange(mentors, dtype=np.int64),
        mentee_people=np.arange(mentees, dtype=np.int64),
        mentor_people=np.arange(10_000, 10_000 + mentors, dtype=np.int64),
        mentor_free=options.pop("mentor_free", np.ones(mentors, dtype=np.int64)),
        criteria=criteria,
        **options,
    )


def topics(mentee_rows, mentor_rows, rule="prefer", weight=5, key="topics", **extra):
    return Criterion(
        key=key,
        kind="overlap",
        rule=rule,
        weight=weight,
        mentee=np.array(mentee_rows, dtype=bool).reshape(-1, len(TOPICS)),
        mentor=np.array(mentor_rows, dtype=bool).reshape(-1, len(TOPICS)),
        labels=TOPICS,
        **extra,
    )


def languages(mentee_rows, mentor_rows, rule="prefer", weight=3):
    return Criterion(
        key="languages",
        kind="overlap",
        rule=rule,
        weight=weight,
        mentee=np.array(mentee_rows, dtype=bool).reshape(-1, 3),
        mentor=np.array(mentor_rows, dtype=bool).reshape(-1, 3),
        labels=("en", "fr", "es"),
    )


def hours(*free_hours):
    week = np.zeros(HOURS_PER_WEEK, dtype=bool)
    week[list(free_hours)] = True
    return week


def availability(mentee_weeks, mentor_weeks, rule="prefer", weight=4):
    return Criterion(
        key="availability",
        kind="availability",
        rule=rule,
        weight=weight,
        mentee=np.array(mentee_weeks).reshape(-1, HOURS_PER_WEEK),
        mentor=np.array(mentor_weeks).reshape(-1, HOURS_PER_WEEK),
    )


def choice(mentee_codes, mentor_codes, rule="prefer", weight=2, key="question-7", **extra):
    return Criterion(
        key=key,
        kind="same",
        rule=rule,
        weight=weight,
        mentee=np.array(mentee_codes, dtype=np.int64),
        mentor=np.array(mentor_codes, dtype=np.int64),
        **extra,
    )


def scale(mentee_answers, mentor_answers, rule="prefer", weight=2, key="question-8"):
    return Criterion(
        key=key,
        kind="scale",
        rule=rule,
        weight=weight,
        mentee=np.array(mentee_answers, dtype=float),
        mentor=np.array(mentor_answers, dtype=float),
    )


def only_score(*criteria, **options) -> float:
    return float(score_matrix(pool_of(list(criteria), **options))[0, 0])


# --- Each criterion ----------------------------------------------------------------------


def test_it_scores_an_overlap_as_the_share_of_what_the_mentee_asked_for():
    # The mentee asks design, finance, leadership; the mentor offers finance, leadership,
    # python: 2 of the 3 asked for -> 100 x 2/3 = 66.67.
    score = only_score(topics([1, 1, 1, 0], [0, 1, 1, 1]))
    assert score == pytest.approx(200 / 3, abs=1e-4)


def test_it_gives_a_full_overlap_when_the_mentor_offers_more_than_asked():
    # Asked design only, offered everything: 1/1 -> 100.
    assert only_score(topics([1, 0, 0, 0], [1, 1, 1, 1])) == pytest.approx(100)


def test_it_leaves_an_overlap_out_when_the_mentee_asked_for_nothing():
    # Topics do not apply, the choice question agrees: 100 x (2 x 1) / 2 = 100.
    assert only_score(topics([0, 0, 0, 0], [1, 0, 0, 0]), choice([1], [1])) == pytest.approx(100)


def test_it_leaves_an_overlap_out_when_the_mentor_offered_nothing():
    # Only the choice question applies, and it disagrees: 0.
    assert only_score(topics([1, 0, 0, 0], [0, 0, 0, 0]), choice([1], [2])) == pytest.approx(0)


def test_it_scores_fifty_when_no_criterion_applies():
    assert only_score(topics([0, 0, 0, 0], [1, 0, 0, 0]), choice([-1], [2])) == pytest.approx(50)
    assert only_score() == pytest.approx(50)


@pytest.mark.parametrize(
    ("shared", "expected"),
    [
        # min(shared hours, 4) / 4
        (0, 0.0),
        (1, 25.0),
        (3, 75.0),
        (4, 100.0),
        (9, 100.0),
    ],
)
def test_it_scores_availability_up_to_four_shared_hours(shared, expected):
    mentee = hours(*range(10, 10 + shared), 100)
    mentor = hours(*range(10, 10 + shared), 120)
    assert only_score(availability([mentee], [mentor])) == pytest.approx(expected)


def test_it_scores_a_choice_by_whether_the_answers_are_the_same():
    assert only_score(choice([2], [2])) == pytest.approx(100)
    assert only_score(choice([2], [0])) == pytest.approx(0)


def test_it_treats_no_preference_as_not_applicable():
    # Mentee code -1 ("no preference"): the choice does not count; topics 1/2 -> 50.
    assert only_score(choice([-1], [0]), topics([1, 1, 0, 0], [1, 0, 0, 0])) == pytest.approx(50)


@pytest.mark.parametrize(
    ("mentee", "mentor", "expected"),
    [
        # 100 x (1 - |a - b| / 4)
        (3, 3, 100.0),
        (2, 3, 75.0),
        (1, 3, 50.0),
        (5, 2, 25.0),
        (1, 5, 0.0),
        (2.5, 3, 87.5),
    ],
)
def test_it_scores_a_scale_by_the_distance_between_answers(mentee, mentor, expected):
    assert only_score(scale([mentee], [mentor])) == pytest.approx(expected)


def test_it_leaves_out_an_unanswered_scale():
    # Scale unanswered by the mentor; the choice agrees: 100.
    assert only_score(scale([2], [np.nan]), choice([1], [1])) == pytest.approx(100)


def test_it_turns_satisfaction_around_for_a_different_rule():
    # "different": 1 - s. Same answer -> 0, other answer -> 100.
    assert only_score(choice([1], [1], rule="different")) == pytest.approx(0)
    assert only_score(choice([1], [0], rule="different")) == pytest.approx(100)
    # Scale 2 vs 3: s = 0.75, different -> 25.
    assert only_score(scale([2], [3], rule="different")) == pytest.approx(25)
    # Topics 1 of 2 asked: s = 0.5 -> 50; availability 1 hour: s = 0.25 -> 75.
    assert only_score(topics([1, 1, 0, 0], [1, 0, 0, 0], rule="different")) == pytest.approx(50)
    week = hours(7)
    assert only_score(availability([week], [week], rule="different")) == pytest.approx(75)


def test_it_weighs_the_criteria_that_apply():
    # topics w5 s=2/3, meeting format w2 s=1, pace w2 s=0.75, languages w3 s=1/1:
    # 100 x (5 x 2/3 + 2 + 1.5 + 3) / (5 + 2 + 2 + 3) = 100 x 9.8333 / 12 = 81.944
    score = only_score(
        topics([1, 1, 1, 0], [0, 1, 1, 1]),
        choice([0], [0]),
        scale([4], [5]),
        languages([1, 0, 0], [1, 1, 0]),
    )
    assert score == pytest.approx(100 * (5 * 2 / 3 + 2 + 1.5 + 3) / 12, abs=1e-4)


def test_it_returns_float32_scores_in_range():
    rng = np.random.default_rng(0)
    pool = random_pool(rng, 30, 12)
    scores = score_matrix(pool)
    assert scores.dtype == np.float32
    assert scores.shape == (30, 12)
    finite = scores[np.isfinite(scores)]
    assert ((finite >= 0) & (finite <= 100)).all()
    assert (scores[~np.isfinite(scores)] == -np.inf).all()


# --- Hard rules ----------------------------------------------------------------------------


def test_it_removes_a_pair_that_is_one_person():
    pool = pool_of([], mentees=2, mentors=2)
    pool.mentor_people = np.array([7, 1])  # mentor 1 is mentee 1
    scores = score_matrix(pool)
    assert scores[1, 1] == -np.inf
    assert np.isfinite(scores[[0, 0, 1], [0, 1, 0]]).all()
    assert not allowed(pool)[1, 1]


def test_it_removes_every_pair_of_a_full_mentor():
    pool = pool_of([], mentees=3, mentors=2, mentor_free=np.array([0, 2]))
    assert (score_matrix(pool)[:, 0] == -np.inf).all()
    assert allowed(pool)[:, 1].all()


def test_it_removes_a_forbidden_pair():
    pool = pool_of([], mentees=2, mentors=2, forbidden=np.array([[0, 1]]))
    assert allowed(pool).tolist() == [[True, False], [True, True]]
    assert score_matrix(pool)[0, 1] == -np.inf


def test_it_removes_a_same_team_pair_when_the_program_avoids_it():
    team_options = {"mentee_team": np.array([3, -1]), "mentor_team": np.array([3, -1])}
    avoided = pool_of([], mentees=2, mentors=2, avoid_same_team=True, **team_options)
    # Unknown teams (-1) never count as the same team.
    assert allowed(avoided).tolist() == [[False, True], [True, True]]
    assert allowed(pool_of([], mentees=2, mentors=2, **team_options)).all()


def test_it_removes_a_same_team_pair_with_many_teams():
    # Past 256 teams the rule is checked element by element instead of one-hot.
    teams = np.arange(300)
    pool = pool_of(
        [], mentees=300, mentors=300, avoid_same_team=True, mentee_team=teams, mentor_team=teams
    )
    assert (allowed(pool) == ~np.eye(300, dtype=bool)).all()


def test_it_removes_a_pair_with_no_common_language():
    # Languages are a hard rule even when the coordinator only "prefers" them.
    pool = pool_of([languages([[1, 0, 0]], [[0, 1, 1], [1, 1, 0]], rule="prefer")], mentors=2)
    assert allowed(pool).tolist() == [[False, True]]
    assert score_matrix(pool)[0, 0] == -np.inf


def test_it_keeps_a_pair_when_one_side_gave_no_language():
    pool = pool_of([languages([[0, 0, 0]], [[0, 1, 1]])])
    assert allowed(pool).all()
    assert score_matrix(pool)[0, 0] == pytest.approx(50)


def test_it_removes_a_pair_that_shares_nothing_on_a_must_overlap():
    pool = pool_of([topics([1, 1, 0, 0], [[0, 0, 1, 1], [0, 1, 0, 0]], rule="must")], mentors=2)
    assert allowed(pool).tolist() == [[False, True]]


def test_it_keeps_a_pair_that_shares_nothing_on_a_preferred_overlap():
    pool = pool_of([topics([1, 1, 0, 0], [0, 0, 1, 1])])
    assert score_matrix(pool)[0, 0] == pytest.approx(0)


def test_it_removes_a_pair_with_no_shared_hour_on_must_availability():
    mentors = [hours(30), hours(31, 40), hours()]
    pool = pool_of([availability([hours(31)], mentors, rule="must")], mentors=3)
    # No shared hour: removed; mentor without an answer: the rule does not apply.
    assert allowed(pool).tolist() == [[False, True, True]]


def test_it_removes_a_pair_with_another_answer_on_a_must_choice():
    pool = pool_of([choice([1, -1], [1, 2, -1], rule="must")], mentees=2, mentors=3)
    # Mentee 1 has no preference; mentor 2 gave no answer.
    assert allowed(pool).tolist() == [[True, False, True], [True, True, True]]


def test_it_removes_a_pair_more_than_one_step_apart_on_a_must_scale():
    pool = pool_of([scale([3], [4, 5, 1.5, np.nan], rule="must")], mentors=4)
    assert allowed(pool).tolist() == [[True, False, False, True]]


def test_it_applies_must_rules_on_answers_with_many_distinct_values():
    # Past 64 distinct answers a choice is checked element by element: same results.
    codes = np.arange(80)
    pool = pool_of([choice(codes, codes, rule="must")], mentees=80, mentors=80)
    assert (allowed(pool) == np.eye(80, dtype=bool)).all()
    assert (score_matrix(pool)[np.eye(80, dtype=bool)] == 100).all()


def test_it_scores_an_empty_pool():
    assert score_matrix(pool_of([], mentees=0, mentors=3)).shape == (0, 3)
    assert score_matrix(pool_of([], mentees=2, mentors=0)).shape == (2, 0)
    assert allowed(pool_of([], mentees=0, mentors=0)).shape == (0, 0)


# --- The fast code against the rules read pair by pair ----------------------------------


def random_pool(rng, mentees, mentors, *, rule=None, many_answers=False) -> Pool:
    """Return a pool with every kind of criterion, some answers missing."""

    def chosen_rule(default):
        return rule or default

    def bools(people, columns, density):
        answers = rng.random((people, columns)) < density
        answers[rng.random(people) < 0.15] = False
        return answers

    def codes(people, options):
        answer = rng.integers(0, options, people)
        answer[rng.random(people) < 0.2] = -1
        return answer

    def points(people):
        answer = rng.integers(1, 6, people).astype(float)
        if many_answers:
            answer = rng.random(people) * 4 + 1
        answer[rng.random(people) < 0.2] = np.nan
        return answer

    options = 90 if many_answers else 3
    criteria = [
        Criterion("topics", "overlap", chosen_rule("prefer"), 5, bools(mentees, 6, 0.4),
                  bools(mentors, 6, 0.5), labels=tuple("abcdef")),
        Criterion("languages", "overlap", chosen_rule("must"), 3, bools(mentees, 3, 0.6),
                  bools(mentors, 3, 0.6)),
        Criterion("availability", "availability", chosen_rule("prefer"), 4,
                  bools(mentees, HOURS_PER_WEEK, 0.05), bools(mentors, HOURS_PER_WEEK, 0.05)),
        Criterion("question-1", "same", chosen_rule("prefer"), 2, codes(mentees, options),
                  codes(mentors, options)),
        Criterion("question-2", "same", chosen_rule("must"), 1, codes(mentees, 2),
                  codes(mentors, 2), sensitive=True),
        Criterion("question-3", "scale", chosen_rule("prefer"), 2, points(mentees),
                  points(mentors)),
    ]  # fmt: skip
    return Pool(
        mentee_ids=np.arange(mentees),
        mentor_ids=np.arange(mentors),
        mentee_people=rng.integers(0, mentees + mentors, mentees),
        mentor_people=rng.integers(0, mentees + mentors, mentors),
        mentor_free=rng.integers(0, 3, mentors),
        criteria=criteria,
        forbidden=np.stack([rng.integers(0, mentees, 5), rng.integers(0, mentors, 5)], axis=1),
        mentee_team=rng.integers(-1, 4, mentees),
        mentor_team=rng.integers(-1, 4, mentors),
        avoid_same_team=True,
    )


def allowed_pair_by_pair(pool: Pool, i: int, j: int) -> bool:
    """Read the hard rules for one pair, the slow obvious way."""
    if pool.mentee_people[i] == pool.mentor_people[j] or pool.mentor_free[j] <= 0:
        return False
    if any(tuple(pair) == (i, j) for pair in pool.forbidden.tolist()):
        return False
    if (
        pool.avoid_same_team
        and pool.mentee_team[i] >= 0
        and (pool.mentee_team[i] == pool.mentor_team[j])
    ):
        return False
    for criterion in pool.criteria:
        if criterion.rule != "must" and criterion.key != "languages":
            continue
        mentee, mentor = criterion.mentee[i], criterion.mentor[j]
        if criterion.kind in ("overlap", "availability"):
            if mentee.any() and mentor.any() and not (mentee & mentor).any():
                return False
        elif criterion.kind == "same":
            if mentee >= 0 and mentor >= 0 and mentee != mentor:
                return False
        elif not np.isnan(mentee) and not np.isnan(mentor) and abs(mentee - mentor) > 1:
            return False
    return True


@pytest.mark.parametrize("rule", [None, "different", "must"])
@pytest.mark.parametrize("many_answers", [False, True])
def test_it_agrees_with_the_rules_read_pair_by_pair(rule, many_answers):
    rng = np.random.default_rng(7)
    pool = random_pool(rng, 40, 17, rule=rule, many_answers=many_answers)
    scores = score_matrix(pool)
    kept = allowed(pool)
    for i in range(40):
        for j in range(17):
            assert kept[i, j] == allowed_pair_by_pair(pool, i, j), (i, j)
            if kept[i, j]:
                points = sum(part.points for part in explain(pool, i, j))
                expected = points if explain(pool, i, j) else 50.0
                assert scores[i, j] == pytest.approx(expected, abs=1e-3), (i, j)
            else:
                assert scores[i, j] == -np.inf


# --- Explanations --------------------------------------------------------------------------


def test_it_explains_each_criterion_with_points_that_sum_to_the_score():
    pool = pool_of(
        [
            topics([1, 1, 1, 0], [0, 1, 1, 1]),
            choice([0], [0]),
            scale([4], [5]),
            languages([1, 1, 0], [1, 1, 1]),
        ]
    )
    contributions = explain(pool, 0, 0)
    # Weights 5 + 2 + 2 + 3 = 12: topics 100 x 5 x 2/3 / 12 = 27.78 of 41.67 possible.
    topics_part = contributions[0]
    assert topics_part.key == "topics"
    assert topics_part.points == pytest.approx(100 * 5 * (2 / 3) / 12)
    assert topics_part.max_points == pytest.approx(100 * 5 / 12)
    assert topics_part.shared == ("finance", "leadership")
    assert contributions[1].same is True
    # Scale 4 vs 5: within one step, so "the same"; 0.75 of 16.67.
    assert contributions[2].same is True
    assert contributions[2].points == pytest.approx(100 * 2 * 0.75 / 12)
    assert contributions[3].shared == ("en", "fr")
    assert sum(part.points for part in contributions) == pytest.approx(
        float(score_matrix(pool)[0, 0]), abs=1e-4
    )
    assert sum(part.max_points for part in contributions) == pytest.approx(100)


def test_it_explains_shared_hours_in_utc():
    pool = pool_of([availability([hours(5, 6, 30)], [hours(6, 30, 31)])])
    (part,) = explain(pool, 0, 0)
    assert part.hours == (6, 30)
    assert part.points == pytest.approx(50)  # 2 hours of 4, the only criterion


def test_it_lists_only_the_criteria_that_apply():
    pool = pool_of([topics([0, 0, 0, 0], [1, 0, 0, 0]), choice([1], [0]), scale([2], [np.nan])])
    (part,) = explain(pool, 0, 0)
    assert part.key == "question-7"
    assert part.same is False
    assert part.points == 0


def test_it_explains_nothing_when_no_criterion_applies():
    assert explain(pool_of([choice([-1], [0])]), 0, 0) == []


def test_it_hides_the_answers_of_a_sensitive_criterion():
    pool = pool_of(
        [
            choice([1], [1], key="question-9", sensitive=True),
            topics([1, 0, 0, 0], [1, 0, 0, 0], key="question-10", sensitive=True),
        ]
    )
    contributions = explain(pool, 0, 0)
    assert [part.sensitive for part in contributions] == [True, True]
    assert [part.same for part in contributions] == [None, None]
    assert [part.shared for part in contributions] == [(), ()]
    # The points still count, for the total.
    assert sum(part.points for part in contributions) == pytest.approx(100)


def test_it_explains_many_pairs():
    pool = pool_of([choice([1, 2], [1, 2], weight=1)], mentees=2, mentors=2)
    many = explain_many(pool, [(0, 0), (1, 0)])
    assert [[part.points for part in parts] for parts in many] == [[100.0], [0.0]]


@settings(max_examples=40, deadline=None, database=None)
@given(seed=st.integers(0, 2**32 - 1), mentees=st.integers(1, 6), mentors=st.integers(1, 6))
def test_explaining_one_row_or_column_at_once_gives_what_each_pair_gives(seed, mentees, mentors):
    rng = np.random.default_rng(seed)
    pool = random_pool(rng, mentees, mentors, rule=rng.choice([None, "different"]))
    for pairs in (
        [(0, j) for j in range(mentors)],  # a mentee's suggestions
        [(i, mentors - 1) for i in range(mentees)],  # a mentor's suggestions
        [(i, j) for i in range(mentees) for j in range(mentors)][:5],  # anything else
    ):
        together = explain_many(pool, pairs)
        alone = [explain(pool, i, j) for i, j in pairs]
        assert [[(p.key, p.shared, p.hours, p.same) for p in parts] for parts in together] == [
            [(p.key, p.shared, p.hours, p.same) for p in parts] for parts in alone
        ]
        for parts, single in zip(together, alone, strict=True):
            assert [p.points for p in parts] == pytest.approx([p.points for p in single])


@settings(max_examples=60, deadline=None, database=None)
@given(seed=st.integers(0, 2**32 - 1), mentees=st.integers(1, 6), mentors=st.integers(1, 6))
def test_contributions_always_sum_to_the_score(seed, mentees, mentors):
    rng = np.random.default_rng(seed)
    pool = random_pool(rng, mentees, mentors, rule=rng.choice([None, "different"]))
    pool = dataclasses.replace(pool, mentor_free=np.ones(mentors, dtype=np.int64))
    scores = score_matrix(pool)
    for i in range(mentees):
        for j in range(mentors):
            if not np.isfinite(scores[i, j]):
                continue
            contributions = explain(pool, i, j)
            total = sum(part.points for part in contributions) if contributions else 50.0
            assert total == pytest.approx(float(scores[i, j]), abs=1e-3)
            for part in contributions:
                assert -1e-9 <= part.points <= part.max_points + 1e-9
                if part.sensitive:
                    assert (part.shared, part.hours, part.same) == ((), (), None)


# --- Fair order ------------------------------------------------------------------------------


def test_it_counts_how_many_mentees_have_a_mentor_among_their_best():
    scores = np.array(
        [
            [90, 80, 10, -np.inf],
            [95, 20, 30, 40],
            [-np.inf, -np.inf, -np.inf, 50],
        ],
        dtype=np.float32,
    )
    # k=2: mentee 0 -> mentors 0, 1; mentee 1 -> 0, 3; mentee 2 -> 3 only (one allowed).
    assert top_k_demand(scores, k=2).tolist() == [2, 1, 0, 2]
    assert top_k_demand(scores, k=9).tolist() == [2, 2, 2, 2]
    assert top_k_demand(np.empty((0, 3), np.float32)).tolist() == [0, 0, 0]


def test_it_spreads_a_popular_mentor_by_free_places_over_demand_never_below_three_quarters():
    factor = spread_factor(free=np.array([1, 4, 3, 1, 0]), demand=np.array([1, 5, 1, 10, 0.4]))
    # 1/1, 4/5, 3/3 (more places than people asking), 1/10 -> floored at 3/4, and a full
    # mentor someone may ask -> floored too (a full mentor is never suggested anyway).
    assert factor == pytest.approx([1, 0.8, 1, 0.75, 0.75])


def test_it_moves_a_popular_mentor_with_one_place_down_a_mentees_list():
    scores_row = np.array([90, 80, 70, -np.inf], dtype=np.float32)
    free = np.array([1, 2, 2, 2])
    demand = np.array([6, 1, 2, 0])
    # Adjusted: 90 x 3/4 = 67.5, 80 x 1, 70 x 1 -> mentors 1, 2, 0; mentor 3 not allowed.
    assert fair_rank(scores_row, free, demand).tolist() == [1, 2, 0]


def test_it_ranks_by_score_alone_for_a_mentor():
    scores_column = np.array([30, -np.inf, 60, 45], dtype=np.float32)
    assert fair_rank(scores_column).tolist() == [2, 3, 0]
    assert fair_rank(scores_column, None, None).tolist() == [2, 3, 0]


def test_it_breaks_ties_by_raw_score_then_index():
    scores_row = np.array([50, 100, 50, 100], dtype=np.float32)
    free = np.array([1, 1, 1, 1])
    demand = np.array([1, 2, 1, 1])
    # Adjusted 50, 75, 50, 100: mentor 3 first, then mentor 1, then the tie 0, 2 by index.
    assert fair_rank(scores_row, free, demand).tolist() == [3, 1, 0, 2]


def test_it_asks_for_demand_with_free_places():
    with pytest.raises(ValueError):
        fair_rank(np.zeros(2, np.float32), np.ones(2, int))


def test_it_refuses_an_unknown_kind_or_rule():
    with pytest.raises(ValueError):
        Criterion("x", "ranking", "prefer", 1, np.zeros(1), np.zeros(1))
    with pytest.raises(ValueError):
        Criterion("x", "same", "avoid", 1, np.zeros(1), np.zeros(1))


def test_module_constants_match_the_interface():
    assert scoring.HOURS_PER_WEEK == 168
    assert scoring.ENOUGH_OVERLAP_HOURS == 4
