import os

# Scoring multiplies large matrices; with BLAS threads per process, web and worker
# processes on the same cores slow each other down several times over. One thread each
# is faster here; set the variable to override.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .celery import app as celery_app  # noqa: E402

__all__ = ["celery_app"]
