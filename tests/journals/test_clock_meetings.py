"""Meeting reminders and agenda nudges: once per person and meeting time, the day before,
in each person's zone; again after a reschedule; never for a cancelled meeting or an
ended match. Meeting change emails go through the notification log too."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format

from journals import tasks
from journals.services import meetings as services
from matching import services as matching
from mentorship_site.notifications.models import Notification
from tests.journals.builders import active_match
from tests.journals.clock import accepted_meeting, at, run, sent_to

# 09:00 on Saturday 21 November in Auckland; 15:00 on Friday 20 November in Toronto.
STARTS_AT = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
LOCAL_START = datetime(2026, 11, 21, 9, 0)


def local(moment, zone: str) -> str:
    with timezone.override(zone):
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@pytest.fixture
def match(coordinator):
    return active_match(coordinator, agenda_required_hours=0)


@pytest.mark.django_db
def test_each_person_is_reminded_once_the_day_before_in_their_own_zone(
    match, django_capture_on_commit_callbacks
):
    accepted_meeting(match, LOCAL_START, agenda="Salary negotiation", place="Café Nord")
    with at(STARTS_AT - timedelta(hours=25)):
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 0
    mail.outbox.clear()
    with at(STARTS_AT - timedelta(hours=23)):
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 1
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 0
    mona, mia = match.mentor.user, match.mentee.user
    (to_mona,) = sent_to(mona)
    (to_mia,) = sent_to(mia)
    assert to_mona.subject == (
        f"[Mentorship] Reminder: your meeting with Mia Mentee on "
        f"{local(STARTS_AT, 'America/Toronto')}"
    )
    assert local(STARTS_AT, "Pacific/Auckland") in to_mia.subject
    for message in (to_mona, to_mia):
        html = message.alternatives[0][0]
        for body in (message.body, html):
            assert "Salary negotiation" in body
            assert "Café Nord" in body
            assert "https://meet.example.org/mona-mia" in body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/notifications/email/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert Notification.objects.filter(kind="meeting_reminder").count() == 2


@pytest.mark.django_db
def test_a_rescheduled_meeting_is_reminded_again(match, django_capture_on_commit_callbacks):
    meeting = accepted_meeting(match, LOCAL_START, agenda="CV")
    with at(STARTS_AT - timedelta(hours=20)):
        run(tasks.remind_meetings, django_capture_on_commit_callbacks)
        services.reschedule_meeting(
            meeting,
            by=match.mentor.user,
            starts_at_local=datetime(2026, 11, 20, 17, 0),
            time_zone="America/Toronto",
        )
        # Proposed again: no reminder until it is accepted.
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 0
        services.accept_meeting(meeting, by=match.mentee.user)
        mail.outbox.clear()
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 1
        run(tasks.remind_meetings, django_capture_on_commit_callbacks)
    assert len(sent_to(match.mentor.user, "meeting_reminder")) == 1
    assert len(sent_to(match.mentee.user, "meeting_reminder")) == 1
    assert Notification.objects.filter(kind="meeting_reminder").count() == 4


@pytest.mark.django_db
def test_an_agenda_change_after_the_reminder_does_not_send_it_again(
    match, django_capture_on_commit_callbacks
):
    meeting = accepted_meeting(match, LOCAL_START, agenda="CV")
    with at(STARTS_AT - timedelta(hours=20)):
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 1
        services.update_agenda(meeting, by=match.mentee.user, agenda="CV and cover letter")
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 0
    assert len(sent_to(match.mentor.user, "meeting_reminder")) == 1
    assert len(sent_to(match.mentee.user, "meeting_reminder")) == 1


@pytest.mark.django_db
def test_cancelled_meetings_and_ended_matches_are_not_reminded(
    match, coordinator, django_capture_on_commit_callbacks
):
    cancelled = accepted_meeting(match, LOCAL_START, agenda="CV")
    services.cancel_meeting(cancelled, by=match.mentor.user, reason="Ill.")
    other = active_match(coordinator, agenda_required_hours=0)
    accepted_meeting(other, LOCAL_START, agenda="CV")
    matching.end_match(other, by=other.mentee.user, reason="Moving abroad.")
    with at(STARTS_AT - timedelta(hours=2)):
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 0
    assert not Notification.objects.filter(kind="meeting_reminder").exists()


@pytest.mark.django_db
def test_a_meeting_without_the_required_agenda_nudges_both_once(
    coordinator, django_capture_on_commit_callbacks
):
    match = active_match(coordinator, agenda_required_hours=24)
    meeting = accepted_meeting(match, LOCAL_START)  # 60 hours ahead: no agenda needed yet
    with at(STARTS_AT - timedelta(hours=49)):
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 0
    with at(STARTS_AT - timedelta(hours=47)):
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 1
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 0
    nudges = sent_to(match.mentor.user, "agenda_nudge") + sent_to(match.mentee.user, "agenda_nudge")
    assert len(nudges) == 2
    assert nudges[0].subject.startswith("[Mentorship] Add an agenda for your meeting on")
    assert "asks for an agenda 24 hours before each meeting" in nudges[0].body
    with at(STARTS_AT - timedelta(hours=30)):
        services.update_agenda(meeting, by=match.mentee.user, agenda="Salary talks")
    with at(STARTS_AT - timedelta(hours=23)):
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 1  # reminder
    assert Notification.objects.filter(kind="agenda_nudge").count() == 2


@pytest.mark.django_db
def test_no_agenda_nudge_when_the_program_does_not_require_one(
    match, django_capture_on_commit_callbacks
):
    accepted_meeting(match, LOCAL_START)
    with at(STARTS_AT - timedelta(hours=23)):
        assert run(tasks.remind_meetings, django_capture_on_commit_callbacks) == 1
    assert not Notification.objects.filter(kind="agenda_nudge").exists()


@pytest.mark.django_db
def test_a_change_email_is_sent_once_even_if_its_callback_runs_twice(
    match, django_capture_on_commit_callbacks
):
    from journals.emails import meetings as emails

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        meeting = services.propose_meeting(
            match,
            by=match.mentee.user,
            starts_at_local=LOCAL_START,
            time_zone="Pacific/Auckland",
            duration=60,
            place="Café Nord",
        )
    for callback in callbacks:
        callback()  # a retried callback
    emails.send_meeting_proposed(meeting.pk, recipient_id=match.mentor.user_id)
    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/email/unsubscribe/" in message.alternatives[0][0]
    notice = Notification.objects.get()
    assert (notice.kind, notice.occasion, notice.recipient) == (
        "meeting_changed",
        "meeting_proposed-0",
        match.mentor.user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_meeting(meeting, by=match.mentor.user)
    assert len(mail.outbox) == 2  # each real change is told


@pytest.mark.django_db
def test_meeting_activity_moves_the_pairs_last_activity(match):
    with at(datetime(2026, 11, 19, 10, 0, tzinfo=UTC)):
        meeting = services.propose_meeting(
            match,
            by=match.mentee.user,
            starts_at_local=LOCAL_START,
            time_zone="Pacific/Auckland",
            duration=60,
            place="Café Nord",
        )
    match.refresh_from_db()
    assert match.last_activity_at == datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
    with at(datetime(2026, 11, 19, 12, 0, tzinfo=UTC)):
        services.accept_meeting(meeting, by=match.mentor.user)
    match.refresh_from_db()
    assert match.last_activity_at == datetime(2026, 11, 19, 12, 0, tzinfo=UTC)
    with at(STARTS_AT + timedelta(hours=2)):
        services.mark_meeting(meeting, by=match.mentor.user, held=True, minutes=50)
    match.refresh_from_db()
    assert match.last_activity_at == STARTS_AT + timedelta(hours=2)
