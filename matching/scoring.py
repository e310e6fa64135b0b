"""Score every mentee-mentor pair of a pool, explain one pair, and order suggestions fairly.

Pure NumPy: the services layer reads the questionnaire answers into a `Pool` of arrays
(one row per mentee, one per mentor) and this module does the arithmetic, whole
matrices at a time. Nothing here touches the database.

How a pair is judged:

- Hard rules remove the pair (its score is -inf), they never just lower it: the same
  person on both sides, a mentor with no free place, a pair forbidden by a conflict of
  interest or a past match, the same team when the program avoids it, and every "must"
  criterion not met. Languages are always a hard rule: a pair with no common language
  is removed whatever the coordinator chose.
- Every criterion that applies to the pair (both sides answered) gives a satisfaction
  between 0 and 1; the score is their weighted mean on a 0-100 scale, or 50 when no
  criterion applies.

Speed: a block of 256 mentees costs a few float32 matrix products (most criteria are
folded into one, see `_Plan`) and about ten element-wise passes; 5,000 x 2,000 pairs take
about 0.2 s on one core (benchmarks/matching.py). OpenBLAS's own threads gain a little on
an idle 2-CPU machine and lose several times over when the other CPU is busy, so
processes that score should run with OPENBLAS_NUM_THREADS=1.
"""

from dataclasses import dataclass, field

import numpy as np

HOURS_PER_WEEK = 168
ENOUGH_OVERLAP_HOURS = 4  # weekly overlap at which the availability criterion is fully met
NEUTRAL_SCORE = 50.0  # a pair about which no criterion says anything
SCALE_STEPS = 4  # a 1-5 answer scale: answers 4 steps apart share nothing
LANGUAGES = "languages"
MIN_SPREAD_FACTOR = 0.75
TOP_K_DEMAND = 5

KINDS = ("overlap", "availability", "same", "scale")
RULES = ("must", "prefer", "different")

# Rows of mentees scored at once: keeps the temporaries of a chunk (a few float32
# matrices of ROW_CHUNK x mentors) in the CPU caches and the peak memory at one
# score matrix plus a little.
ROW_CHUNK = 256


@dataclass(frozen=True)
class Criterion:
    """One question both sides answered, as arrays.

    `mentee` and `mentor` hold, by `kind`:

    - "overlap": bool (people, K), one column per topic / language / choice in `labels`;
    - "availability": bool (people, 168), UTC hour-of-week, Monday 00:00 UTC = 0;
    - "same": int (people,), a choice code, -1 for no answer or "no preference";
    - "scale": float (people,), the answer on a 1-5 scale, nan for no answer.
    """

    key: str
    kind: str
    rule: str
    weight: float
    mentee: np.ndarray
    mentor: np.ndarray
    labels: tuple = ()
    sensitive: bool = False

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown criterion kind {self.kind!r}.")
        if self.rule not in RULES:
            raise ValueError(f"Unknown criterion rule {self.rule!r}.")

    @property
    def is_hard(self) -> bool:
        """Return whether failing this criterion removes the pair."""
        return self.rule == "must" or self.key == LANGUAGES


@dataclass
class Pool:
    """The mentees and mentors of one matching round, with everything that judges a pair."""

    mentee_ids: np.ndarray
    mentor_ids: np.ndarray
    mentee_people: np.ndarray
    mentor_people: np.ndarray
    mentor_free: np.ndarray
    criteria: list
    forbidden: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))
    mentee_team: np.ndarray | None = None
    mentor_team: np.ndarray | None = None
    avoid_same_team: bool = False

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.mentee_ids), len(self.mentor_ids)


@dataclass(frozen=True)
class Contribution:
    """What one criterion gave one pair, in points of the pair's 0-100 score.

    For a sensitive criterion `shared`, `hours` and `same` stay empty: the page may show
    the points only folded together with other criteria, never on their own.
    """

    key: str
    kind: str
    rule: str
    weight: float
    points: float
    max_points: float
    shared: tuple = ()
    hours: tuple = ()
    same: bool | None = None
    sensitive: bool = False


# --- Pairs judged criterion by criterion ---------------------------------------------


@dataclass
class _Terms:
    """One criterion over a block of pairs (rows: mentees, columns: mentors)."""

    satisfaction: np.ndarray  # float32, 0 where the criterion does not apply
    applies: np.ndarray  # bool, or a broadcastable outer product of two masks
    met: np.ndarray | None  # bool, whether a hard criterion is met (None: always met)


