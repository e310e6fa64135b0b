"""Assign mentees to mentors: the exact optimum, a greedy baseline, and how good a result is.

Pure NumPy/SciPy over a score matrix from matching.scoring: `scores[i, j]` is mentee i's
score with mentor j (0-100), -inf where the pair is not allowed; `capacity[j]` is how many
more mentees mentor j can take. An assignment is an int64 array with one mentor index per
mentee, -1 for an unmatched mentee.
"""

from matching.assignment.baseline import check, evaluate, greedy
from matching.assignment.exact import solve

__all__ = ["check", "evaluate", "greedy", "solve"]
