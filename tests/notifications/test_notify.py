"""notify: one door for every email, honouring each person's choice, once per occasion."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from mentorship_site.notifications import services
from mentorship_site.notifications.models import Notification
from programs.models import Participant
from tests.programs.builders import enrol, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def participation(coordinator, participant):
    program = make_program(coordinator)
    return Participant.objects.select_related("user", "program").get(
        pk=enrol(program, participant).pk
    )


def tell(participation, *, occasion="approved-1"):
    return services.notify(
        "participant_update",
        recipient=participation.user,
        about=participation,
        occasion=occasion,
        email="participant_update",
        context={
            "participant": participation,
            "program": participation.program,
            "action": "approved",
        },
        link="https://mentorship.example.org/",
    )


def test_it_emails_straight_away_by_default(participation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = tell(participation)
    (message,) = mail.outbox
    assert message.to == ["pat@example.org"]
    assert notice.delivery == "email"
    assert notice.category == "programs"
    assert notice.summary == "Welcome to Leaders of tomorrow: your application is approved"


def test_it_keeps_the_notice_for_the_digest_when_asked(
    participation, django_capture_on_commit_callbacks
):
    services.set_preference(participation.user, "programs", "digest")
    with django_capture_on_commit_callbacks(execute=True):
        notice = tell(participation)
    assert mail.outbox == []
    assert notice.delivery == "digest"
    assert list(Notification.objects.waiting_for_digest()) == [notice]


def test_off_records_the_notice_without_sending_it(
    participation, django_capture_on_commit_callbacks
):
    services.set_preference(participation.user, "programs", "off")
    with django_capture_on_commit_callbacks(execute=True):
        notice = tell(participation)
    assert mail.outbox == []
    assert notice.delivery == "off"
    assert Notification.objects.waiting_for_digest().count() == 0


def test_another_category_is_still_emailed(participation, django_capture_on_commit_callbacks):
    services.set_preference(participation.user, "meetings", "off")
    with django_capture_on_commit_callbacks(execute=True):
        tell(participation)
    assert len(mail.outbox) == 1


def test_it_sends_once_per_occasion(participation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = tell(participation)
        again = tell(participation)
        next_time = tell(participation, occasion="approved-2")
    assert first is not None and next_time is not None
    assert again is None
    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 2


def test_each_email_carries_one_click_unsubscribe_headers(
    participation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(participation)
    (message,) = mail.outbox
    leave = services.unsubscribe_url(participation.user, "programs")
    assert message.extra_headers["List-Unsubscribe"] == f"<{leave}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_both_parts_end_with_the_unsubscribe_and_preferences_links(
    participation, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(participation)
    (message,) = mail.outbox
    html, _mimetype = message.alternatives[0]
    leave = services.unsubscribe_url(participation.user, "programs")
    choices = settings.SITE_URL.rstrip("/") + reverse("notifications:preferences")
    for body in (message.body, html):
        assert leave in body
        assert choices in body
    assert "Stop emails like this one" in html


def test_it_writes_in_the_recipients_language(participation, django_capture_on_commit_callbacks):
    participation.user.preferred_language = "fr"
    participation.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        notice = tell(participation)
    (message,) = mail.outbox
    assert "votre candidature à Leaders of tomorrow est acceptée" in message.body
    assert '<html lang="fr">' in message.alternatives[0][0]
    assert "acceptée" in notice.summary  # the digest shows it in their language too


def test_it_shows_times_in_the_recipients_zone(participant, django_capture_on_commit_callbacks):
    participant.time_zone = "Asia/Tokyo"
    participant.save()
    moment = datetime(2027, 3, 1, 23, 30, tzinfo=UTC)  # 08:30 on the 2nd in Tokyo
    with time_machine.travel(moment, tick=False):
        item = Notification.objects.create(
            kind="request_received",
            category="requests",
            recipient=participant,
            about_type="accounts.user",
            about_id=participant.pk,
            delivery="digest",
            summary="Mona would like to mentor you",
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            "weekly_digest",
            recipient=participant,
            about=participant,
            occasion="2027-W09",
            email="weekly_digest",
            context={"items": [item], "programs": [], "week": "2027-W09"},
        )
    (message,) = mail.outbox
    with timezone.override("Asia/Tokyo"):
        tokyo = date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    with timezone.override("UTC"):
        utc = date_format(moment, "SHORT_DATETIME_FORMAT")
    assert tokyo in message.body
    assert utc not in message.body