def _terms(criterion: Criterion, rows, cols=slice(None)) -> _Terms:
    """Return the satisfaction of `criterion` for mentees `rows` against mentors `cols`."""
    mentee = np.asarray(criterion.mentee)[rows]
    mentor = np.asarray(criterion.mentor)[cols]
    if criterion.kind in ("overlap", "availability"):
        asked = mentee.astype(np.float32, copy=False)
        offered = mentor.astype(np.float32, copy=False)
        # An exact count: float32 holds integers up to 2**24 and K is far smaller.
        common = asked @ offered.T
        asked_count = asked.sum(axis=1)
        applies = (asked_count > 0)[:, None] & (offered.sum(axis=1) > 0)[None, :]
        met = common > 0
        if criterion.kind == "overlap":
            # The share of what the mentee asked for that the mentor offers.
            divisor = np.where(asked_count > 0, asked_count, 1).astype(np.float32)
            satisfaction = common
            satisfaction /= divisor[:, None]
        else:
            satisfaction = np.minimum(common, ENOUGH_OVERLAP_HOURS, out=common)
            satisfaction /= np.float32(ENOUGH_OVERLAP_HOURS)
    elif criterion.kind == "same":
        mentee = mentee.astype(np.int64, copy=False)
        mentor = mentor.astype(np.int64, copy=False)
        applies = (mentee >= 0)[:, None] & (mentor >= 0)[None, :]
        met = mentee[:, None] == mentor[None, :]
        satisfaction = met.astype(np.float32)
    else:  # scale
        mentee = mentee.astype(np.float32, copy=False)
        mentor = mentor.astype(np.float32, copy=False)
        applies = ~np.isnan(mentee)[:, None] & ~np.isnan(mentor)[None, :]
        # No answer becomes 0 here; `applies` keeps it out of the score.
        distance = np.abs(
            np.nan_to_num(mentee)[:, None] - np.nan_to_num(mentor)[None, :], dtype=np.float32
        )
        met = distance <= 1
        satisfaction = np.clip(1 - distance / SCALE_STEPS, 0, 1, out=distance)
    if criterion.rule == "different":
        satisfaction = np.subtract(1, satisfaction, out=satisfaction, dtype=np.float32)
    satisfaction *= applies
    return _Terms(
        satisfaction=satisfaction,
        applies=applies,
        met=(met | ~applies) if criterion.is_hard else None,
    )


@dataclass
class _Plan:
    """The pool's rules and criteria rewritten as matrix products, built once per scoring.

    Most satisfactions are bilinear in the two sides' answers: an overlap is
    (asked / |asked|) @ offered.T, a choice is one-hot @ one-hot.T, a scale answer is
    one-hot @ table @ one-hot.T. So the weighted sum of all of them is one matrix product
    `earned_left @ earned_right.T`, and the sum of the weights that apply is another. The
    count of broken choice, scale, team and full-mentor rules is a third. Only what is not
    bilinear (capping the hours in common, "nothing in common" for a hard overlap) is
    computed element by element, on one block of mentee rows at a time.
    """

    earned_left: np.ndarray  # (m, D) float32, the weights and the 0-100 scale folded in
    earned_right: np.ndarray  # (n, D)
    possible_left: np.ndarray  # (m, C)
    possible_right: np.ndarray  # (n, C)
    capped: list  # (left (m, H), right (n, H), cap, sign): earned += sign * clip(l @ r.T, 0, cap)
    shared: list  # (left, right): a hard overlap is met where left @ right.T >= 1
    breaks_left: np.ndarray  # (m, E): breaks_left @ breaks_right.T counts the other broken
    breaks_right: np.ndarray  # (n, E)  rules (choices, scales, same team, full mentor)
    elementwise: list  # criteria with too many distinct answers to rewrite
    team_codes: tuple | None  # too many teams for one-hot columns: compared element-wise


MAX_ONE_HOT = 64  # distinct answers beyond which a choice or scale is scored element-wise
MAX_TEAM_ONE_HOT = 256
# Added to the weights that apply (and 50 times it to the points earned) so that a pair
# to which nothing applies scores 50 without a division by zero; float32 absorbs it
# wherever a real weight applies.
EMPTY_WEIGHT = np.float32(1e-30)


