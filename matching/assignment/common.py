"""Shared limits and input checks of the assignment modules."""

import numpy as np

MAX_SCORE = 100.0
ROW_CHUNK = 512  # mentee rows per block when a pass over the whole matrix is needed


def as_inputs(scores, capacity) -> tuple[np.ndarray, np.ndarray]:
    scores = np.asarray(scores)
    capacity = np.asarray(capacity)
    if scores.ndim != 2:
        raise ValueError(f"Scores must be a (mentees, mentors) matrix, not shape {scores.shape}.")
    if capacity.shape != (scores.shape[1],):
        raise ValueError(
            f"Capacity must have one entry per mentor ({scores.shape[1]}), "
            f"not shape {capacity.shape}."
        )
    if not np.issubdtype(capacity.dtype, np.integer):
        raise ValueError("Capacity must hold integers.")
    for start in range(0, scores.shape[0], ROW_CHUNK):
        block = scores[start : start + ROW_CHUNK]
        if np.isnan(block).any() or np.isposinf(block).any():
            raise ValueError("Scores must be finite or -inf.")
    return scores, np.maximum(capacity.astype(np.int64), 0)
