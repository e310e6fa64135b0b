"""Coordinators' reviews: who may review, locking, reopening, emails, and the queue."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from journals.errors import JournalError
from journals.models import JournalEntry, Review
from journals.services import journal as services
from tests.journals.builders import active_match
from tests.journals.test_journal_entries import submit

Status = JournalEntry.Status


@pytest.fixture
def match(coordinator):
    return active_match(coordinator)


@pytest.fixture
def entry(match):
    return submit(match, match.mentee, discussed="Negotiation")


def html_of(message) -> str:
    (content, mimetype), *_others = message.alternatives
    assert mimetype == "text/html"
    return content


# --- who reviews -------------------------------------------------------------------------


def test_a_coordinator_of_another_program_gets_404(client, entry, other_coordinator):
    client.force_login(other_coordinator)
    url = reverse("journals:entry_review", kwargs={"code": entry.code})
    assert client.get(url).status_code == 404
    assert client.post(url, {"feedback": "Sneaky"}).status_code == 404
    with pytest.raises(JournalError, match="coordinators"):
        services.review_entry(entry, by=other_coordinator, feedback="Sneaky")
    assert not Review.objects.exists()


def test_a_participant_cannot_review(client, entry, match):
    for user in (match.mentee.user, match.mentor.user):
        client.force_login(user)
        url = reverse("journals:entry_review", kwargs={"code": entry.code})
        assert client.post(url, {"feedback": "Self-praise"}).status_code == 404
        with pytest.raises(JournalError):
            services.review_entry(entry, by=user, feedback="Self-praise")
    assert not Review.objects.exists()


def test_a_draft_cannot_be_reviewed(match, coordinator, client):
    draft = services.save_entry(match, by=match.mentee.user, discussed="Not yet")
    with pytest.raises(JournalError, match="not waiting for review: it is draft"):
        services.review_entry(draft, by=coordinator, feedback="Hm")
    client.force_login(coordinator)
    assert (
        client.get(reverse("journals:entry_review", kwargs={"code": draft.code})).status_code == 404
    )


def test_feedback_is_required_and_kept_when_refused(client, entry, coordinator):
    client.force_login(coordinator)
    url = reverse("journals:entry_review", kwargs={"code": entry.code})
    response = client.post(url, {"feedback": "   "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED


# --- locking, reopening, history ---------------------------------------------------------


def test_a_reviewed_entry_is_locked_and_reopening_lets_the_author_edit(
    match, entry, coordinator, client
):
    services.review_entry(entry, by=coordinator, feedback="Good start")
    entry.refresh_from_db()
    assert entry.status == Status.REVIEWED and entry.reviewed_at is not None
    with pytest.raises(JournalError, match="This entry was reviewed: it is locked."):
        services.save_entry(match, by=match.mentee.user, entry=entry, discussed="Changed")
    client.force_login(match.mentee.user)
    edit = reverse("journals:entry_edit", kwargs={"code": entry.code})
    response = client.get(edit, follow=True)
    assert "This entry was reviewed: it is locked." in response.content.decode()

    services.reopen_entry(entry, by=coordinator, note="Add what you will try next")
    entry.refresh_from_db()
    assert entry.status == Status.REOPENED
    assert client.get(edit).status_code == 200
    changed = submit(match, match.mentee, entry=entry, discussed="Changed", next_topics="Try")
    assert changed.status == Status.SUBMITTED and changed.discussed == "Changed"

    services.review_entry(changed, by=coordinator, feedback="Better")
    history = list(Review.objects.filter(entry=entry).values_list("action", "feedback"))
    assert history == [
        ("reviewed", "Good start"),
        ("reopened", "Add what you will try next"),
        ("reviewed", "Better"),
    ]


def test_only_reviewed_entries_are_reopened(entry, coordinator):
    with pytest.raises(JournalError, match="Only reviewed entries can be reopened"):
        services.reopen_entry(entry, by=coordinator, note="Why")


def test_reviewing_twice_is_refused_naming_the_state(entry, coordinator):
    services.review_entry(entry, by=coordinator, feedback="Once")
    with pytest.raises(JournalError, match="it is reviewed"):
        services.review_entry(entry, by=coordinator, feedback="Twice")
    assert Review.objects.count() == 1


def test_the_reopen_url_takes_posts_only(client, entry, coordinator):
    client.force_login(coordinator)
    url = reverse("journals:entry_reopen", kwargs={"code": entry.code})
    assert client.get(url).status_code == 405


# --- emails ------------------------------------------------------------------------------


def test_the_author_is_emailed_on_review_with_text_and_html(
    match, entry, coordinator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_entry(entry, by=coordinator, feedback="Lovely <b>work</b>")
    (message,) = mail.outbox
    assert message.to == [match.mentee.user.email]
    link = settings.SITE_URL.rstrip("/") + reverse("journals:journal", kwargs={"code": match.code})
    assert "Lovely <b>work</b>" in message.body and link in message.body
    html = html_of(message)
    assert "Lovely &lt;b&gt;work&lt;/b&gt;" in html and link in html
    assert "Feedback on your journal entry" in message.subject


def test_the_author_is_emailed_on_reopening(
    match, entry, coordinator, django_capture_on_commit_callbacks
):
    services.review_entry(entry, by=coordinator, feedback="Fine")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reopen_entry(entry, by=coordinator, note="Add the date of the next call")
    (message,) = mail.outbox
    assert message.to == [match.mentee.user.email]
    assert "Add the date of the next call" in message.body
    assert "Add the date of the next call" in html_of(message)


# --- feedback is the author's ------------------------------------------------------------


def test_the_partner_does_not_see_the_feedback_on_the_others_entry(
    client, match, entry, coordinator
):
    services.review_entry(entry, by=coordinator, feedback="SECRET-FEEDBACK")
    url = reverse("journals:journal", kwargs={"code": match.code})
    client.force_login(match.mentor.user)
    assert "SECRET-FEEDBACK" not in client.get(url).content.decode()
    client.force_login(match.mentee.user)
    assert "SECRET-FEEDBACK" in client.get(url).content.decode()
    client.force_login(coordinator)
    assert "SECRET-FEEDBACK" in client.get(url).content.decode()


def test_a_coordinator_reviews_from_the_journal_page(client, match, entry, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("journals:journal", kwargs={"code": match.code})).content.decode()
    assert reverse("journals:entry_review", kwargs={"code": entry.code}) in page
    response = client.post(
        reverse("journals:entry_review", kwargs={"code": entry.code}), {"feedback": "Well done"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.REVIEWED