def _answered(criterion: Criterion) -> tuple[np.ndarray, np.ndarray]:
    mentee, mentor = np.asarray(criterion.mentee), np.asarray(criterion.mentor)
    if criterion.kind in ("overlap", "availability"):
        return mentee.any(axis=1), mentor.any(axis=1)
    if criterion.kind == "same":
        return mentee >= 0, mentor >= 0
    return ~np.isnan(mentee.astype(float)), ~np.isnan(mentor.astype(float))


def _one_hot(mentee, mentor, answered_mentee, answered_mentor, limit: int):
    """Return one-hot rows over the distinct answers of both sides, and those answers.

    Return None when there are more than `limit` distinct answers.
    """
    values = np.unique(np.concatenate([mentee[answered_mentee], mentor[answered_mentor]]))
    if len(values) > limit:
        return None

    def encode(answers, answered):
        rows = np.zeros((len(answers), len(values)), dtype=np.float32)
        where = np.flatnonzero(answered)
        rows[where, np.searchsorted(values, answers[where])] = 1
        return rows

    return encode(mentee, answered_mentee), encode(mentor, answered_mentor), values


def _plan(pool: Pool) -> _Plan:
    m, n = pool.shape
    earned_left, earned_right = [], []
    possible_left, possible_right = [], []
    capped, shared, breaks_left, breaks_right, elementwise = [], [], [], [], []
    for criterion in pool.criteria:
        weight = np.float32(100 * criterion.weight)
        mentee_answered, mentor_answered = _answered(criterion)
        mentee_applies = mentee_answered.astype(np.float32)[:, None]
        mentor_applies = mentor_answered.astype(np.float32)[:, None]
        possible_left.append(np.float32(criterion.weight) * mentee_applies)
        possible_right.append(mentor_applies)
        mentee, mentor = np.asarray(criterion.mentee), np.asarray(criterion.mentor)
        encoded = None
        if criterion.kind in ("same", "scale"):
            if criterion.kind == "scale":
                mentee, mentor = mentee.astype(np.float32), mentor.astype(np.float32)
            encoded = _one_hot(mentee, mentor, mentee_answered, mentor_answered, MAX_ONE_HOT)
            if encoded is None:
                elementwise.append(criterion)
                continue
        sign = np.float32(1)
        if criterion.rule == "different":
            # w (1 - s) where the criterion applies = w x applies - w s
            earned_left.append(weight * mentee_applies)
            earned_right.append(mentor_applies)
            sign = np.float32(-1)
        if criterion.kind in ("overlap", "availability"):
            asked = mentee.astype(np.float32)
            offered = mentor.astype(np.float32)
            if criterion.kind == "overlap":
                asked_count = np.maximum(asked.sum(axis=1, keepdims=True), 1)
                earned_left.append(sign * weight * asked / asked_count)
                earned_right.append(offered)
            else:
                # w x min(hours, 4) / 4 = min((w / 4) x hours, w)
                capped.append((weight / ENOUGH_OVERLAP_HOURS * asked, offered, weight, sign))
            if criterion.is_hard:
                # common + (mentee did not answer) + (mentor did not answer) >= 1 when met
                shared.append(
                    (
                        np.hstack([asked, 1 - mentee_applies, np.ones((m, 1), np.float32)]),
                        np.hstack([offered, np.ones((n, 1), np.float32), 1 - mentor_applies]),
                    )
                )
            continue
        mentee_hot, mentor_hot, values = encoded
        if criterion.kind == "same":
            agree = np.eye(len(values), dtype=np.float32)
            close = agree
        else:
            distance = np.abs(values[:, None] - values[None, :])
            agree = np.clip(1 - distance / SCALE_STEPS, 0, 1).astype(np.float32)
            close = (distance <= 1).astype(np.float32)
        earned_left.append(sign * weight * (mentee_hot @ agree))
        earned_right.append(mentor_hot)
        if criterion.is_hard:
            # broken = applies - close, both 0 or 1
            breaks_left += [mentee_applies, -(mentee_hot @ close)]
            breaks_right += [mentor_applies, mentor_hot]
    # A pair to which nothing applies: (0 + 50 e) / (0 + e) = 50.
    earned_left.append(np.full((m, 1), NEUTRAL_SCORE * EMPTY_WEIGHT, dtype=np.float32))
    earned_right.append(np.ones((n, 1), dtype=np.float32))
    possible_left.append(np.full((m, 1), EMPTY_WEIGHT, dtype=np.float32))
    possible_right.append(np.ones((n, 1), dtype=np.float32))
    # A full mentor breaks a rule with everyone.
    breaks_left.append(np.ones((m, 1), dtype=np.float32))
    breaks_right.append((np.asarray(pool.mentor_free) <= 0).astype(np.float32)[:, None])

    team_codes = None
    if pool.avoid_same_team and pool.mentee_team is not None and pool.mentor_team is not None:
        mentee_team = np.asarray(pool.mentee_team, dtype=np.int64)
        mentor_team = np.asarray(pool.mentor_team, dtype=np.int64)
        encoded = _one_hot(
            mentee_team, mentor_team, mentee_team >= 0, mentor_team >= 0, MAX_TEAM_ONE_HOT
        )
        if encoded is None:
            # Unknown teams become -1 and -2, which never equal each other or a real team.
            team_codes = (
                np.where(mentee_team >= 0, mentee_team, -1),
                np.where(mentor_team >= 0, mentor_team, -2),
            )
        else:
            breaks_left.append(encoded[0])
            breaks_right.append(encoded[1])

    return _Plan(
        earned_left=np.hstack(earned_left),
        earned_right=np.hstack(earned_right),
        possible_left=np.hstack(possible_left),
        possible_right=np.hstack(possible_right),
        capped=capped,
        shared=shared,
        breaks_left=np.hstack(breaks_left),
        breaks_right=np.hstack(breaks_right),
        elementwise=elementwise,
        team_codes=team_codes,
    )


