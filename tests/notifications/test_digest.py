"""The weekly digest: on each person's Monday at 08:00, once a week, what they kept for it
and, for coordinators, what waits for them in their own programs."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from evaluation import digest
from journals.services import journal
from matching import services as matching
from matching.models import Match, MatchRequest
from mentorship_site.notifications import services as notifications
from mentorship_site.notifications.models import JobRun, Notification
from programs.models import Program
from tests.factories import UserFactory
from tests.journals.builders import active_match
from tests.matching.builders import make_ready
from tests.programs.builders import enrol

pytestmark = pytest.mark.django_db

# Monday 1 March 2027 (ISO week 9) at 08:00 in Tokyo and in Toronto (UTC-5 then).
TOKYO_MONDAY_8 = datetime(2027, 2, 28, 23, 0, tzinfo=UTC)
TORONTO_MONDAY_8 = datetime(2027, 3, 1, 13, 0, tzinfo=UTC)
ONE_MINUTE = timedelta(minutes=1)


def keep_for_digest(user, summary, *, link="/matching/requests/"):
    """Record a notice `user` chose to read in the digest."""
    return Notification.objects.create(
        kind="request_received",
        category="requests",
        recipient=user,
        about_type="accounts.user",
        about_id=user.pk,
        occasion=summary,
        delivery="digest",
        summary=summary,
        link=link,
    )


@pytest.fixture
def run_at(django_capture_on_commit_callbacks):
    """Run the scan at `moment`, `times` times, delivering the emails it queues."""

    def run(moment, times=1):
        with time_machine.travel(moment, tick=False):
            for _ in range(times):
                with django_capture_on_commit_callbacks(execute=True):
                    digest.send_weekly_digests.delay()

    return run


def digests_to(user):
    return [
        message
        for message in mail.outbox
        if message.to == [user.email] and "weekly digest" in message.subject
    ]


@pytest.fixture
def people():
    return (
        UserFactory(display_name="Taro Tokyo", time_zone="Asia/Tokyo"),
        UserFactory(display_name="Tina Toronto", time_zone="America/Toronto"),
    )


def test_each_person_gets_it_at_their_own_monday_8_once(people, settings, run_at):
    taro, tina = people
    # Last week's digests: Monday 22 February, 23:00 in Tokyo and 09:00 in Toronto.
    last_monday = datetime(2027, 2, 22, 14, 0, tzinfo=UTC)
    with time_machine.travel(last_monday - timedelta(days=1), tick=False):
        old = [keep_for_digest(taro, "Old news for Taro"), keep_for_digest(tina, "Old for Tina")]
    run_at(last_monday, times=2)
    assert [len(digests_to(taro)), len(digests_to(tina))] == [1, 1]
    assert "2027-W08" in digests_to(taro)[0].subject
    mail.outbox.clear()
    with time_machine.travel(datetime(2027, 2, 26, 9, 0, tzinfo=UTC), tick=False):
        for_taro = keep_for_digest(taro, "Mona would like to mentor you")
        for_tina = keep_for_digest(tina, "Max would like to mentor you")

    run_at(TOKYO_MONDAY_8 - ONE_MINUTE)
    assert mail.outbox == []
    run_at(TOKYO_MONDAY_8, times=2)
    (message,) = mail.outbox
    assert message.to == [taro.email]
    assert "2027-W09" in message.subject
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "Mona would like to mentor you" in body
        assert "Old news for Taro" not in body
    assert settings.SITE_URL.rstrip("/") + "/matching/requests/" in message.body

    run_at(TORONTO_MONDAY_8 - ONE_MINUTE)
    assert len(mail.outbox) == 1
    run_at(TORONTO_MONDAY_8, times=2)
    assert [len(digests_to(taro)), len(digests_to(tina))] == [1, 1]
    assert "Max would like to mentor you" in digests_to(tina)[0].body

    for notice in [*old, for_taro, for_tina]:
        notice.refresh_from_db()
        assert notice.digested_at is not None
    assert Notification.objects.filter(kind="weekly_digest").count() == 4


def test_it_waits_for_monday_and_does_not_go_out_later_in_the_week(people, run_at):
    taro, _tina = people
    with time_machine.travel(TOKYO_MONDAY_8 + timedelta(days=1), tick=False):
        kept = keep_for_digest(taro, "Arrived on Tuesday")
    for day in range(1, 7):  # Tuesday to Sunday in Tokyo
        run_at(TOKYO_MONDAY_8 + timedelta(days=day, hours=2))
    assert digests_to(taro) == []
    run_at(TOKYO_MONDAY_8 + timedelta(weeks=1))
    (message,) = digests_to(taro)
    assert "Arrived on Tuesday" in message.body
    kept.refresh_from_db()
    assert kept.digested_at is not None


def test_it_lists_the_notices_newest_first(people, run_at):
    taro, _tina = people
    with time_machine.travel(TOKYO_MONDAY_8 - timedelta(days=3), tick=False):
        keep_for_digest(taro, "The older notice")
    with time_machine.travel(TOKYO_MONDAY_8 - timedelta(days=1), tick=False):
        keep_for_digest(taro, "The newer notice")
    run_at(TOKYO_MONDAY_8)
    (message,) = digests_to(taro)
    assert message.body.index("The newer notice") < message.body.index("The older notice")


def test_nothing_is_sent_when_there_is_nothing_to_say(people, run_at):
    run_at(TORONTO_MONDAY_8)
    assert mail.outbox == []
    assert not Notification.objects.filter(kind="weekly_digest").exists()
    assert JobRun.objects.get(job="evaluation.digest.send_weekly_digests").handled == 0


def test_a_person_who_turned_the_digest_off_gets_none_and_nothing_is_marked(people, run_at):
    taro, _tina = people
    notifications.set_preference(taro, "digest", "off")
    with time_machine.travel(TOKYO_MONDAY_8 - timedelta(days=1), tick=False):
        notice = keep_for_digest(taro, "Mona would like to mentor you")
    run_at(TOKYO_MONDAY_8)
    digest.send_weekly_digest.delay(taro.pk, "2027-W09")  # even when asked directly
    assert digests_to(taro) == []
    notice.refresh_from_db()
    assert notice.digested_at is None


def test_the_digest_task_for_a_person_is_safe_to_run_twice(
    people, django_capture_on_commit_callbacks
):
    taro, _tina = people
    with time_machine.travel(TOKYO_MONDAY_8, tick=False):
        keep_for_digest(taro, "Mona would like to mentor you")
        with django_capture_on_commit_callbacks(execute=True):
            digest.send_weekly_digest.delay(taro.pk, "2027-W09")
        keep_for_digest(taro, "Arrived after the digest")
        with django_capture_on_commit_callbacks(execute=True):
            digest.send_weekly_digest.delay(taro.pk, "2027-W09")
    assert len(digests_to(taro)) == 1
    waiting = Notification.objects.waiting_for_digest().filter(recipient=taro)
    assert [notice.summary for notice in waiting] == ["Arrived after the digest"]


@pytest.mark.parametrize("size", [2, 30])
def test_the_scan_queries_a_fixed_number_of_times(
    people, monkeypatch, django_assert_max_num_queries, size
):
    for n in range(size):
        user = UserFactory(time_zone=["Asia/Tokyo", "Europe/Paris", "America/Toronto"][n % 3])
        keep_for_digest(user, f"Notice {n}")
    dispatched = []
    monkeypatch.setattr(digest.send_weekly_digest, "delay", lambda *args: dispatched.append(args))
    # The job's run record (insert, update), the zones, the quiet-pair settings in use,
    # then the people.
    with time_machine.travel(TORONTO_MONDAY_8, tick=False), django_assert_max_num_queries(5):
        digest.send_weekly_digests()
    assert len(dispatched) == size
    assert {week for _user, week in dispatched} == {"2027-W09"}


# --- coordinators -----------------------------------------------------------


BUILT_AT = datetime(2027, 2, 25, 12, 0, tzinfo=UTC)


def program_with_news(coordinator, *, quiet_names):
    """A program of `coordinator` with one of each: an entry to review, an application,
    a quiet pair (named `quiet_names`) and a request about to expire."""
    match = active_match(coordinator)
    program = match.program
    mentor, mentee = match.mentor.user, match.mentee.user
    mentor.display_name, mentee.display_name = quiet_names
    mentor.save()
    mentee.save()
    journal.save_entry(match, by=mentee, discussed="Negotiation", minutes=45, submit=True)
    asker = make_ready(program, UserFactory(display_name=f"Asker of {program.pk}"))
    giver = make_ready(
        program, UserFactory(display_name=f"Giver of {program.pk}"), role="mentor", capacity=2
    )
    request = matching.send_request(asker, giver, by=asker.user)
    Program.objects.filter(pk=program.pk).update(enrolment_mode="application")
    program.refresh_from_db()
    enrol(program, UserFactory(display_name=f"Applicant of {program.pk}"), role="mentee")
    return match, request


@pytest.fixture
def two_programs(coordinator, other_coordinator):
    with time_machine.travel(BUILT_AT, tick=False):
        mine = program_with_news(coordinator, quiet_names=("Mona Mentor", "Mia Mentee"))
        theirs = program_with_news(other_coordinator, quiet_names=("Nadia North", "Noah North"))
    for match, request in (mine, theirs):
        Match.objects.filter(pk=match.pk).update(
            last_activity_at=TORONTO_MONDAY_8 - timedelta(days=30)
        )
        MatchRequest.objects.filter(pk=request.pk).update(
            reply_due_at=TORONTO_MONDAY_8 + timedelta(hours=20)
        )
    mail.outbox.clear()
    return mine, theirs


def test_a_coordinator_reads_what_waits_in_their_own_programs_only(
    two_programs, coordinator, other_coordinator, run_at
):
    (match, request), (other_match, _other_request) = two_programs
    run_at(TORONTO_MONDAY_8, times=2)
    (message,) = digests_to(coordinator)
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "In " + match.program.name in body
        assert "1 journal entry waits for your review" in body
        assert "1 application waits for your decision" in body
        assert "Mona Mentor and Mia Mentee, nothing since" in body
        assert f"Asker of {match.program_id} and Giver of {match.program_id}" in body
        assert "Nadia North" not in body
        assert f"Asker of {other_match.program_id}" not in body
    assert str(match.code) in message.body  # the quiet pair's workspace
    assert str(match.program.code) in message.body  # the applications page
    (theirs,) = digests_to(other_coordinator)
    assert "Nadia North and Noah North" in theirs.body
    assert "Mona Mentor" not in theirs.body


def test_a_program_without_news_is_left_out(two_programs, coordinator, run_at):
    (match, request), _theirs = two_programs
    Match.objects.filter(pk=match.pk).update(last_activity_at=TORONTO_MONDAY_8)
    MatchRequest.objects.filter(pk=request.pk).update(
        reply_due_at=TORONTO_MONDAY_8 + timedelta(days=5)
    )
    run_at(TORONTO_MONDAY_8)
    (message,) = digests_to(coordinator)
    assert "gone quiet" not in message.body
    assert "about to expire" not in message.body
    assert "1 journal entry waits for your review" in message.body
