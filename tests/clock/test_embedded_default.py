"""The clock on the embedded default that `make run` uses: SQLite, no broker server.

Every periodic job and the pages they feed run on SQLite too: no PostgreSQL-only SQL.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

# Processes of their own: run with the worker tests.
pytestmark = pytest.mark.worker

PAGES = """
import django
django.setup()
from django.test import Client
from django.urls import reverse
from mentorship_site.accounts.models import User
from programs.models import Program

client = Client()
client.force_login(User.objects.get(email="coordinator@example.org"))
program = Program.objects.get(name="Leading with confidence")
for url in (
    reverse("programs:dashboard"),
    reverse("notifications:clock"),
    reverse("notifications:preferences"),
    reverse("evaluation:survey_questions", kwargs={"code": program.code}),
    reverse("evaluation:surveys"),
):
    response = client.get(url, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (url, response.status_code)
    if url == reverse("programs:dashboard"):
        # The demo's quiet pair is listed, with a link to its workspace.
        assert b'id="at-risk-heading"' in response.content
        assert b"/journals/workspace/" in response.content
print("pages ok")
"""


def _run(args, env, tmp_path):
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_every_periodic_job_and_its_pages_run_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_DELIVERY": "locmem",
        "VAR_DIR": str(tmp_path),
        "DEBUG": "true",
        "PYTHONWARNINGS": "ignore",
    }
    _run(["manage.py", "migrate", "--noinput", "-v", "0"], env, tmp_path)
    _run(["manage.py", "seed_demo"], env, tmp_path)
    handled = json.loads(_run(["manage.py", "run_clock", "--json"], env, tmp_path))
    assert set(handled) == set(settings.CELERY_BEAT_SCHEDULE)
    # The demo has a quiet pair, and surveys waiting for an answer.
    assert handled["journals-flag-quiet-pairs"] >= 1
    # A second run finds nothing left to do for the jobs that send once.
    again = json.loads(_run(["manage.py", "run_clock", "--json"], env, tmp_path))
    assert again["journals-flag-quiet-pairs"] == 0
    assert "pages ok" in _run(["-c", PAGES], env, tmp_path)
