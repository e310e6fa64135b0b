"""The emails of requests and matches: who receives them, once, with text and HTML parts."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from matching import services
from programs import services as programs
from tests.factories import UserFactory
from tests.matching.builders import make_ready


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run a service and deliver what it sends after commit; return the new messages."""

    def run(action, *args, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        return result

    return run


def mentor_of(program, name="Mia Mentor", capacity=2):
    user = UserFactory(display_name=name, email=f"{name.split()[0].lower()}@example.org")
    return make_ready(program, user, role="mentor", capacity=capacity)


def mentee_of(program, name="Theo Mentee"):
    user = UserFactory(display_name=name, email=f"{name.split()[0].lower()}@example.org")
    return make_ready(program, user, role="mentee")


def html_of(message) -> str:
    (content, mimetype), *_others = message.alternatives
    assert mimetype == "text/html"
    return content


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_request_emails_the_receiver_only_with_a_link_to_the_request(program, after_commit):
    mentor, mentee = mentor_of(program), mentee_of(program)

    request = after_commit(
        services.send_request, mentee, mentor, by=mentee.user, message="Could we talk?"
    )

    assert sent_to() == ["mia@example.org"]
    message = mail.outbox[0]
    link = absolute(reverse("matching:request", kwargs={"code": request.code}))
    assert "Theo Mentee would like you as their match" in message.subject
    assert "Theo Mentee asks you to be their mentor" in message.body
    assert "Could we talk?" in message.body
    assert link in message.body
    html = html_of(message)
    assert f'href="{link}"' in html
    assert "Could we talk?" in html


def test_a_proposal_emails_both_sides_but_not_the_coordinator(program, coordinator, after_commit):
    mentor, mentee = mentor_of(program), mentee_of(program)

    after_commit(services.propose_match, mentor, mentee, by=coordinator)

    assert sent_to() == ["mia@example.org", "theo@example.org"]
    assert all("A match is proposed to you" in message.subject for message in mail.outbox)


def test_a_match_start_emails_both_people_once_each(program, after_commit):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = services.send_request(mentee, mentor, by=mentee.user)

    match = after_commit(services.approve_request, request, by=mentor.user).match

    assert sent_to() == ["mia@example.org", "theo@example.org"]
    link = absolute(reverse("journals:workspace", kwargs={"code": match.code}))
    for message in mail.outbox:
        assert "has started" in message.subject
        assert link in message.body
        assert f'href="{link}"' in html_of(message)
    to_mentee = next(m for m in mail.outbox if m.to == ["theo@example.org"])
    assert "Your match with Mia Mentor has started" in to_mentee.subject


def test_a_match_from_a_proposal_also_emails_the_coordinator(program, coordinator, after_commit):
    mentor, mentee = mentor_of(program), mentee_of(program)
    proposal = services.propose_match(mentor, mentee, by=coordinator)
    after_commit(services.approve_request, proposal, by=mentor.user)
    assert mail.outbox == []  # the first approval tells nobody

    after_commit(services.approve_request, proposal, by=mentee.user)

    assert sent_to() == sorted(["mia@example.org", "theo@example.org", coordinator.email])
    to_coordinator = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert to_coordinator.subject.endswith("Mia Mentor and Theo Mentee approved your proposal")


def test_requests_superseded_by_a_match_email_the_mentor_who_can_still_be_matched(
    program, after_commit
):
    chosen, other = mentor_of(program), mentor_of(program, "Olli Other")
    mentee = mentee_of(program)
    request = services.send_request(mentee, chosen, by=mentee.user)
    superseded = services.send_request(mentee, other, by=mentee.user)

    after_commit(services.approve_request, request, by=chosen.user)

    closed = [m for m in mail.outbox if "was closed" in m.subject]
    assert [m.to for m in closed] == [["olli@example.org"]]
    link = absolute(reverse("matching:request", kwargs={"code": superseded.code}))
    assert "closed by the platform" in closed[0].body
    assert "The mentee started a match with someone else." in closed[0].body
    assert link in closed[0].body and f'href="{link}"' in html_of(closed[0])


def test_requests_superseded_by_a_full_mentor_email_the_waiting_mentee(program, after_commit):
    mentor = mentor_of(program, capacity=1)
    first, second = mentee_of(program, "Ann Able"), mentee_of(program, "Ben Baker")
    request = services.send_request(first, mentor, by=first.user)
    services.send_request(second, mentor, by=second.user)

    after_commit(services.approve_request, request, by=mentor.user)

    closed = [m for m in mail.outbox if "was closed" in m.subject]
    assert [m.to for m in closed] == [["ben@example.org"]]
    suggestions = absolute(reverse("matching:suggestions", kwargs={"code": second.code}))
    assert suggestions in closed[0].body


def test_a_paused_mentors_requests_email_only_the_mentees(program, after_commit):
    mentor = mentor_of(program)
    mentee = mentee_of(program)
    services.send_request(mentee, mentor, by=mentee.user)

    after_commit(programs.pause_participant, mentor, by=mentor.user)

    assert sent_to() == ["theo@example.org"]
    assert "Mia Mentor paused their participation." in mail.outbox[0].body


def test_a_decline_emails_the_sender_with_the_reason(program, after_commit):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = services.send_request(mentee, mentor, by=mentee.user)

    after_commit(services.decline_request, request, by=mentor.user, reason="Away all spring.")

    assert sent_to() == ["theo@example.org"]
    assert "was declined" in mail.outbox[0].subject
    assert "Away all spring." in mail.outbox[0].body
    assert "Away all spring." in html_of(mail.outbox[0])


def test_a_withdrawal_emails_the_receiver(program, after_commit):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = services.send_request(mentee, mentor, by=mentee.user)

    after_commit(services.withdraw_request, request, by=mentee.user)

    assert sent_to() == ["mia@example.org"]
    assert "was withdrawn" in mail.outbox[0].subject


def test_a_coordinators_closing_emails_both_sides(program, coordinator, after_commit):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = services.send_request(mentee, mentor, by=mentee.user)

    after_commit(services.close_request, request, by=coordinator, reason="Reorganisation.")

    assert sent_to() == ["mia@example.org", "theo@example.org"]
    assert all("Reorganisation." in message.body for message in mail.outbox)
