"""The clock's surveys: the check-in in the middle week, the end survey, one reminder,
each email once however often the task runs."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from evaluation import tasks
from evaluation.models import SurveyInvitation, SurveyKind
from matching import services as matching
from matching.models import Match
from tests.evaluation.conftest import START
from tests.journals.builders import active_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_at(django_capture_on_commit_callbacks):
    """Run the survey scan at `moment`, `times` times, delivering the queued emails."""

    def run(moment, times=1):
        with time_machine.travel(moment, tick=False):
            for _ in range(times):
                with django_capture_on_commit_callbacks(execute=True):
                    tasks.send_surveys()

    return run


def invitations(kind=None):
    rows = SurveyInvitation.objects.all()
    return rows.filter(kind=kind) if kind else rows


def test_the_check_in_is_sent_in_week_five_not_earlier(match, run_at):
    assert match.started_on == START.date()
    run_at(START + timedelta(days=27))  # the last day of week 4
    assert invitations().count() == 0
    assert mail.outbox == []

    run_at(START + timedelta(days=28))  # the first day of week 5
    assert match.week_of((START + timedelta(days=28)).date()) == 5
    assert sorted(invitations(SurveyKind.MIDPOINT).values_list("role", flat=True)) == [
        "mentee",
        "mentor",
    ]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [match.mentor.user.email, match.mentee.user.email]
    )


def test_the_middle_week_follows_the_cycle_length(coordinator, run_at):
    with time_machine.travel(START, tick=False):
        short = active_match(coordinator, cycle_weeks=5)
    run_at(START + timedelta(days=13))  # week 2 of 5
    assert invitations().count() == 0
    run_at(START + timedelta(days=14))  # week 3 of 5: ceil(5 / 2)
    assert invitations().filter(match=short).count() == 2


def test_running_the_task_twice_sends_each_invitation_once(match, run_at):
    run_at(START + timedelta(days=30), times=2)
    assert invitations().count() == 2
    assert len(mail.outbox) == 2


def test_the_invitation_email_links_to_the_survey_in_both_parts(match, run_at):
    run_at(START + timedelta(days=28))
    invitation = invitations().get(role="mentee")
    message = next(m for m in mail.outbox if m.to == [match.mentee.user.email])
    assert message.subject == (
        "[Mentorship] Halfway there: how is your mentoring with Mona Mentor going?"
    )
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    for body in (message.body, html):
        assert "Hello Mia Mentee," in body
        assert f"/evaluation/surveys/{invitation.code}/" in body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_ended_match_gets_the_end_survey_and_no_check_in(match, run_at):
    with time_machine.travel(START + timedelta(days=10), tick=False):
        matching.end_match(match, by=match.mentee.user, reason="We could not meet.")
    mail.outbox.clear()
    run_at(START + timedelta(days=30), times=2)
    assert invitations(SurveyKind.MIDPOINT).count() == 0
    assert invitations(SurveyKind.END).count() == 2
    assert len(mail.outbox) == 2
    assert "has ended" in mail.outbox[0].subject


def test_a_completed_match_gets_the_end_survey_once(match, run_at):
    run_at(START + timedelta(days=28))
    completed_at = START + timedelta(weeks=10)
    Match.objects.filter(pk=match.pk).update(status=Match.Status.COMPLETED, ended_at=completed_at)
    mail.outbox.clear()
    run_at(completed_at + timedelta(hours=1), times=2)
    assert invitations(SurveyKind.END).count() == 2
    # The unanswered check-in gets no reminder now that the match is over.
    assert [message.subject for message in mail.outbox] == [
        "[Mentorship] Your match with Mia Mentee has ended: tell us how it went",
        "[Mentorship] Your match with Mona Mentor has ended: tell us how it went",
    ]


def test_a_match_finished_long_ago_gets_no_end_survey(match, run_at):
    Match.objects.filter(pk=match.pk).update(
        status=Match.Status.COMPLETED, ended_at=START + timedelta(weeks=10)
    )
    run_at(START + timedelta(weeks=20))
    assert invitations().count() == 0


def test_the_reminder_goes_once_three_days_after_the_invitation(match, run_at):
    sent = START + timedelta(days=28)
    run_at(sent)
    mail.outbox.clear()
    run_at(sent + timedelta(days=3) - timedelta(minutes=1))
    assert mail.outbox == []

    run_at(sent + timedelta(days=3), times=2)
    run_at(sent + timedelta(days=9))
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [match.mentor.user.email, match.mentee.user.email]
    )
    assert all("A reminder" in message.subject for message in mail.outbox)
    assert invitations().filter(reminded_at=sent + timedelta(days=3)).count() == 2


def test_an_answered_survey_gets_no_reminder(match, run_at):
    sent = START + timedelta(days=28)
    run_at(sent)
    SurveyInvitation.objects.filter(role="mentee").update(answered_at=sent + timedelta(days=1))
    mail.outbox.clear()
    run_at(sent + timedelta(days=4))
    assert [message.to for message in mail.outbox] == [[match.mentor.user.email]]


def test_the_task_reports_how_many_items_it_dispatched(match, run_at):
    from mentorship_site.notifications.models import JobRun

    run_at(START + timedelta(days=28))
    run = JobRun.objects.get(job="evaluation.tasks.send_surveys")
    assert (run.status, run.handled) == (JobRun.Status.SUCCEEDED, 1)


@pytest.mark.parametrize("size", [1, 4])
def test_the_scan_runs_a_fixed_number_of_queries_whatever_the_number_of_matches(
    coordinator, monkeypatch, django_assert_max_num_queries, size
):
    with time_machine.travel(START, tick=False):
        for _ in range(size):
            active_match(coordinator)
    dispatched = []
    monkeypatch.setattr(tasks.open_survey, "delay", lambda *args: dispatched.append(args))
    monkeypatch.setattr(tasks.remind_survey, "delay", lambda *args: dispatched.append(args))
    # The three scans and the cycle lengths in use, + the job's own log: its row
    # created, then finished.
    with (
        time_machine.travel(START + timedelta(days=28), tick=False),
        django_assert_max_num_queries(4 + 2),
    ):
        assert tasks.send_surveys() == size
    assert len(dispatched) == size
