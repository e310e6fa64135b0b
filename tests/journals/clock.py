"""Helpers of the clock tests: travel, run a task as beat would (with its after-commit
email delivery), and read what was sent."""

from datetime import datetime

import time_machine
from django.core import mail

from journals.services import meetings as meeting_services
from mentorship_site.notifications.models import Notification


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def run(task, capture, *args):
    """Run `task` now, delivering its emails as after a real commit; return its result."""
    with capture(execute=True):
        return task(*args)


def sent_to(user, kind: str | None = None) -> list:
    """Return the emails `user` received (of `kind`, judged by the notification log)."""
    messages = [message for message in mail.outbox if message.to == [user.email]]
    if kind is None:
        return messages
    subjects = set(
        Notification.objects.filter(recipient=user, kind=kind).values_list("summary", flat=True)
    )
    return [message for message in messages if message.subject.split("] ", 1)[1] in subjects]


def accepted_meeting(match, starts_at_local: datetime, zone="Pacific/Auckland", **extra):
    """Mia proposes a meeting at a time of hers; Mona accepts."""
    fields = {"duration": 60, "video_url": "https://meet.example.org/mona-mia", **extra}
    meeting = meeting_services.propose_meeting(
        match, by=match.mentee.user, starts_at_local=starts_at_local, time_zone=zone, **fields
    )
    return meeting_services.accept_meeting(meeting, by=match.mentor.user)
