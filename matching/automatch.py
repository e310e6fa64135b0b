"""Auto-match a cycle's pool: read it, score it, solve it exactly, compare with greedy.

Shared by the Celery task behind the coordinator's page and `manage.py automatch`.
"""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _

from matching import assignment, scoring
from matching import pool as pool_module

STAGES = {
    "reading": _("Reading the pool"),
    "scoring": _("Scoring every pair"),
    "solving": _("Finding the best assignment"),
    "comparing": _("Comparing with a simple first-come method"),
}


@dataclass
class Outcome:
    """Everything one auto-match computed, arrays included (for `--export-scores`)."""

    mentees: list
    mentors: list
    scores: np.ndarray
    capacity: np.ndarray
    assignment: np.ndarray
    greedy: np.ndarray
    figures: dict

    def pairs(self) -> list[dict]:
        return [
            {
                "mentee": self.mentees[i].pk,
                "mentor": self.mentors[int(j)].pk,
                "score": round(float(self.scores[i, j]), 2),
            }
            for i, j in enumerate(self.assignment)
            if j >= 0
        ]

    def result(self) -> dict:
        return {"pairs": self.pairs(), "figures": self.figures}


def _round(value):
    if value is None:
        return None
    return round(float(value), 4)


def figures(scores, capacity, chosen, greedy) -> dict:
    """Return the run's figures next to the greedy baseline's, with the same names as JSON."""
    ours = assignment.evaluate(scores, capacity, chosen)
    theirs = assignment.evaluate(scores, capacity, greedy)
    base = theirs["total_score"]
    gain = 100.0 * (ours["total_score"] - base) / base if base else 0.0
    return {
        "mentees": int(scores.shape[0]),
        "mentors": int(scores.shape[1]),
        "places": int(capacity.sum()),
        "matched": int(ours["matched"]),
        "total_score": _round(ours["total_score"]),
        "p10_score": _round(ours["p10_score"]),
        "worst_score": _round(ours["worst_score"]),
        "blocking_pair_share": _round(ours["blocking_pair_share"]),
        "greedy_matched": int(theirs["matched"]),
        "greedy_total_score": _round(theirs["total_score"]),
        "greedy_p10_score": _round(theirs["p10_score"]),
        "greedy_worst_score": _round(theirs["worst_score"]),
        "greedy_blocking_pair_share": _round(theirs["blocking_pair_share"]),
        "gain_over_greedy_pct": _round(gain),
    }


def compute_outcome(program, cycle_id, *, report=None) -> Outcome:
    report = report or (lambda progress, stage: None)
    report(5, "reading")
    mentees = list(
        pool_module.mentees_in_pool(program.pk, cycle_id).select_related("user").order_by("pk")
    )
    mentors = list(
        pool_module.mentors_in_pool(program.pk, cycle_id).select_related("user").order_by("pk")
    )
    pool, people = pool_module.build_pool(program, mentees, mentors)
    report(30, "scoring")
    scores = scoring.score_matrix(pool)
    capacity = pool.mentor_free.astype(np.int64)
    report(55, "solving")
    chosen = assignment.solve(scores, capacity)
    report(85, "comparing")
    greedy = assignment.greedy(scores, capacity)
    assignment.check(scores, capacity, chosen)
    return Outcome(
        mentees=people.mentees,
        mentors=people.mentors,
        scores=scores,
        capacity=capacity,
        assignment=chosen,
        greedy=greedy,
        figures=figures(scores, capacity, chosen, greedy),
    )


def compute(program, cycle_id, *, report=None) -> dict:
    return compute_outcome(program, cycle_id, report=report).result()