def _same_person_pairs(pool: Pool) -> np.ndarray:
    """Return the (mentee index, mentor index) pairs that are one person on both sides."""
    mentee_people = np.asarray(pool.mentee_people)
    mentor_people = np.asarray(pool.mentor_people)
    order = np.argsort(mentor_people, kind="stable")
    sorted_people = mentor_people[order]
    low = np.searchsorted(sorted_people, mentee_people, side="left")
    counts = np.searchsorted(sorted_people, mentee_people, side="right") - low
    mentees = np.repeat(np.arange(len(mentee_people)), counts)
    # Position of each pair inside its mentee's run of equal mentors, plus the run's start.
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    mentors = order[np.repeat(low, counts) + within]
    return np.stack([mentees, mentors], axis=1).astype(np.int64)


def _remove_sparse_pairs(pool: Pool, matrix: np.ndarray, value) -> None:
    """Set the forbidden and same-person pairs of `matrix` to `value`."""
    forbidden = np.asarray(pool.forbidden, dtype=np.int64).reshape(-1, 2)
    for pairs in (forbidden, _same_person_pairs(pool)):
        if len(pairs):
            matrix[pairs[:, 0], pairs[:, 1]] = value


def _row_chunks(count: int):
    for start in range(0, count, ROW_CHUNK):
        yield slice(start, min(start + ROW_CHUNK, count))


def _kept(plan: _Plan, rows: slice) -> np.ndarray:
    """Return float32 (rows, n): 1 where the dense hard rules keep the pair, 0 where not."""
    kept = None
    for left, right in plan.shared:
        common = left[rows] @ right.T
        np.clip(common, 0, 1, out=common)
        kept = common if kept is None else np.multiply(kept, common, out=kept)
    for criterion in plan.elementwise:
        if criterion.is_hard:
            met = _terms(criterion, rows).met
            kept = met.astype(np.float32) if kept is None else np.multiply(kept, met, out=kept)
    if plan.team_codes is not None:
        mentee_team, mentor_team = plan.team_codes
        other = mentee_team[rows, None] != mentor_team[None, :]
        kept = other.astype(np.float32) if kept is None else np.multiply(kept, other, out=kept)
    broken = plan.breaks_left[rows] @ plan.breaks_right.T
    if kept is None:
        kept = np.subtract(1, broken, out=broken)
    else:
        kept -= broken
    return np.clip(kept, 0, 1, out=kept)


def allowed(pool: Pool) -> np.ndarray:
    """Return a bool (mentees, mentors) matrix: True where every hard rule lets the pair be."""
    m, n = pool.shape
    plan = _plan(pool)
    result = np.empty((m, n), dtype=bool)
    for rows in _row_chunks(m):
        np.greater(_kept(plan, rows), 0.5, out=result[rows])
    _remove_sparse_pairs(pool, result, False)
    return result


