"""A whole 10-week match driven by the clock alone: every periodic job runs twice at each
tick, as duplicate beat ticks would, and every notice still goes out exactly once, at the
right moment in each person's time zone."""

import zoneinfo
from collections import Counter
from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils.module_loading import import_string

from journals.services import journal as journal_services
from journals.services import meetings as meeting_services
from journals.services import messages as message_services
from matching.models import Match
from mentorship_site.mail.models import OutboundEmail
from mentorship_site.notifications.models import Notification
from programs.models import WeeklyPrompt
from tests.journals.builders import active_match

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.long]

UTC = zoneinfo.ZoneInfo("UTC")
TORONTO = zoneinfo.ZoneInfo("America/Toronto")
AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
# A Monday afternoon in Toronto, Tuesday morning in Auckland; the ten weeks cross
# Toronto's spring change of clocks (8 March) and Auckland's autumn one (5 April).
START = datetime(2026, 1, 12, 16, 0, tzinfo=UTC)
# Twice a day, at 08:00 and 20:00 UTC: 09:00 in Auckland (summer time), then 03:00 and
# 15:00 in Toronto (winter time), so each person's 08:00 falls between two ticks.
TICK = timedelta(hours=12)
BEAT_TASKS = [
    import_string(name)
    for name in sorted({entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()})
]


def run_the_clock():
    for _twice in range(2):
        for task in BEAT_TASKS:
            task()


def test_a_ten_week_match_runs_on_the_clock_and_each_notice_goes_out_once(coordinator):
    with time_machine.travel(START, tick=False) as traveller:
        match = active_match(coordinator)
        mona, mia = match.mentor.user, match.mentee.user
        # Mona, the mentor, writes nothing: she is nudged; Mia writes once, early.
        journal_services.save_entry(match, by=mia, discussed="Goals", minutes=30, submit=True)
        meeting = meeting_services.propose_meeting(
            match,
            by=mona,
            starts_at_local=datetime(2026, 1, 22, 19, 0),
            time_zone="America/Toronto",
            duration=60,
            agenda="Your first negotiation",
            video_url="https://meet.example.org/mona-mia",
        )
        meeting_services.accept_meeting(meeting, by=mia)
        mail.outbox.clear()

        now = datetime(2026, 1, 12, 20, 0, tzinfo=UTC)
        completed_at = None
        message_day = START.date() + timedelta(days=40)
        while now < START + timedelta(weeks=10, days=4):
            traveller.move_to(now)
            if now.date() == datetime(2026, 1, 23).date() and now.hour == 8:
                meeting.refresh_from_db()
                meeting_services.mark_meeting(meeting, by=mona, held=True, minutes=60)
            if now.date() == message_day and now.hour == 8:
                # A new activity ends the first quiet spell; silence starts another one.
                message_services.post_message(match, by=mia, body="Back from holiday!")
            run_the_clock()
            if completed_at is None and Match.objects.get(pk=match.pk).status == "completed":
                completed_at = now
            now += TICK

    match.refresh_from_db()
    notices = Notification.objects.all()
    kinds = Counter(notices.values_list("kind", "recipient_id"))

    # Weekly prompts: one per person per week that has a prompt, at 08:00 their time.
    weeks = set(WeeklyPrompt.objects.filter(program=match.program).values_list("week", flat=True))
    assert kinds["weekly_prompt", mona.pk] == kinds["weekly_prompt", mia.pk] == len(weeks) > 0
    for notice in notices.filter(kind="weekly_prompt"):
        zone = TORONTO if notice.recipient_id == mona.pk else AUCKLAND
        local = notice.created_at.astimezone(zone)
        week = int(notice.occasion.removeprefix("week-"))
        if week == 1:  # the match started on Tuesday morning in Auckland: the first tick
            assert local.date() <= match.started_on + timedelta(days=1) and local.hour >= 8
            continue
        # On the week's first day, at the first tick after 08:00 there.
        assert local.date() == match.started_on + timedelta(weeks=week - 1), notice.occasion
        assert 8 <= local.hour < 8 + TICK.seconds // 3600, (notice.occasion, local)

    # The meeting: one reminder each, within the 24 hours before it.
    assert kinds["meeting_reminder", mona.pk] == kinds["meeting_reminder", mia.pk] == 1
    for notice in notices.filter(kind="meeting_reminder"):
        assert timedelta(0) < meeting.starts_at - notice.created_at <= timedelta(hours=24)

    # The journal: Mona (no entry at all) is nudged once per quiet spell.
    assert kinds["journal_nudge", mona.pk] >= 1
    nudge = notices.filter(kind="journal_nudge", recipient=mona).order_by("created_at").first()
    assert nudge.created_at - START >= timedelta(days=match.program.journal_nudge_days)

    # The mid-cycle check-in in week 5, the closing survey after completion.
    invitations = notices.filter(kind="survey_invitation").order_by("created_at")
    assert invitations.count() == 4
    for notice in invitations[:2]:
        assert match.week_of(notice.created_at.date()) == 5
    for notice in invitations[2:]:
        assert notice.created_at >= completed_at

    # Quiet pairs: flagged to the coordinator once per quiet spell (two spells here).
    quiet = notices.filter(kind="quiet_pair", recipient=coordinator)
    assert quiet.count() == 2
    assert len(set(quiet.values_list("occasion", flat=True))) == 2

    # Completion on the day after the end date in Toronto, the last zone to get there.
    assert match.status == Match.Status.COMPLETED and match.ended_by is None
    assert completed_at.astimezone(TORONTO).date() == match.ends_on + timedelta(days=1)
    assert (completed_at - TICK).astimezone(TORONTO).date() <= match.ends_on
    assert kinds["match_completed", mona.pk] == kinds["match_completed", mia.pk] == 1

    # Exactly once: one queued email per notice sent by email, and no email twice.
    by_email = notices.filter(delivery="email", created_at__gt=START).count()
    assert OutboundEmail.objects.filter(created_at__gt=START).count() >= by_email
    sent = Counter((message.to[0], message.subject, message.body) for message in mail.outbox)
    assert max(sent.values()) == 1
    assert len(mail.outbox) == by_email
