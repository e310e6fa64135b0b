"""How fast auto-match scores and solves a large pool, and how good its matching is.

Generates a made-up but realistic pool (topics with a popularity skew, languages with
English common, weekly availability in many time zones, a few choice questions,
conflict-of-interest pairs), scores it with matching.scoring, solves it with
matching.assignment and compares the optimum with the greedy baseline:

    .venv/bin/python benchmarks/matching.py --mentees 5000 --mentors 2000 --seed 1
    .venv/bin/python benchmarks/matching.py --mentees 10000 --mentors 4000 --seed 1 --json
    .venv/bin/python benchmarks/matching.py --mentees 60 --mentors 25 --export /tmp/pool

peak_mb is the peak resident set size of the whole run (getrusage's ru_maxrss for this
process, read at the end): generating the pool, scoring, solving, the greedy baseline
and the quality figures. Each run is a fresh process.

OpenBLAS runs on one thread unless OPENBLAS_NUM_THREADS says otherwise: on the 2-CPU
machines measured, a second OpenBLAS thread made the float32 matrix products of scoring
several times slower, not faster, and a worker process that shares the machine should
not spread anyway. Progress goes to stderr; stdout has only the table or one JSON object.
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
# This script's own name would shadow the matching package.
sys.path[0] = str(PROJECT_DIR)
# Read by OpenBLAS when NumPy loads it, so before the import.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from matching.assignment import check, evaluate, greedy, solve  # noqa: E402
from matching.scoring import HOURS_PER_WEEK, Criterion, Pool, score_matrix  # noqa: E402

TOPIC_COUNT = 30
LANGUAGE_CODES = ("en", "fr", "es", "de", "pt", "ar", "hi", "zh")
# UTC offsets in whole hours, and how many people live there.
TIME_ZONES = np.array([-8, -6, -5, -3, 0, 1, 2, 3, 5, 8, 9, 10])
TIME_ZONE_SHARES = np.array([6, 4, 10, 5, 12, 20, 10, 5, 10, 8, 5, 5], dtype=float)
CAPACITY_SHARES = {1: 0.4, 2: 0.35, 3: 0.25}
TEAM_COUNT = 40
MEETING_FORMATS = ("video", "phone", "chat")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- A made-up pool ----------------------------------------------------------------------


def pick_topics(rng, people: int, low: int, high: int, skew: float) -> np.ndarray:
    """Return bool (people, topics): each person picks low..high topics, popular ones first.

    Weighted sampling without replacement via the Gumbel top-k trick, all people at once.
    """
    popularity = 1.0 / np.arange(1, TOPIC_COUNT + 1) ** skew
    keys = np.log(popularity)[None, :] + rng.gumbel(size=(people, TOPIC_COUNT))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    counts = rng.integers(low, high + 1, size=people)
    return rank < counts[:, None]


def pick_languages(rng, people: int, english_share: float) -> np.ndarray:
    spoken = rng.random((people, len(LANGUAGE_CODES))) < 0.12
    spoken[:, 0] = rng.random(people) < english_share
    nothing = ~spoken.any(axis=1)
    spoken[nothing, rng.integers(1, len(LANGUAGE_CODES), size=nothing.sum())] = True
    return spoken


def pick_availability(rng, people: int, blank_share: float) -> np.ndarray:
    """Return bool (people, 168): 2-5 local blocks of 1-3 hours, converted to UTC."""
    offsets = rng.choice(TIME_ZONES, size=people, p=TIME_ZONE_SHARES / TIME_ZONE_SHARES.sum())
    free = np.zeros((people, HOURS_PER_WEEK), dtype=bool)
    blocks = rng.integers(2, 6, size=people)
    everyone = np.arange(people)
    for block in range(5):
        weekend = rng.random(people) < 0.3
        day = np.where(weekend, rng.integers(5, 7, people), rng.integers(0, 5, people))
        start = np.where(weekend, rng.integers(9, 17, people), rng.integers(7, 22, people))
        length = rng.integers(1, 4, size=people)
        for hour in range(3):
            active = (block < blocks) & (hour < length)
            utc = (day * 24 + start + hour - offsets) % HOURS_PER_WEEK
            free[everyone[active], utc[active]] = True
    free[rng.random(people) < blank_share] = False
    return free


def make_pool(mentees: int, mentors: int, seed: int) -> Pool:
    """Return a realistic pool of `mentees` x `mentors`, the same for the same seed."""
    rng = np.random.default_rng(seed)
    capacity = rng.choice(
        list(CAPACITY_SHARES), size=mentors, p=list(CAPACITY_SHARES.values())
    ).astype(np.int64)
    mentee_people = np.arange(1, mentees + 1, dtype=np.int64)
    mentor_people = np.arange(mentees + 1, mentees + mentors + 1, dtype=np.int64)
    # A few people mentor in one pair and are mentored in another.
    both = rng.random(mentors) < 0.03
    mentor_people[both] = rng.choice(mentee_people, size=both.sum()) if mentees else 0
    conflict_count = max(1, mentees // 20) if mentees and mentors else 0
    forbidden = np.stack(
        [
            rng.integers(0, max(mentees, 1), conflict_count),
            rng.integers(0, max(mentors, 1), conflict_count),
        ],
        axis=1,
    ).astype(np.int64)

    def teams(people):
        team = rng.integers(0, TEAM_COUNT, size=people)
        team[rng.random(people) < 0.1] = -1
        return team

    def choice(people, options, unanswered):
        code = rng.integers(0, options, size=people)
        code[rng.random(people) < unanswered] = -1
        return code

    def scale(people, unanswered):
        answer = rng.integers(1, 6, size=people).astype(float)
        answer[rng.random(people) < unanswered] = np.nan
        return answer

    criteria = [
        Criterion(
            key="topics",
            kind="overlap",
            rule="prefer",
            weight=5,
            mentee=pick_topics(rng, mentees, 2, 4, skew=1.0),
            mentor=pick_topics(rng, mentors, 3, 6, skew=0.5),
            labels=tuple(f"topic-{k}" for k in range(TOPIC_COUNT)),
        ),
        Criterion(
            key="languages",
            kind="overlap",
            rule="must",
            weight=3,
            mentee=pick_languages(rng, mentees, english_share=0.8),
            mentor=pick_languages(rng, mentors, english_share=0.9),
            labels=LANGUAGE_CODES,
        ),
        Criterion(
            key="availability",
            kind="availability",
            rule="prefer",
            weight=4,
            mentee=pick_availability(rng, mentees, blank_share=0.05),
            mentor=pick_availability(rng, mentors, blank_share=0.05),
        ),
        Criterion(
            key="question-11",  # preferred meeting format
            kind="same",
            rule="prefer",
            weight=2,
            mentee=choice(mentees, len(MEETING_FORMATS), unanswered=0.4),
            mentor=choice(mentors, len(MEETING_FORMATS), unanswered=0.05),
            labels=MEETING_FORMATS,
        ),
        Criterion(
            key="question-12",  # the mentee's wish about the mentor's gender
            kind="same",
            rule="must",
            weight=1,
            mentee=choice(mentees, 2, unanswered=0.85),
            mentor=choice(mentors, 3, unanswered=0.05),
            sensitive=True,
        ),
        Criterion(
            key="question-13",  # pace, 1 (relaxed) to 5 (intense)
            kind="scale",
            rule="prefer",
            weight=2,
            mentee=scale(mentees, unanswered=0.1),
            mentor=scale(mentors, unanswered=0.1),
        ),
    ]
    return Pool(
        mentee_ids=np.arange(1, mentees + 1, dtype=np.int64),
        mentor_ids=np.arange(1, mentors + 1, dtype=np.int64),
        mentee_people=mentee_people,
        mentor_people=mentor_people,
        mentor_free=capacity,
        criteria=criteria,
        forbidden=forbidden,
        mentee_team=teams(mentees),
        mentor_team=teams(mentors),
        avoid_same_team=True,
    )


# --- Measuring ---------------------------------------------------------------------------


def peak_rss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(mentees: int, mentors: int, seed: int, export: Path | None) -> dict:
    log(
        f"Generating {mentees} mentees x {mentors} mentors (seed {seed}); "
        f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}..."
    )
    pool = make_pool(mentees, mentors, seed)
    capacity = pool.mentor_free

    log("Scoring...")
    started = time.perf_counter()
    scores = score_matrix(pool)
    scored = time.perf_counter()
    log("Solving...")
    assignment = solve(scores, capacity)
    solved = time.perf_counter()
    check(scores, capacity, assignment)

    log("Greedy baseline and quality figures...")
    quality = evaluate(scores, capacity, assignment)
    greedy_total = evaluate(scores, capacity, greedy(scores, capacity))["total_score"]
    gain = 100 * (quality["total_score"] - greedy_total) / greedy_total if greedy_total else 0.0

    if export is not None:
        export.mkdir(parents=True, exist_ok=True)
        np.save(export / "scores.npy", scores)
        np.save(export / "capacity.npy", capacity)
        np.save(export / "assignment.npy", assignment)
        log(f"Wrote scores.npy, capacity.npy and assignment.npy to {export}")
    peak_mb = peak_rss_mb()

    return {
        "mentees": mentees,
        "mentors": mentors,
        "seed": seed,
        "scoring_s": round(scored - started, 4),
        "solve_s": round(solved - scored, 4),
        "total_s": round(solved - started, 4),
        "peak_mb": round(peak_mb, 1),
        "matched": quality["matched"],
        "total_score": round(quality["total_score"], 3),
        "greedy_total_score": round(greedy_total, 3),
        "gain_over_greedy_pct": round(gain, 3),
        "p10_score": _rounded(quality["p10_score"]),
        "worst_score": _rounded(quality["worst_score"]),
        "blocking_pair_share": round(quality["blocking_pair_share"], 4),
    }


def _rounded(value):
    return None if value is None else round(value, 3)


def print_table(figures: dict) -> None:
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentees", type=int, default=5000)
    parser.add_argument("--mentors", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--export", type=Path, help="write scores, capacity, assignment here")
    options = parser.parse_args(argv)
    if options.mentees < 0 or options.mentors < 0:
        parser.error("sizes must not be negative")
    figures = run(options.mentees, options.mentors, options.seed, options.export)
    if options.json:
        print(json.dumps(figures))
    else:
        print_table(figures)


if __name__ == "__main__":
    main()
