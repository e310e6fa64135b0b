"""The emails of the learning journal: the author hears about each review, writers are
nudged after a silence, coordinators are reminded of entries waiting for review.

Every email goes through `notify`, which sends each (kind, thing, recipient, occasion)
once, whatever the number of callbacks or task runs.
"""

from django.conf import settings
from django.urls import reverse

from mentorship_site.notifications.services import notify


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _journal_link(match) -> str:
    return _absolute(reverse("journals:journal", kwargs={"code": match.code}))


def _send_about(review_id: int, name: str) -> None:
    from journals.models import Review

    review = Review.objects.select_related(
        "reviewer", "entry__author__user", "entry__match__program"
    ).get(pk=review_id)
    entry = review.entry
    match = entry.match
    # One notice per review: reviewing and reopening each create their own Review row.
    notify(
        "journal_reviewed",
        recipient=entry.author.user,
        about=review,
        email=name,
        link=_journal_link(match),
        context={"review": review, "entry": entry, "program": match.program},
    )


def send_entry_reviewed(review_id: int) -> None:
    """Tell the author of a journal entry that a coordinator reviewed it, with the feedback."""
    _send_about(review_id, "journal_reviewed")


def send_entry_reopened(review_id: int) -> None:
    """Tell the author that a coordinator gave their entry back for changes, and why."""
    _send_about(review_id, "journal_reopened")


def send_journal_nudge(match, writer, *, silent_since, now) -> bool:
    """Remind `writer` (a user) that they have not submitted a journal entry since
    `silent_since`, once per silence: the occasion is the day it started."""
    notice = notify(
        "journal_nudge",
        recipient=writer,
        about=match,
        occasion=silent_since.date().isoformat(),
        email="journal_nudge",
        link=_journal_link(match),
        context={
            "match": match,
            "program": match.program,
            "partner": match.partner_of(writer).user,
            "silent_since": silent_since,
            "days": (now - silent_since).days,
            "first_entry": silent_since == match.started_at,
        },
    )
    return notice is not None


def send_review_reminder(entry, coordinator, *, now) -> bool:
    """Remind a coordinator of an entry waiting for review; once per submission (a
    resubmitted entry is a new occasion)."""
    match = entry.match
    notice = notify(
        "review_reminder",
        recipient=coordinator,
        about=entry,
        occasion=entry.submitted_at.isoformat(),
        email="review_reminder",
        link=_absolute(reverse("journals:entry_review", kwargs={"code": entry.code})),
        context={
            "entry": entry,
            "author": entry.author.user,
            "match": match,
            "program": match.program,
            "days": (now - entry.submitted_at).days,
        },
    )
    return notice is not None