def score_matrix(pool: Pool) -> np.ndarray:
    """Return float32 (mentees, mentors) scores in [0, 100], -inf where a hard rule forbids.

    Score = 100 x the weighted mean of the satisfactions of the criteria that apply to
    the pair; 50 when none applies.
    """
    m, n = pool.shape
    plan = _plan(pool)
    scores = np.empty((m, n), dtype=np.float32)
    for rows in _row_chunks(m):
        block = scores[rows]
        np.matmul(plan.earned_left[rows], plan.earned_right.T, out=block)
        for left, right, cap, sign in plan.capped:
            hours = left[rows] @ right.T
            np.clip(hours, 0, cap, out=hours)
            if sign > 0:
                block += hours
            else:
                block -= hours
        for criterion in plan.elementwise:
            block += np.float32(100 * criterion.weight) * _terms(criterion, rows).satisfaction
        block /= plan.possible_left[rows] @ plan.possible_right.T
        np.clip(block, 0, 100, out=block)
        # 1 - 1 / kept is 0 for a kept pair and -inf for a removed one: adding it is exact.
        penalty = _kept(plan, rows)
        with np.errstate(divide="ignore"):
            np.reciprocal(penalty, out=penalty)
        block += np.subtract(1, penalty, out=penalty)
    _remove_sparse_pairs(pool, scores, -np.inf)
    return scores


# --- One pair explained ----------------------------------------------------------------


def explain(pool: Pool, i: int, j: int) -> list[Contribution]:
    """Return what each criterion gave the pair (mentee `i`, mentor `j`), in criteria order.

    Only the criteria that apply to the pair (both sides answered) are listed; their
    points sum to the pair's score. An empty list means no criterion applies and the
    score is the neutral 50. Whether the pair is allowed at all is `allowed()`'s business.
    """
    rows, cols = slice(i, i + 1), slice(j, j + 1)
    applicable = []
    for criterion in pool.criteria:
        terms = _terms(criterion, rows, cols)
        if bool(np.broadcast_to(terms.applies, (1, 1))[0, 0]):
            applicable.append((criterion, float(terms.satisfaction[0, 0])))
    possible = sum(float(criterion.weight) for criterion, _ in applicable)
    if possible <= 0:  # only weightless criteria apply: the score is the neutral 50
        return []
    return [
        Contribution(
            key=criterion.key,
            kind=criterion.kind,
            rule=criterion.rule,
            weight=float(criterion.weight),
            points=100 * criterion.weight * satisfaction / possible,
            max_points=100 * criterion.weight / possible,
            sensitive=criterion.sensitive,
            **({} if criterion.sensitive else _details(criterion, i, j)),
        )
        for criterion, satisfaction in applicable
    ]


def explain_many(pool: Pool, pairs) -> list[list[Contribution]]:
    """Return `explain()` for each (mentee index, mentor index) pair: meant for the few shown.

    A suggestions page explains one mentee against several mentors (or one mentor against
    several mentees): those are computed in one pass per criterion, not one per pair.
    """
    pairs = [(int(i), int(j)) for i, j in pairs]
    if not pairs:
        return []
    rows = np.array([i for i, _ in pairs], dtype=np.int64)
    cols = np.array([j for _, j in pairs], dtype=np.int64)
    if (rows == rows[0]).all():
        take = (np.zeros(len(pairs), dtype=np.int64), np.arange(len(pairs)))
        rows = rows[:1]
    elif (cols == cols[0]).all():
        take = (np.arange(len(pairs)), np.zeros(len(pairs), dtype=np.int64))
        cols = cols[:1]
    else:
        return [explain(pool, i, j) for i, j in pairs]
    per_criterion = []
    for criterion in pool.criteria:
        terms = _terms(criterion, rows, cols)
        applies = np.broadcast_to(terms.applies, terms.satisfaction.shape)[take]
        per_criterion.append((criterion, applies, terms.satisfaction[take]))
    explained = []
    for index, (i, j) in enumerate(pairs):
        applicable = [
            (criterion, float(satisfaction[index]))
            for criterion, applies, satisfaction in per_criterion
            if applies[index]
        ]
        possible = sum(float(criterion.weight) for criterion, _ in applicable)
        if possible <= 0:
            explained.append([])
            continue
        explained.append(
            [
                Contribution(
                    key=criterion.key,
                    kind=criterion.kind,
                    rule=criterion.rule,
                    weight=float(criterion.weight),
                    points=100 * criterion.weight * satisfaction / possible,
                    max_points=100 * criterion.weight / possible,
                    sensitive=criterion.sensitive,
                    **({} if criterion.sensitive else _details(criterion, i, j)),
                )
                for criterion, satisfaction in applicable
            ]
        )
    return explained


