"""The matching benchmark script runs end to end at a tiny size (figures, not timings)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from matching.assignment import check

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "matching.py"
KEYS = {
    "mentees",
    "mentors",
    "seed",
    "scoring_s",
    "solve_s",
    "total_s",
    "peak_mb",
    "matched",
    "total_score",
    "greedy_total_score",
    "gain_over_greedy_pct",
    "p10_score",
    "worst_score",
    "blocking_pair_share",
}


def run_script(*arguments) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_it_prints_the_figures_as_json_and_exports_the_arrays(tmp_path):
    finished = run_script(
        "--mentees", "60", "--mentors", "25", "--seed", "3", "--json", "--export", str(tmp_path)
    )
    figures = json.loads(finished.stdout)
    assert set(figures) == KEYS
    assert (figures["mentees"], figures["mentors"], figures["seed"]) == (60, 25, 3)
    assert 0 < figures["matched"] <= 60
    assert figures["total_score"] >= figures["greedy_total_score"] - 1e-3
    assert 0 <= figures["blocking_pair_share"] <= 1

    scores = np.load(tmp_path / "scores.npy")
    capacity = np.load(tmp_path / "capacity.npy")
    chosen = np.load(tmp_path / "assignment.npy")
    assert scores.shape == (60, 25)
    assert np.issubdtype(scores.dtype, np.floating)
    assert np.isneginf(scores).any()
    assert capacity.shape == (25,)
    assert np.issubdtype(capacity.dtype, np.integer)
    assert set(capacity.tolist()) <= {1, 2, 3}
    assert chosen.shape == (60,)
    assert chosen.dtype == np.int64
    check(scores, capacity, chosen)
    assert (chosen >= 0).sum() == figures["matched"]


def test_it_prints_a_readable_table_by_default():
    finished = run_script("--mentees", "20", "--mentors", "8", "--seed", "1")
    lines = finished.stdout.splitlines()
    assert {line.split()[0] for line in lines} == KEYS
