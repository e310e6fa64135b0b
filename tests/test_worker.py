"""A real Celery worker on Redis delivers the mail that pages queue."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse

from mentorship_site.celery import app as celery_app
from mentorship_site.mail.models import OutboundEmail

pytestmark = pytest.mark.worker

DEADLINE_SECONDS = 45


def wait_for(condition, what, process=None):
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    output = process.stdout.read() if process is not None and process.poll() is not None else ""
    pytest.fail(f"timed out waiting for {what}\n{output}")


@pytest.fixture
def redis_broker():
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        pytest.fail(
            f"worker tests need Redis as the broker, got {url!r} (run them with `make test`)"
        )
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def worker(transactional_db, redis_broker, tmp_path):
    """Start `celery worker` as production does, on the test database and Redis."""
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict),
        "CELERY_BROKER_URL": redis_broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_DELIVERY": "file",
        "EMAIL_FILE_PATH": str(mail_dir),
        "VAR_DIR": str(tmp_path),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mentorship_site",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=settings.BASE_DIR,
    )
    celery_app.conf.task_always_eager = False
    try:
        wait_for(
            lambda: celery_app.control.ping(timeout=0.5), "the worker to answer a ping", process
        )
        yield mail_dir
    finally:
        celery_app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_worker_delivers_the_verification_email_of_a_sign_up(client, worker: Path):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "worker.test@example.org",
            "display_name": "Wren Worker",
            "time_zone": "Pacific/Auckland",
            "preferred_language": "en",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )
    assert response.status_code == 302

    def delivered_text():
        text = "".join(path.read_text() for path in worker.glob("*.log"))
        return text if "-" * 79 in text else ""  # the file backend ends each message so

    text = wait_for(delivered_text, "the worker to write the email")
    assert "To: worker.test@example.org" in text
    assert re.search(r"/accounts/confirm-email/[-:\w]+/", text)
    sent = OutboundEmail.objects.filter(to=["worker.test@example.org"], status="sent")
    outbound = wait_for(sent.first, "the worker to record the delivery")
    assert outbound.attempts == 1
