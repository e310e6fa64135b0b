"""Readiness of the parts a request depends on, for container health checks."""

from django.conf import settings
from django.db import connection
from kombu import Connection

BROKER_TIMEOUT_SECONDS = 3


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False


def broker_is_up() -> bool:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
            return True
    except Exception:  # noqa: BLE001
        return False
