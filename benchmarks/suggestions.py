"""How long one participant's suggestions take once the cycle's score table is cached.

A suggestions page ranks one row (or column) of the cached score table with the
fair-spread rule and explains the ten pairs it shows. This script builds a pool with
the same generator as benchmarks/matching.py, scores it once (the cached table), then
times that per-page work for many random participants:

    .venv/bin/python benchmarks/suggestions.py --candidates 10000 --json

`mentee_ms` is a mentee ranking `--candidates` mentors; `mentor_ms` a mentor ranking
`--candidates` mentees. Database queries are not included: the page runs a fixed
number of them, pinned by the tests.
"""

import argparse
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path[0] = str(PROJECT_DIR)

import numpy as np  # noqa: E402

from matching import scoring  # noqa: E402

SHOWN = 10


def load_generator():
    spec = importlib.util.spec_from_file_location(
        "matching_benchmark", PROJECT_DIR / "benchmarks" / "matching.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_pool


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_pages(pool, people, ranking) -> list[float]:
    timings = []
    for index in people:
        started = time.perf_counter()
        scoring.explain_many(pool, ranking(index)[:SHOWN])
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def run(candidates: int, others: int, seed: int, samples: int) -> dict:
    make_pool = load_generator()
    rng = np.random.default_rng(seed)
    # Mentees see mentors: `candidates` mentors. Mentors see mentees: `candidates` mentees.
    as_mentee = make_pool(others, candidates, seed)
    started = time.perf_counter()
    mentee_scores = scoring.score_matrix(as_mentee)
    popularity = scoring.top_k_demand(mentee_scores)
    table_s = time.perf_counter() - started
    waiting = rng.integers(0, 3, size=candidates)

    def mentee_ranking(row):
        order = scoring.fair_rank(mentee_scores[row], as_mentee.mentor_free, waiting + popularity)
        return [(row, int(j)) for j in order[:SHOWN]]

    mentee_ms = time_pages(as_mentee, rng.integers(0, others, size=samples), mentee_ranking)
    as_mentor = make_pool(candidates, others, seed + 1)
    mentor_scores = scoring.score_matrix(as_mentor)

    def mentor_ranking(column):
        order = scoring.fair_rank(mentor_scores[:, column])
        return [(int(i), column) for i in order[:SHOWN]]

    mentor_ms = time_pages(as_mentor, rng.integers(0, others, size=samples), mentor_ranking)
    return {
        "candidates": candidates,
        "samples": samples,
        "table_s": round(table_s, 3),
        "mentee_ms_median": round(statistics.median(mentee_ms), 3),
        "mentee_ms_p95": round(percentile(mentee_ms, 0.95), 3),
        "mentor_ms_median": round(statistics.median(mentor_ms), 3),
        "mentor_ms_p95": round(percentile(mentor_ms, 0.95), 3),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--others", type=int, default=2_000, help="size of the other side")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = run(args.candidates, args.others, args.seed, args.samples)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>18}  {value}")


if __name__ == "__main__":
    main()
