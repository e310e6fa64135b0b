"""The emails of the learning journal: the author hears about each review, after commit."""

from django.conf import settings
from django.urls import reverse

from mentorship_site.mail.compose import send_templated_email


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send_about(review_id: int, name: str) -> None:
    from journals.models import Review

    review = Review.objects.select_related(
        "reviewer", "entry__author__user", "entry__match__program"
    ).get(pk=review_id)
    entry = review.entry
    author = entry.author.user
    match = entry.match
    send_templated_email(
        name,
        to=author.email,
        language=author.preferred_language,
        context={
            "recipient": author,
            "review": review,
            "entry": entry,
            "program": match.program,
            "link": _absolute(reverse("journals:journal", kwargs={"code": match.code})),
        },
    )


def send_entry_reviewed(review_id: int) -> None:
    """Tell the author of a journal entry that a coordinator reviewed it, with the feedback."""
    _send_about(review_id, "journal_reviewed")


def send_entry_reopened(review_id: int) -> None:
    """Tell the author that a coordinator gave their entry back for changes, and why."""
    _send_about(review_id, "journal_reopened")
