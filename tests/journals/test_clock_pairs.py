"""Weekly prompts at 08:00 in each person's zone, journal nudges and quiet-pair alerts
once per silence, review reminders once per submission; each scan one query."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from journals import tasks
from journals.services import journal as journal_services
from journals.services import messages as message_services
from mentorship_site.notifications.models import Notification
from programs.models import WeeklyPrompt
from tests.journals.builders import active_match
from tests.journals.clock import accepted_meeting, at, run, sent_to

START = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)  # the match starts (conftest's moment)
DAY = timedelta(days=1)


@pytest.fixture
def match(coordinator):
    return active_match(coordinator)


def submit(match, person):
    return journal_services.save_entry(
        match, by=person.user, submit=True, discussed="Salary talks", minutes=45
    )


def kinds(kind: str, **filters) -> int:
    return Notification.objects.filter(kind=kind, **filters).count()


# --- weekly prompts ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_weekly_prompt_reaches_each_person_at_eight_in_their_own_zone(
    match, django_capture_on_commit_callbacks
):
    mona, mia = match.mentor.user, match.mentee.user
    capture = django_capture_on_commit_callbacks
    # Week 1 began on 18 November: 21:00 in Auckland already, 03:00 in Toronto.
    assert run(tasks.send_weekly_prompts, capture) == 1
    assert [m.subject for m in sent_to(mia)] == [
        "[Mentorship] Week 1: " + WeeklyPrompt.objects.get(program=match.program, week=1).title
    ]
    assert sent_to(mona) == []
    with at(datetime(2026, 11, 18, 12, 59, tzinfo=UTC)):
        assert run(tasks.send_weekly_prompts, capture) == 0
    with at(datetime(2026, 11, 18, 13, 0, tzinfo=UTC)):  # 08:00 in Toronto
        assert run(tasks.send_weekly_prompts, capture) == 1
    # Week 2 begins on 25 November: 08:00 in Auckland is 19:00 UTC the day before.
    with at(datetime(2026, 11, 24, 18, 59, tzinfo=UTC)):
        assert run(tasks.send_weekly_prompts, capture) == 0
    with at(datetime(2026, 11, 24, 19, 0, tzinfo=UTC)):
        assert run(tasks.send_weekly_prompts, capture) == 1
        assert run(tasks.send_weekly_prompts, capture) == 0
    with at(datetime(2026, 11, 25, 12, 59, tzinfo=UTC)):
        assert run(tasks.send_weekly_prompts, capture) == 0
    with at(datetime(2026, 11, 25, 13, 0, tzinfo=UTC)):
        assert run(tasks.send_weekly_prompts, capture) == 1
        assert run(tasks.send_weekly_prompts, capture) == 0
    week_2 = WeeklyPrompt.objects.get(program=match.program, week=2)
    for person in (mona, mia):
        assert [m.subject for m in sent_to(person)][-1] == f"[Mentorship] Week 2: {week_2.title}"
        message = sent_to(person)[-1]
        assert week_2.prompts.splitlines()[0].strip() in message.body
    assert kinds("weekly_prompt") == 4


@pytest.mark.django_db
def test_after_an_outage_only_the_current_weeks_prompt_goes_out(
    match, django_capture_on_commit_callbacks
):
    WeeklyPrompt.objects.filter(program=match.program, week=5).delete()
    with at(START + 3 * 7 * DAY + 6 * 60 * 60 * timedelta(seconds=1)):  # week 4, 14:00 UTC
        assert run(tasks.send_weekly_prompts, django_capture_on_commit_callbacks) == 2
    assert set(Notification.objects.values_list("occasion", flat=True)) == {"week-4"}
    with at(START + 4 * 7 * DAY + 6 * 60 * 60 * timedelta(seconds=1)):  # week 5: no prompt
        assert run(tasks.send_weekly_prompts, django_capture_on_commit_callbacks) == 0
    assert kinds("weekly_prompt") == 2


# --- journal nudges ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_silent_writer_is_nudged_once_per_silence(match, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    mona, mia = match.mentor.user, match.mentee.user
    with at(START + 14 * DAY - timedelta(minutes=1)):
        assert run(tasks.nudge_journals, capture) == 0
    with at(START + 14 * DAY + timedelta(minutes=1)):
        assert run(tasks.nudge_journals, capture) == 2  # both write in this program
        assert run(tasks.nudge_journals, capture) == 0
    (nudge,) = sent_to(mia, "journal_nudge")
    assert nudge.subject == "[Mentorship] A few words for your learning journal?"
    assert "14 days ago, and you have not submitted a journal entry yet" in nudge.body
    with at(START + 16 * DAY):
        submit(match, match.mentee)
        assert run(tasks.nudge_journals, capture) == 0  # Mona was nudged in this silence
    with at(START + 30 * DAY - timedelta(minutes=1)):
        assert run(tasks.nudge_journals, capture) == 0
    with at(START + 30 * DAY + timedelta(minutes=1)):
        assert run(tasks.nudge_journals, capture) == 1  # Mia's new silence
        assert run(tasks.nudge_journals, capture) == 0
    assert len(sent_to(mia, "journal_nudge")) == 2
    assert "Your last journal entry was submitted on" in sent_to(mia, "journal_nudge")[-1].body
    assert len(sent_to(mona, "journal_nudge")) == 1


@pytest.mark.django_db
def test_only_the_programs_writers_are_nudged_and_zero_turns_it_off(
    coordinator, django_capture_on_commit_callbacks
):
    mentees_write = active_match(coordinator, journal_writers="mentee")
    active_match(coordinator, journal_nudge_days=0)
    with at(START + 20 * DAY):
        assert run(tasks.nudge_journals, django_capture_on_commit_callbacks) == 1
    assert Notification.objects.get(kind="journal_nudge").recipient == mentees_write.mentee.user


# --- review reminders --------------------------------------------------------------------


@pytest.mark.django_db
def test_coordinators_are_reminded_of_an_entry_waiting_once_per_submission(
    match, coordinator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    entry = submit(match, match.mentee)
    with at(START + 7 * DAY - timedelta(minutes=1)):
        assert run(tasks.remind_reviews, capture) == 0
    with at(START + 7 * DAY + timedelta(minutes=1)):
        assert run(tasks.remind_reviews, capture) == 1
        assert run(tasks.remind_reviews, capture) == 0
    (reminder,) = sent_to(coordinator, "review_reminder")
    assert reminder.subject == (
        "[Mentorship] Mia Mentee's journal entry has waited 7 days for review"
    )
    assert f"/journal/{entry.code}/review/" in reminder.body
    assert "You receive this email because you coordinate" in reminder.alternatives[0][0]
    with at(START + 8 * DAY):
        journal_services.review_entry(entry, by=coordinator, feedback="Good.")
        journal_services.reopen_entry(entry, by=coordinator, note="Add the time.")
        journal_services.save_entry(
            match, by=match.mentee.user, entry=entry, submit=True, discussed="Salary", minutes=50
        )
    with at(START + 15 * DAY + timedelta(minutes=1)):
        assert run(tasks.remind_reviews, capture) == 1
        assert run(tasks.remind_reviews, capture) == 0
    assert kinds("review_reminder", recipient=coordinator) == 2


@pytest.mark.django_db
def test_reviewed_entries_are_not_reminded(match, coordinator, django_capture_on_commit_callbacks):
    entry = submit(match, match.mentee)
    journal_services.review_entry(entry, by=coordinator, feedback="Good.")
    with at(START + 20 * DAY):
        assert run(tasks.remind_reviews, django_capture_on_commit_callbacks) == 0


@pytest.mark.django_db
def test_review_and_reopen_emails_go_through_the_log(
    match, coordinator, django_capture_on_commit_callbacks
):
    entry = submit(match, match.mentee)
    with django_capture_on_commit_callbacks(execute=True):
        review = journal_services.review_entry(entry, by=coordinator, feedback="Good.")
    from journals.emails import journal as emails

    emails.send_entry_reviewed(review.pk)  # a retried callback sends nothing
    (message,) = mail.outbox
    assert "/notifications/email/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert Notification.objects.get().kind == "journal_reviewed"


# --- quiet pairs -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_quiet_pair_is_flagged_once_per_quiet_spell(
    match, coordinator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with at(START + 21 * DAY - timedelta(minutes=1)):
        assert run(tasks.flag_quiet_pairs, capture) == 0
    with at(START + 21 * DAY + timedelta(minutes=1)):
        assert run(tasks.flag_quiet_pairs, capture) == 1
        assert run(tasks.flag_quiet_pairs, capture) == 0
    with at(START + 25 * DAY):
        assert run(tasks.flag_quiet_pairs, capture) == 0
    (alert,) = sent_to(coordinator, "quiet_pair")
    assert alert.subject == "[Mentorship] Mona Mentor and Mia Mentee have been quiet for 21 days"
    assert f"/workspace/{match.code}/" in alert.body
    with at(START + 26 * DAY):
        message_services.post_message(match, by=match.mentee.user, body="Still there?")
        assert run(tasks.flag_quiet_pairs, capture) == 0
    with at(START + 47 * DAY - timedelta(minutes=1)):
        assert run(tasks.flag_quiet_pairs, capture) == 0
    with at(START + 47 * DAY + timedelta(minutes=1)):
        assert run(tasks.flag_quiet_pairs, capture) == 1
        assert run(tasks.flag_quiet_pairs, capture) == 0
    assert kinds("quiet_pair", recipient=coordinator) == 2


def test_an_inactive_coordinator_does_not_keep_a_quiet_pair_due(
    match, coordinator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    former = match.program.coordinators.create(email="former@example.org", is_active=False)
    with at(START + 22 * DAY):
        assert run(tasks.flag_quiet_pairs, capture) == 1
        # Told to the active coordinator; nothing is left to dispatch on the next run.
        assert run(tasks.flag_quiet_pairs, capture) == 0
    assert kinds("quiet_pair", recipient=coordinator) == 1
    assert kinds("quiet_pair", recipient=former) == 0


@pytest.mark.django_db
def test_messages_and_entries_move_the_pairs_last_activity(match):
    with at(START + DAY):
        message_services.post_message(match, by=match.mentor.user, body="Hello")
    match.refresh_from_db()
    assert match.last_activity_at == START + DAY
    with at(START + 2 * DAY):
        journal_services.save_entry(match, by=match.mentee.user, discussed="Draft")
    match.refresh_from_db()
    assert match.last_activity_at == START + DAY  # a draft is not activity
    with at(START + 3 * DAY):
        submit(match, match.mentee)
    match.refresh_from_db()
    assert match.last_activity_at == START + 3 * DAY


# --- one query per scan ------------------------------------------------------------------


def busy_pairs(coordinator, size: int) -> None:
    """Build `size` pairs that every scan finds due 30 days after they started: an entry
    waiting for review, silent writers, a quiet spell, a meeting tomorrow without agenda."""
    for _ in range(size):
        match = active_match(coordinator)
        submit(match, match.mentee)
        accepted_meeting(match, datetime(2026, 12, 19, 9, 0))  # Auckland: 18 Dec 20:00 UTC


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 4])
def test_each_scan_runs_a_fixed_number_of_queries(coordinator, django_assert_max_num_queries, size):
    busy_pairs(coordinator, size)
    # Scans that compare with a program setting first read the values programs use.
    with at(START + 30 * DAY):
        with django_assert_max_num_queries(1):
            assert len(list(tasks.meetings_to_remind())) == size
        with django_assert_max_num_queries(2):
            assert len(list(tasks.meetings_to_nudge())) == size
        with django_assert_max_num_queries(3):  # matches, prompt weeks, prompts sent
            assert len(tasks.prompts_due()) == 2 * size
        with django_assert_max_num_queries(3):  # the settings once per side, the writers
            assert len(tasks.writers_to_nudge()) == 2 * size
        with django_assert_max_num_queries(2):
            assert len(list(tasks.entries_to_remind())) == size
        with django_assert_max_num_queries(2):
            assert len(list(tasks.pairs_to_flag())) == size
