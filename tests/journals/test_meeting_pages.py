"""The meeting pages: each person sees both local times, forms keep what was typed, and
nobody outside the pair and its coordinators sees anything."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from journals.models import Meeting
from journals.services import meetings as services
from matching import services as matching
from tests.journals.builders import active_match

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
STARTS_AT = datetime(2027, 4, 3, 21, 0, tzinfo=UTC)  # 4 April 09:00 in Auckland


@pytest.fixture
def match(coordinator):
    with time_machine.travel(NOW, tick=False):
        yield active_match(coordinator, agenda_required_hours=0)


def propose(match, *, at=datetime(2027, 4, 4, 9, 0), **extra):
    fields = {"duration": 60, "video_url": "https://meet.example.org/mona-mia", **extra}
    return services.propose_meeting(
        match, by=match.mentee.user, starts_at_local=at, time_zone="Pacific/Auckland", **fields
    )


def local(moment, zone: str) -> str:
    with timezone.override(zone):
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def list_url(match):
    return reverse("journals:meetings", kwargs={"code": match.code})


def url(name, meeting):
    return reverse(f"journals:{name}", kwargs={"code": meeting.code})


def form_data(**extra):
    return {
        "date": "2027-04-04",
        "time": "09:00",
        "time_zone": "Pacific/Auckland",
        "duration": "60",
        "agenda": "",
        "video_url": "https://meet.example.org/mona-mia",
        "place": "",
        **extra,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("person", "own_zone", "partner_zone"),
    [("mentee", "Pacific/Auckland", "America/Toronto"), ("mentor", "America/Toronto", None)],
)
def test_each_person_sees_their_own_time_and_the_partners(
    client, match, person, own_zone, partner_zone
):
    partner_zone = partner_zone or "Pacific/Auckland"
    meeting = propose(match)
    client.force_login(getattr(match, person).user)
    for page in (list_url(match), url("meeting", meeting)):
        html = client.get(page).content.decode()
        assert local(STARTS_AT, own_zone) in html
        assert local(STARTS_AT, partner_zone) in html
        assert f"your time, {own_zone}" in html
    # Mia reads Sunday 9:00; Mona reads Saturday 17:00.
    assert local(STARTS_AT, "Pacific/Auckland").startswith("April 4, 2027, 9")
    assert local(STARTS_AT, "America/Toronto").startswith("April 3, 2027, 5")


@pytest.mark.django_db
def test_the_propose_form_starts_in_the_persons_own_zone(client, match):
    client.force_login(match.mentor.user)
    form = client.get(list_url(match)).context["form"]
    assert form.initial["time_zone"] == "America/Toronto"


@pytest.mark.django_db
def test_a_meeting_is_proposed_from_the_form(client, match, django_capture_on_commit_callbacks):
    client.force_login(match.mentee.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(list_url(match), form_data(agenda="Salary talks"))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == url("meeting", meeting)
    assert (meeting.starts_at, meeting.agenda) == (STARTS_AT, "Salary talks")


@pytest.mark.django_db
def test_a_time_that_does_not_exist_is_shown_next_to_the_time_field(client, match):
    client.force_login(match.mentor.user)
    data = form_data(
        date="2027-03-14", time="02:30", time_zone="America/Toronto", agenda="Kept as typed"
    )
    response = client.post(list_url(match), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "does not exist in America/Toronto" in form.errors["time"][0]
    assert "Kept as typed" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://files.example.org/x"])
def test_a_non_http_video_link_is_refused_by_the_form(client, match, link):
    client.force_login(match.mentee.user)
    response = client.post(list_url(match), form_data(video_url=link))
    assert response.status_code == 200
    assert "video_url" in response.context["form"].errors
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_past_time_is_refused_by_the_form(client, match):
    client.force_login(match.mentee.user)
    response = client.post(list_url(match), form_data(date="2027-02-01"))
    assert "has passed" in response.context["form"].errors["date"][0]


@pytest.mark.django_db
def test_html_in_the_agenda_is_shown_as_text(client, match):
    meeting = propose(match, agenda="<script>alert('x')</script><b>bold</b>")
    client.force_login(match.mentor.user)
    for page in (list_url(match), url("meeting", meeting)):
        html = client.get(page).content.decode()
        assert "<script>alert" not in html
        assert "&lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.django_db
def test_the_other_person_accepts_with_a_button(client, match):
    meeting = propose(match)
    client.force_login(match.mentor.user)
    page = client.get(url("meeting", meeting))
    assert page.context["awaits_me"]
    response = client.post(url("meeting_accept", meeting), follow=True)
    assert "You accepted the meeting" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ACCEPTED


@pytest.mark.django_db
def test_the_proposer_is_not_offered_to_accept_and_is_refused_with_a_message(client, match):
    meeting = propose(match)
    client.force_login(match.mentee.user)
    assert not client.get(url("meeting", meeting)).context["awaits_me"]
    response = client.post(url("meeting_accept", meeting), follow=True)
    assert response.status_code == 200
    assert "the other person answers" in response.content.decode()


@pytest.mark.django_db
def test_a_reschedule_to_the_same_time_re_renders_the_form(client, match):
    meeting = propose(match)
    client.force_login(match.mentor.user)
    response = client.post(
        url("meeting_reschedule", meeting),
        {"date": "2027-04-03", "time": "17:00", "time_zone": "America/Toronto", "duration": "60"},
    )
    assert response.status_code == 200
    errors = response.context["reschedule_form"].errors
    assert errors["time"] == ["This is the current time of the meeting: choose a new time."]


@pytest.mark.django_db
def test_a_reschedule_proposes_the_new_time(client, match):
    meeting = propose(match)
    client.force_login(match.mentor.user)
    response = client.post(
        url("meeting_reschedule", meeting),
        {"date": "2027-04-03", "time": "18:00", "time_zone": "America/Toronto", "duration": "30"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.duration) == (STARTS_AT + timedelta(hours=1), 30)
    assert meeting.proposed_by == match.mentor.user


@pytest.mark.django_db
def test_a_cancellation_without_a_reason_keeps_the_form(client, match):
    meeting = propose(match)
    client.force_login(match.mentor.user)
    response = client.post(url("meeting_cancel", meeting), {"reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["cancel_form"].errors
    response = client.post(url("meeting_cancel", meeting), {"reason": "Ill"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


@pytest.mark.django_db
def test_a_decline_carries_the_reason(client, match):
    meeting = propose(match)
    client.force_login(match.mentor.user)
    client.post(url("meeting_decline", meeting), {"reason": "Too early"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.reason) == (Meeting.Status.DECLINED, "Too early")


@pytest.mark.django_db
def test_the_agenda_is_edited_on_the_meeting_page(client, match):
    meeting = propose(match)
    client.force_login(match.mentor.user)
    client.post(url("meeting_agenda", meeting), {"agenda": "Pricing"})
    meeting.refresh_from_db()
    assert (meeting.agenda, meeting.sequence) == ("Pricing", 1)


@pytest.mark.django_db
def test_a_started_meeting_offers_only_to_record_it(client, match):
    meeting = services.accept_meeting(propose(match), by=match.mentor.user)
    with time_machine.travel(meeting.ends_at + timedelta(minutes=5), tick=False):
        client.force_login(match.mentee.user)  # a session from a month before has expired
        assert client.get(url("meeting", meeting)).context["actions"] == {"mark"}
        bad = client.post(url("meeting_mark", meeting), {"outcome": "held", "minutes": "2"})
        assert "minutes" in bad.context["mark_form"].errors
        client.post(url("meeting_mark", meeting), {"outcome": "held", "minutes": ""})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_minutes) == (Meeting.Status.HELD, 60)


@pytest.mark.django_db
def test_coordinators_read_without_forms(client, match, coordinator):
    meeting = propose(match)
    client.force_login(coordinator)
    response = client.get(list_url(match))
    assert response.status_code == 200
    assert response.context["form"] is None
    html = response.content.decode()
    assert local(STARTS_AT, "Pacific/Auckland") in html
    assert local(STARTS_AT, "America/Toronto") in html
    detail = client.get(url("meeting", meeting))
    assert detail.context["actions"] == set()
    assert client.get(url("meeting_ics", meeting)).status_code == 200
    refused = client.post(url("meeting_accept", meeting), follow=True)
    assert "Only the two people of the match can do this." in refused.content.decode()
    refused = client.post(list_url(match), form_data(), follow=True)
    assert "Only the two people of the match can do this." in refused.content.decode()


@pytest.mark.django_db
def test_strangers_get_404(client, match, stranger):
    meeting = propose(match)
    client.force_login(stranger)
    assert client.get(list_url(match)).status_code == 404
    assert client.post(list_url(match), form_data()).status_code == 404
    for name in ("meeting", "meeting_ics"):
        assert client.get(url(name, meeting)).status_code == 404
    for name in ("meeting_accept", "meeting_decline", "meeting_cancel", "meeting_mark"):
        assert client.post(url(name, meeting), {"reason": "x"}).status_code == 404


@pytest.mark.django_db
def test_an_ended_match_is_read_only_with_a_message(client, match):
    meeting = propose(match)
    matching.end_match(match, by=match.mentor.user, reason="Moving abroad.")
    client.force_login(match.mentor.user)
    page = client.get(list_url(match))
    assert page.context["form"] is None
    assert "This match has ended." in page.content.decode()
    assert client.get(url("meeting", meeting)).context["actions"] == set()
    for name, data in (("meeting_accept", {}), ("meeting_cancel", {"reason": "Over"})):
        response = client.post(url(name, meeting), data, follow=True)
        assert response.status_code == 200
        assert "This match has ended." in response.content.decode()
    response = client.post(list_url(match), form_data(), follow=True)
    assert "This match has ended." in response.content.decode()


@pytest.mark.django_db
def test_the_calendar_file_downloads(client, match):
    meeting = propose(match)
    client.force_login(match.mentor.user)
    response = client.get(url("meeting_ics", meeting))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="meeting.ics"' in response["Content-Disposition"]
    assert b"METHOD:PUBLISH" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 8])
def test_the_meetings_list_runs_a_fixed_number_of_queries(
    client, match, size, django_assert_max_num_queries
):
    for day in range(size):
        meeting = propose(match, at=datetime(2027, 3, 5 + day, 9, 0))
        if day % 2:
            with time_machine.travel(meeting.ends_at, tick=False):
                services.mark_meeting(meeting, by=match.mentor.user, held=True)
    client.force_login(match.mentee.user)
    with django_assert_max_num_queries(5):
        assert client.get(list_url(match)).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(url("meeting", meeting)).status_code == 200


@pytest.mark.django_db
def test_the_workspace_summary_takes_two_queries(match, django_assert_num_queries):
    from journals.access import Workspace
    from journals.views.meetings import summary_context

    first = propose(match)
    propose(match, at=datetime(2027, 4, 10, 9, 0))
    with time_machine.travel(first.ends_at, tick=False):
        services.mark_meeting(first, by=match.mentor.user, held=True, minutes=40)
    workspace = Workspace(match=match, side="mentee")
    with django_assert_num_queries(2):
        summary = summary_context(workspace)
    assert summary["meetings_next"].starts_at == datetime(2027, 4, 9, 21, 0, tzinfo=UTC)
    assert (summary["meetings_held_count"], summary["meetings_held_minutes"]) == (1, 40)
