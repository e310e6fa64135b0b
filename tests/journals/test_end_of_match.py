"""The end of a match: ended early by one of the pair or a coordinator, or extended."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from matching.models import Match, MatchEvent
from programs.models import Participant
from tests.journals.builders import active_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(coordinator):
    return active_match(coordinator)


def url(name, match):
    return reverse(f"journals:{name}", kwargs={"code": match.code})


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


def test_the_confirmation_page_asks_for_a_reason_and_changes_nothing(client, match):
    client.force_login(match.mentee.user)
    response = client.get(url("end_match", match))
    assert response.status_code == 200
    html = response.content.decode()
    assert "End this match early" in html and 'name="reason"' in html
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE


def test_a_participant_ends_the_match_early(client, match, django_capture_on_commit_callbacks):
    client.force_login(match.mentee.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("end_match", match), {"reason": "My role changed."}, follow=True)
    assert response.redirect_chain[-1][0] == url("workspace", match)
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED
    assert match.ended_by == match.mentee.user and match.end_reason == "My role changed."
    assert MatchEvent.objects.filter(match=match, action="ended").count() == 1
    # Both places are freed: the mentee can be matched again, the mentor has a place back.
    mentor, mentee = (Participant.objects.get(pk=p) for p in (match.mentor_id, match.mentee_id))
    assert mentee.state == Participant.State.READY and mentee.active_matches == 0
    assert mentor.state == Participant.State.READY and mentor.active_matches == 0
    # Only the partner is told.
    assert [m.to for m in mail.outbox] == [[match.mentor.user.email]]
    assert "has ended" in mail.outbox[0].subject
    assert "My role changed." in mail.outbox[0].body
    html = response.content.decode()
    assert "This match has ended on" in html and "what you shared stays readable" in html


def test_a_coordinator_ends_the_match_and_both_are_told(
    client, match, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("end_match", match), {"reason": "The mentor left the company."})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED and match.ended_by == coordinator
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [match.mentor.user.email, match.mentee.user.email]
    )


@pytest.mark.parametrize("reason", ["", "   ", "x" * (Match.REASON_MAX + 1)])
def test_a_missing_or_long_reason_is_refused_and_what_was_typed_kept(client, match, reason):
    client.force_login(match.mentor.user)
    response = client.post(url("end_match", match), {"reason": reason})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    if reason.strip():
        assert reason in response.content.decode()
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE
    assert not MatchEvent.objects.filter(match=match).exists()  # nothing done, no one told


def test_a_coordinator_extends_within_the_limit(
    client, match, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    new_end = match.ends_on + timedelta(weeks=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("extend_match", match), {"ends_on": new_end.isoformat(), "reason": "Holidays."}
        )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.ends_on == new_end and match.status == Match.Status.ACTIVE
    assert "Holidays." in MatchEvent.objects.get(match=match, action="extended").note
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("extra_days", [4 * 7 + 1, 365])
def test_an_extension_beyond_the_limit_is_refused_with_the_latest_date(
    client, match, coordinator, extra_days
):
    client.force_login(coordinator)
    before = match.ends_on
    response = client.post(
        url("extend_match", match),
        {"ends_on": (before + timedelta(days=extra_days)).isoformat()},
        follow=True,
    )
    assert response.status_code == 200
    (message,) = page_messages(response)
    assert "extensions up to" in message
    match.refresh_from_db()
    assert match.ends_on == before
    assert not MatchEvent.objects.filter(match=match).exists()


@pytest.mark.parametrize("ends_on", ["", "not a date", "2020-01-01"])
def test_a_bad_extension_date_is_a_message_not_an_error_page(client, match, coordinator, ends_on):
    client.force_login(coordinator)
    response = client.post(url("extend_match", match), {"ends_on": ends_on}, follow=True)
    assert response.status_code == 200
    assert page_messages(response)
    match.refresh_from_db()
    assert match.ends_on == Match.end_date(match.program, match.started_on)


def test_a_participant_cannot_extend(client, match):
    client.force_login(match.mentee.user)
    new_end = match.ends_on + timedelta(weeks=1)
    response = client.post(
        url("extend_match", match), {"ends_on": new_end.isoformat()}, follow=True
    )
    assert "coordinators" in page_messages(response)[0]
    match.refresh_from_db()
    assert match.ends_on != new_end


def test_extending_is_post_only(client, match, coordinator):
    client.force_login(coordinator)
    assert client.get(url("extend_match", match)).status_code == 405


@pytest.mark.parametrize("who", ["mentor", "coordinator"])
def test_an_ended_match_refuses_end_and_extend_with_a_message(client, match, coordinator, who):
    from matching import services as matching

    matching.end_match(match, by=match.mentee.user, reason="Done.")
    client.force_login(coordinator if who == "coordinator" else match.mentor.user)
    for response in (
        client.get(url("end_match", match), follow=True),
        client.post(url("end_match", match), {"reason": "Again"}, follow=True),
        client.post(
            url("extend_match", match),
            {"ends_on": (match.ends_on + timedelta(days=7)).isoformat()},
            follow=True,
        ),
    ):
        assert response.status_code == 200
        assert "This match has ended." in page_messages(response)
    match.refresh_from_db()
    assert match.end_reason == "Done."
    assert list(MatchEvent.objects.filter(match=match).values_list("action", flat=True)) == [
        "ended"
    ]


def test_the_service_refuses_to_end_a_match_twice_naming_its_state(match):
    from matching import services as matching

    matching.end_match(match, by=match.mentee.user, reason="Done.")
    with pytest.raises(matching.MatchingError, match=r"This match has ended \(ended early\)"):
        matching.end_match(match, by=match.mentor.user, reason="Me too.")
