"""Meeting invitations as .ics files: read back with the icalendar library, as a calendar
program would, from the emails and from the download."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from journals.calendar import meeting_calendar
from journals.services import meetings as services
from tests.journals.builders import active_match

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def match(coordinator):
    with time_machine.travel(NOW, tick=False):
        yield active_match(coordinator, agenda_required_hours=0)


def propose(match, **extra):
    fields = {
        "starts_at_local": datetime(2027, 4, 4, 9, 0),
        "time_zone": "Pacific/Auckland",
        "duration": 45,
        "agenda": "Negotiating a raise",
        "video_url": "https://meet.example.org/mona-mia",
        **extra,
    }
    return services.propose_meeting(match, by=match.mentee.user, **fields)


def invitations(capture, change):
    """Run `change`, deliver its emails, and return (message, calendar) for each."""
    sent_before = len(mail.outbox)
    with capture(execute=True):
        result = change()
    sent = mail.outbox[sent_before:]
    return result, [(message, parsed(message)) for message in sent]


def parsed(message) -> Calendar:
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename == "meeting.ics"
    return Calendar.from_ical(content)


def event_of(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


@pytest.mark.django_db
def test_the_invitation_describes_the_meeting(match, django_capture_on_commit_callbacks):
    meeting, [(message, calendar)] = invitations(
        django_capture_on_commit_callbacks, lambda: propose(match)
    )
    event = event_of(calendar)
    assert str(calendar["method"]) == "REQUEST"
    assert message.attachments[0][2].startswith("text/calendar")
    assert str(event["uid"]) == meeting.uid
    assert event.decoded("sequence") == 0
    assert event.decoded("dtstart") == datetime(2027, 4, 3, 21, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2027, 4, 3, 21, 45, tzinfo=UTC)
    assert str(event["summary"]) == "Mentoring: Mona Mentor and Mia Mentee"
    assert "Negotiating a raise" in str(event["description"])
    assert f"/journals/meetings/{meeting.code}/" in str(event["description"])
    assert str(event["location"]) == "https://meet.example.org/mona-mia"
    assert str(event["status"]) == "TENTATIVE"
    assert str(event["organizer"]) == f"mailto:{match.mentee.user.email}"
    attendees = sorted(str(address) for address in event["attendee"])
    assert attendees == sorted(
        f"mailto:{user.email}" for user in (match.mentor.user, match.mentee.user)
    )


@pytest.mark.django_db
def test_both_people_get_the_same_utc_instant(match, client, django_capture_on_commit_callbacks):
    """Mia proposes in Auckland; Mona's invitation and Mia's download start together."""
    meeting, [(message, calendar)] = invitations(
        django_capture_on_commit_callbacks, lambda: propose(match)
    )
    assert message.to == [match.mentor.user.email]
    client.force_login(match.mentee.user)
    response = client.get(f"/journals/meetings/{meeting.code}/meeting.ics")
    downloaded = event_of(Calendar.from_ical(response.content))
    emailed = event_of(calendar)
    assert downloaded.decoded("dtstart") == emailed.decoded("dtstart")
    assert downloaded.decoded("dtstart") == datetime(2027, 4, 3, 21, 0, tzinfo=UTC)
    assert str(downloaded["uid"]) == str(emailed["uid"])


@pytest.mark.django_db
def test_every_change_keeps_the_uid_and_raises_the_sequence(
    match, django_capture_on_commit_callbacks
):
    mona, mia = match.mentor.user, match.mentee.user
    steps = [
        lambda meeting: services.update_agenda(meeting, by=mona, agenda="Raise, then CV"),
        lambda meeting: services.reschedule_meeting(
            meeting,
            by=mona,
            starts_at_local=datetime(2027, 4, 3, 18, 0),
            time_zone="America/Toronto",
        ),
        lambda meeting: services.accept_meeting(meeting, by=mia),
        lambda meeting: services.cancel_meeting(meeting, by=mia, reason="A family matter."),
    ]
    meeting, [(_message, calendar)] = invitations(
        django_capture_on_commit_callbacks, lambda: propose(match)
    )
    seen = [(str(calendar["method"]), event_of(calendar))]
    for step in steps:
        meeting, [(_message, calendar)] = invitations(
            django_capture_on_commit_callbacks, lambda step=step, meeting=meeting: step(meeting)
        )
        seen.append((str(calendar["method"]), event_of(calendar)))

    assert {str(event["uid"]) for _method, event in seen} == {meeting.uid}
    assert [event.decoded("sequence") for _method, event in seen] == [0, 1, 2, 3, 4]
    assert [method for method, _event in seen] == [
        "REQUEST",
        "REQUEST",
        "REQUEST",
        "REQUEST",
        "CANCEL",
    ]
    assert [str(event["status"]) for _method, event in seen] == [
        "TENTATIVE",
        "TENTATIVE",
        "TENTATIVE",
        "CONFIRMED",
        "CANCELLED",
    ]
    # The moved time: 18:00 in Toronto is 22:00 UTC.
    assert seen[2][1].decoded("dtstart") == datetime(2027, 4, 3, 22, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_a_declined_time_is_sent_as_a_cancellation(match, django_capture_on_commit_callbacks):
    meeting = propose(match)
    _meeting, [(message, calendar)] = invitations(
        django_capture_on_commit_callbacks,
        lambda: services.decline_meeting(meeting, by=match.mentor.user, reason="Too early"),
    )
    assert message.to == [match.mentee.user.email]
    assert str(calendar["method"]) == "CANCEL"
    assert message.attachments[0][2] == "text/calendar; method=CANCEL"
    assert str(event_of(calendar)["status"]) == "CANCELLED"
    assert event_of(calendar).decoded("sequence") == 1


@pytest.mark.django_db
def test_a_place_is_the_location_when_there_is_no_link(match):
    meeting = propose(match, video_url="", place="Café Olimpico, Montréal")
    event = event_of(Calendar.from_ical(meeting_calendar(meeting)))
    assert str(event["location"]) == "Café Olimpico, Montréal"
    assert "url" not in event
