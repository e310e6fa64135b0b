"""The workspace page: who sees what, the partner, this week's prompt, fixed queries."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from matching.models import Match
from programs.models import Answer, Question, WeeklyPrompt
from tests.factories import UserFactory
from tests.journals.builders import active_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(coordinator):
    return active_match(coordinator)


def workspace_url(match):
    return reverse("journals:workspace", kwargs={"code": match.code})


def page(client, user, match):
    client.force_login(user)
    response = client.get(workspace_url(match))
    assert response.status_code == 200
    return response.content.decode()


def started(match, on):
    Match.objects.filter(pk=match.pk).update(started_on=on, ends_on=on + timedelta(weeks=10))


def test_it_says_plainly_who_sees_what(client, match):
    html = page(client, match.mentee.user, match)
    assert "Who sees what" in html
    assert "Messages are private to the two of you" in html
    assert "Coordinators see only how many there are and when" in html
    assert "Journal entries are read by your coordinator" in html
    assert "Each journal field says whether your partner sees it" in html


def test_the_mentee_sees_the_mentor_without_sensitive_answers(client, match):
    mona = match.mentor
    mona.department = "Finance"
    mona.save(update_fields=["department"])
    goals = Question.objects.get(program=match.program, role="mentor", label__icontains="goals")
    Answer.objects.filter(participant=mona, question=goals).update(value=["Build confidence"])
    Question.objects.filter(pk=goals.pk).update(sensitive=True)
    gender = Question.objects.get(program=match.program, role="mentor", label__icontains="gender")
    Answer.objects.update_or_create(
        participant=mona, question=gender, defaults={"value": "A non-binary person"}
    )
    html = page(client, match.mentee.user, match)
    assert "Your workspace with Mona Mentor" in html
    assert "Your mentor" in html and "Finance" in html
    assert "Negotiation" in html and "English" in html
    assert "America/Toronto" in html and "Their local time" in html
    assert "non-binary" not in html
    assert "Build confidence" not in html
    assert "Happy to share." not in html  # free text stays with the coordinators


def test_the_partner_local_time_is_in_their_zone(client, match):
    # 15:30 UTC is 10:30 in Toronto (winter) and 4:30 the next morning in Auckland (summer).
    with time_machine.travel(datetime(2027, 1, 12, 15, 30, tzinfo=UTC), tick=False):
        started(match, date(2027, 1, 4))
        assert "10:30 a.m." in page(client, match.mentee.user, match)
        assert "4:30 a.m." in page(client, match.mentor.user, match)


def test_a_coordinator_sees_both_people_and_the_management_panel(client, match, coordinator):
    html = page(client, coordinator, match)
    assert "Workspace of Mona Mentor and Mia Mentee" in html
    assert "you see only how many there are and when" in html
    assert "Pacific/Auckland" in html and "America/Toronto" in html
    assert "Extend the match" in html and "End the match now" in html


def test_a_participant_gets_a_link_to_end_the_match_early(client, match):
    html = page(client, match.mentor.user, match)
    assert reverse("journals:end_match", kwargs={"code": match.code}) in html
    assert "Extend the match" not in html


@pytest.mark.parametrize(("days", "week"), [(0, 1), (6, 1), (7, 2), (20, 3), (69, 10), (90, 10)])
def test_it_shows_the_week_and_its_prompt(client, match, days, week):
    WeeklyPrompt.objects.filter(program=match.program, week=week).update(
        activity="Draw a map of your network."
    )
    # 06:00 UTC is the same day in Auckland and in Toronto.
    with time_machine.travel(datetime(2027, 3, 1, 6, tzinfo=UTC) + timedelta(days=days)):
        started(match, date(2027, 3, 1))
        html = page(client, match.mentee.user, match)
    prompt = WeeklyPrompt.objects.get(program=match.program, week=week)
    assert f"Week {week} of 10" in html
    assert prompt.title.replace("'", "&#x27;") in html
    assert "Draw a map of your network." in html


def test_the_week_turns_at_midnight_in_the_viewer_zone(client, match):
    # Sunday 2027-03-07 12:30 UTC: already Monday 01:30 in Auckland, still Sunday in Toronto.
    with time_machine.travel(datetime(2027, 3, 7, 12, 30, tzinfo=UTC), tick=False):
        started(match, date(2027, 3, 1))
        assert "Week 2 of 10" in page(client, match.mentee.user, match)
        assert "Week 1 of 10" in page(client, match.mentor.user, match)


def test_an_ended_match_shows_the_read_only_banner(client, match):
    from matching import services as matching

    matching.end_match(match, by=match.mentor.user, reason="Moving abroad.")
    html = page(client, match.mentee.user, match)
    assert "This match has ended on" in html
    assert "what you shared stays readable" in html
    assert "End this match early" not in html


@pytest.mark.parametrize("who", ["stranger", "staff_viewer", "other_coordinator"])
def test_people_outside_the_match_get_404(client, match, request, who):
    client.force_login(request.getfixturevalue(who))
    for name in ("workspace", "prompts", "end_match"):
        url = reverse(f"journals:{name}", kwargs={"code": match.code})
        assert client.get(url).status_code == 404
    url = reverse("journals:extend_match", kwargs={"code": match.code})
    assert client.post(url, {"ends_on": "2099-01-01"}).status_code == 404


def test_a_signed_out_visitor_is_sent_to_log_in(client, match):
    assert client.get(workspace_url(match)).status_code == 302


def _fill(match, count):
    """Add `count` messages, meetings and journal entries, whichever parts exist."""
    from django.utils import timezone

    from journals.models import JournalEntry, Meeting, Message

    now = timezone.now()
    mona, mia = match.mentor, match.mentee
    Message.objects.bulk_create(
        Message(match=match, author=(mona, mia)[n % 2].user, body=f"Hello {n}")
        for n in range(count)
    )
    Meeting.objects.bulk_create(
        Meeting(
            match=match,
            uid=f"bulk-{match.pk}-{n}@test",
            proposed_by=mona.user,
            starts_at=now + timedelta(days=n - count // 2),
            duration=60,
            time_zone="America/Toronto",
            status=Meeting.Status.HELD if n < count // 2 else Meeting.Status.ACCEPTED,
            held_minutes=60 if n < count // 2 else None,
        )
        for n in range(count)
    )
    JournalEntry.objects.bulk_create(
        JournalEntry(
            match=match,
            author=(mona, mia)[n % 2],
            entry_date=now.date() - timedelta(days=n),
            discussed="We talked.",
            minutes=45,
            status=JournalEntry.Status.SUBMITTED,
            submitted_at=now,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [2, 40])
@pytest.mark.parametrize("viewer", ["mentee", "coordinator"])
def test_the_page_runs_a_fixed_number_of_queries(
    client, match, coordinator, count, viewer, django_assert_max_num_queries
):
    _fill(match, count)
    user = coordinator if viewer == "coordinator" else match.mentee.user
    client.force_login(user)
    # Session, user, navigation, the match with both people, the coordinator check,
    # the answers, this week's prompt, and at most 3 for each part's summary.
    with django_assert_max_num_queries(8 + 3 * 3):
        assert client.get(workspace_url(match)).status_code == 200


def test_the_page_survives_a_partner_with_an_unknown_zone(client, match):
    UserFactory._meta.model.objects.filter(pk=match.mentor.user_id).update(time_zone="Mars/Base")
    html = page(client, match.mentee.user, match)
    assert "Mona Mentor" in html