def _details(criterion: Criterion, i: int, j: int) -> dict:
    """Return what the two answers have in common, for a criterion that is not sensitive."""
    mentee, mentor = criterion.mentee[i], criterion.mentor[j]
    if criterion.kind == "overlap":
        both = np.flatnonzero(np.asarray(mentee, dtype=bool) & np.asarray(mentor, dtype=bool))
        if criterion.labels:
            return {"shared": tuple(criterion.labels[k] for k in both)}
        return {"shared": tuple(int(k) for k in both)}
    if criterion.kind == "availability":
        both = np.flatnonzero(np.asarray(mentee, dtype=bool) & np.asarray(mentor, dtype=bool))
        return {"hours": tuple(int(hour) for hour in both)}
    if criterion.kind == "same":
        return {"same": bool(mentee == mentor)}
    return {"same": bool(abs(float(mentee) - float(mentor)) <= 1)}


# --- Fair order of suggestions ---------------------------------------------------------


def top_k_demand(scores: np.ndarray, k: int = TOP_K_DEMAND) -> np.ndarray:
    """Return, per mentor, how many mentees have them among their `k` best allowed scores.

    Ties at a mentee's k-th place are cut by argpartition, so a mentee counts for exactly
    min(k, allowed mentors) mentors.
    """
    m, n = scores.shape
    demand = np.zeros(n, dtype=np.int64)
    if m == 0 or n == 0 or k <= 0:
        return demand
    k = min(k, n)
    for rows in _row_chunks(m):
        block = scores[rows]
        best = np.argpartition(block, n - k, axis=1)[:, n - k :]
        counted = np.isfinite(np.take_along_axis(block, best, axis=1))
        demand += np.bincount(best[counted], minlength=n)
    return demand


def spread_factor(free, demand) -> np.ndarray:
    """Return the multiplier of each mentor's score in a mentee's suggestion list.

    In plain words: a mentor's place in your list is their score multiplied by their free
    places divided by the number of people already asking or likely to ask them, never
    less than three quarters of the score, and never more than the score itself. A small
    nudge is enough: a mentor everybody wants moves a few places down, never out of sight.

    `free` is the mentor's free places; `demand` the people asking or likely to ask (the
    suggestions page counts pending requests plus one fifth of each mentee who has the
    mentor among their five best scores). A mentor with at least as many free places as
    people asking keeps their full score.
    """
    free = np.maximum(np.asarray(free, dtype=np.float64), 0)
    demand = np.asarray(demand, dtype=np.float64)
    wanted = np.maximum(demand, free)
    ratio = np.divide(free, wanted, out=np.ones_like(wanted), where=wanted > 0)
    return np.clip(ratio, MIN_SPREAD_FACTOR, 1.0)


def fair_rank(scores_row: np.ndarray, mentor_free=None, mentor_demand=None) -> np.ndarray:
    """Return the indices of the allowed candidates, best suggestion first.

    For a mentee's list of mentors pass `mentor_free` and `mentor_demand`: each score is
    multiplied by `spread_factor()`, so a popular mentor with one free place is not at the
    top of everyone's list. For a mentor's list of mentees pass neither: the order is the
    score. Ties go to the higher raw score, then the lower index.
    """
    raw = np.asarray(scores_row, dtype=np.float64)
    candidates = np.flatnonzero(np.isfinite(raw))
    raw = raw[candidates]
    if mentor_free is None:
        adjusted = raw
    else:
        if mentor_demand is None:
            raise ValueError("Pass the mentors' demand with their free places.")
        factor = spread_factor(
            np.asarray(mentor_free)[candidates], np.asarray(mentor_demand)[candidates]
        )
        adjusted = raw * factor
    order = np.lexsort((candidates, -raw, -adjusted))
    return candidates[order]
