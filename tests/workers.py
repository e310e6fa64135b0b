"""Start a real Celery worker on the test database and Redis, as production runs it."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
import redis
from django.conf import settings
from django.db import connection

from mentorship_site.celery import app as celery_app

DEADLINE_SECONDS = 45


def wait_for(condition, what, process=None, deadline=DEADLINE_SECONDS):
    """Poll `condition` until it returns something true; fail after `deadline` seconds."""
    ends = time.monotonic() + deadline
    while time.monotonic() < ends:
        if process is not None and process.poll() is not None:
            break
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    output = process.stdout.read() if process is not None and process.poll() is not None else ""
    pytest.fail(f"timed out waiting for {what}\n{output}")


def redis_broker_url() -> str:
    """Return the test broker, emptied; fail unless it is Redis."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        pytest.fail(
            f"worker tests need Redis as the broker, got {url!r} (run them with `make test`)"
        )
    redis.Redis.from_url(url).flushdb()
    return url


@contextmanager
def tasks_queued():
    """Send tasks to the broker instead of running them in the caller."""
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = True


@contextmanager
def _celery(command: list[str], env: dict):
    """Run `celery -A mentorship_site <command>` with `env`; stop it on the way out."""
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mentorship_site", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=settings.BASE_DIR,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _process_env(broker_url: str, tmp_path, **extra) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_DELIVERY": "file",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "VAR_DIR": str(tmp_path),
        **extra,
    }


@contextmanager
def running_beat(broker_url: str, tmp_path, *, tick_seconds: int = 1):
    """Run `celery beat` on the test database with every periodic job due each few seconds."""
    env = _process_env(broker_url, tmp_path, CLOCK_TICK_SECONDS=str(tick_seconds))
    with _celery(["beat", "--loglevel", "INFO"], env) as process:
        yield process


@contextmanager
def running_worker(broker_url: str, tmp_path):
    """Run `celery worker` on the test database and `broker_url`; yield its mail folder."""
    options = ["--pool", "solo", "--loglevel", "INFO"]
    options += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
    env = _process_env(broker_url, tmp_path)
    with _celery(["worker", *options], env) as process, tasks_queued():
        wait_for(
            lambda: celery_app.control.ping(timeout=0.5), "the worker to answer a ping", process
        )
        yield tmp_path / "mail"
