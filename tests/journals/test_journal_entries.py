"""Writing journal entries: who writes, drafts and submissions, sharing, ended matches."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from journals.errors import JournalError
from journals.models import JournalEntry, Meeting
from journals.services import journal as services
from matching import services as matching
from tests.journals.builders import active_match

Status = JournalEntry.Status


def held_meeting(match, minutes=60, days_ago=1):
    return Meeting.objects.create(
        match=match,
        proposed_by=match.mentor.user,
        starts_at=timezone.now() - timedelta(days=days_ago),
        duration=60,
        time_zone="UTC",
        status=Meeting.Status.HELD,
        held_minutes=minutes,
    )


def submit(match, person, **fields):
    values = {"discussed": "Salary talks", "minutes": 45, **fields}
    return services.save_entry(match, by=person.user, submit=True, **values)


@pytest.fixture
def match(coordinator):
    return active_match(coordinator)


# --- who writes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("writers", "mentor_may", "mentee_may"),
    [("both", True, True), ("mentor", True, False), ("mentee", False, True)],
)
def test_it_lets_only_the_roles_the_program_names_write(
    coordinator, writers, mentor_may, mentee_may
):
    match = active_match(coordinator, journal_writers=writers)
    for person, allowed in ((match.mentor, mentor_may), (match.mentee, mentee_may)):
        if allowed:
            assert submit(match, person).status == Status.SUBMITTED
        else:
            with pytest.raises(JournalError, match="write the learning journal"):
                submit(match, person)


def test_it_refuses_a_coordinator_or_a_stranger_as_author(match, coordinator, stranger):
    for user in (coordinator, stranger):
        with pytest.raises(JournalError, match="Only the two people"):
            services.save_entry(match, by=user, discussed="x", minutes=30, submit=True)


def test_a_mentee_in_a_mentor_written_journal_sees_no_new_entry_link(client, coordinator):
    match = active_match(coordinator, journal_writers="mentor")
    client.force_login(match.mentee.user)
    page = client.get(reverse("journals:journal", kwargs={"code": match.code}))
    assert reverse("journals:entry_new", kwargs={"code": match.code}) not in page.content.decode()
    response = client.get(reverse("journals:entry_new", kwargs={"code": match.code}), follow=True)
    assert "mentors write the learning journal" in response.content.decode()


# --- drafts and submissions --------------------------------------------------------------


def test_a_draft_may_be_incomplete(match):
    entry = services.save_entry(match, by=match.mentee.user, submit=False)
    assert entry.status == Status.DRAFT
    assert entry.minutes is None and entry.discussed == ""
    assert entry.submitted_at is None


@pytest.mark.parametrize("minutes", [4, 601])
def test_it_refuses_minutes_out_of_range_even_in_a_draft(match, minutes):
    for as_submission in (False, True):
        with pytest.raises(JournalError, match="between 5 and 600") as refused:
            services.save_entry(
                match, by=match.mentee.user, discussed="x", minutes=minutes, submit=as_submission
            )
        assert refused.value.field == "minutes"


def test_a_submission_needs_what_was_discussed_and_the_minutes(match):
    with pytest.raises(JournalError, match="what you discussed") as refused:
        services.save_entry(match, by=match.mentee.user, minutes=30, submit=True)
    assert refused.value.field == "discussed"
    with pytest.raises(JournalError, match="how many minutes") as refused:
        services.save_entry(match, by=match.mentee.user, discussed="x", submit=True)
    assert refused.value.field == "minutes"


def test_a_submission_refuses_a_future_date_or_one_before_the_match(match):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(JournalError, match="in the future"):
        submit(match, match.mentee, entry_date=tomorrow)
    with pytest.raises(JournalError, match="before the match started"):
        submit(match, match.mentee, entry_date=match.started_on - timedelta(days=1))
    # A draft may be written ahead of the session.
    draft = services.save_entry(match, by=match.mentee.user, entry_date=tomorrow)
    assert draft.entry_date == tomorrow


def test_submitting_records_the_moment(match):
    entry = submit(match, match.mentee)
    assert entry.status == Status.SUBMITTED
    assert entry.submitted_at is not None


def test_a_submitted_entry_cannot_be_changed_until_reviewed_and_reopened(match):
    entry = submit(match, match.mentee)
    with pytest.raises(JournalError, match="waiting for review"):
        services.save_entry(match, by=match.mentee.user, entry=entry, discussed="new")


def test_only_its_author_changes_an_entry(match):
    draft = services.save_entry(match, by=match.mentee.user, discussed="mine")
    with pytest.raises(JournalError, match="Only the person who wrote"):
        services.save_entry(match, by=match.mentor.user, entry=draft, discussed="theirs")


def test_the_meeting_must_be_a_held_meeting_of_this_match_not_written_about_yet(match, coordinator):
    meeting = held_meeting(match)
    submit(match, match.mentee, meeting=meeting)
    with pytest.raises(JournalError, match="already wrote an entry about this meeting"):
        submit(match, match.mentee, meeting=meeting)
    # The partner may write about it too.
    assert submit(match, match.mentor, meeting=meeting).meeting == meeting
    planned = held_meeting(match)
    Meeting.objects.filter(pk=planned.pk).update(status=Meeting.Status.ACCEPTED, held_minutes=None)
    planned.refresh_from_db()
    with pytest.raises(JournalError, match="was held"):
        submit(match, match.mentee, meeting=planned)
    other = active_match(coordinator)
    with pytest.raises(JournalError, match="was held"):
        submit(match, match.mentee, meeting=held_meeting(other))


# --- the pages ---------------------------------------------------------------------------


def test_the_form_saves_a_draft_then_submits_it(client, match):
    client.force_login(match.mentee.user)
    meeting = held_meeting(match, minutes=50)
    url = reverse("journals:entry_new", kwargs={"code": match.code})
    form = client.get(url)
    assert f'value="{meeting.pk}"' in form.content.decode()
    data = {
        "meeting": meeting.pk,
        "entry_date": timezone.localdate().isoformat(),
        "minutes": "50",
        "discussed": "Negotiation",
        "share_discussed": "on",
        "observations": "Nervous",
        "action": "draft",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.status == Status.DRAFT and not entry.share_observations
    edit = reverse("journals:entry_edit", kwargs={"code": entry.code})
    assert client.post(edit, {**data, "action": "submit"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED


def test_a_refused_submission_keeps_what_was_typed(client, match):
    client.force_login(match.mentee.user)
    url = reverse("journals:entry_new", kwargs={"code": match.code})
    response = client.post(
        url,
        {
            "entry_date": timezone.localdate().isoformat(),
            "minutes": "601",
            "discussed": "Kept words",
            "observations": "Also kept",
            "action": "submit",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "between 5 and 600" in page
    assert "Kept words" in page and "Also kept" in page and 'value="601"' in page
    assert not JournalEntry.objects.exists()


def test_html_in_an_entry_is_shown_as_text(client, match):
    submit(match, match.mentee, discussed="<script>alert(1)</script>")
    for user in (match.mentee.user, match.mentor.user):
        client.force_login(user)
        page = client.get(reverse("journals:journal", kwargs={"code": match.code})).content
        assert b"<script>alert(1)</script>" not in page
        assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_partner_never_sees_the_private_fields(client, match):
    submit(
        match,
        match.mentee,
        discussed="SHARED-DISCUSSED",
        next_topics="PRIVATE-TOPICS",
        observations="PRIVATE-OBSERVATIONS",
        share_next_topics=False,
        share_observations=False,
    )
    services.save_entry(match, by=match.mentee.user, discussed="DRAFT-TEXT")
    client.force_login(match.mentor.user)
    page = client.get(reverse("journals:journal", kwargs={"code": match.code})).content.decode()
    assert "SHARED-DISCUSSED" in page
    assert "PRIVATE-TOPICS" not in page
    assert "PRIVATE-OBSERVATIONS" not in page
    assert "DRAFT-TEXT" not in page
    client.force_login(match.mentee.user)
    own = client.get(reverse("journals:journal", kwargs={"code": match.code})).content.decode()
    assert "PRIVATE-OBSERVATIONS" in own and "DRAFT-TEXT" in own


def test_the_workspace_summary_hides_private_fields_too(match):
    from journals.access import Workspace
    from journals.views.journal import summary_context

    submit(match, match.mentee, discussed="PRIVATE", share_discussed=False)
    summary = summary_context(Workspace(match=match, side="mentor"))
    (shown,) = summary["journal_latest"]
    assert shown.discussed is None and shown.observations is None


# --- an ended match ----------------------------------------------------------------------


def test_an_ended_match_refuses_writing_with_a_message(client, match):
    draft = services.save_entry(match, by=match.mentee.user, discussed="before")
    matching.end_match(match, by=match.mentor.user, reason="Moving away")
    with pytest.raises(JournalError, match="This match has ended."):
        services.save_entry(match, by=match.mentee.user, discussed="x", minutes=30, submit=True)
    client.force_login(match.mentee.user)
    journal = client.get(reverse("journals:journal", kwargs={"code": match.code}))
    assert "This match has ended." in journal.content.decode()
    assert "before" in journal.content.decode()
    for url in (
        reverse("journals:entry_new", kwargs={"code": match.code}),
        reverse("journals:entry_edit", kwargs={"code": draft.code}),
    ):
        response = client.post(url, {"discussed": "x", "action": "submit"}, follow=True)
        assert response.status_code == 200
        assert "This match has ended." in response.content.decode()
    assert JournalEntry.objects.get().discussed == "before"


# --- query counts ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 12])
def test_the_journal_page_runs_a_fixed_number_of_queries(
    client, coordinator, match, django_assert_max_num_queries, size
):
    for number in range(size):
        meeting = held_meeting(match, days_ago=number + 1)
        entry = submit(match, match.mentee, meeting=meeting)
        submit(match, match.mentor, meeting=meeting)
        services.review_entry(entry, by=coordinator, feedback="Good")
    for user in (match.mentee.user, coordinator):
        client.force_login(user)
        with django_assert_max_num_queries(10):
            response = client.get(reverse("journals:journal", kwargs={"code": match.code}))
        assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_the_workspace_summary_runs_three_queries(match, django_assert_num_queries, size):
    from journals.access import Workspace
    from journals.views.journal import summary_context

    for _number in range(size):
        submit(match, match.mentee)
        held_meeting(match)
    workspace = Workspace(match=match, side="mentor")
    with django_assert_num_queries(3):
        summary_context(workspace)


def test_an_entry_can_be_dated_on_the_first_day_in_the_authors_own_zone(coordinator):
    """A match started just after midnight UTC began the day before in Toronto."""
    with time_machine.travel(datetime(2026, 11, 26, 0, 30, tzinfo=UTC), tick=False):
        match = active_match(coordinator)
        mona = match.mentor.user  # America/Toronto: still 25 November, 19:30
        entry = services.save_entry(
            match,
            by=mona,
            entry_date=datetime(2026, 11, 25).date(),
            discussed="First hello.",
            minutes=15,
            submit=True,
        )
    assert entry.status == "submitted"
