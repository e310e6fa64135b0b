"""A real Celery worker on Redis delivers the mail that pages queue."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from mentorship_site.mail.models import OutboundEmail
from tests.workers import redis_broker_url, running_worker, wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A real worker, as production runs it, on the test database and Redis."""
    with running_worker(redis_broker_url(), tmp_path) as mail_dir:
        yield mail_dir


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
