"""Celery tasks of evaluation: surveys, and the weekly digest (in evaluation.digest)."""

from evaluation.digest import send_weekly_digest, send_weekly_digests  # noqa: F401  (registers)
