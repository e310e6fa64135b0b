"""Meeting emails: the other person only, text and HTML, the invitation attached, times in
the recipient's own zone, and nothing typed read as HTML."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format

from journals.services import meetings as services
from mentorship_site.mail.models import OutboundEmail
from tests.journals.builders import active_match

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
STARTS_AT = datetime(2027, 4, 3, 21, 0, tzinfo=UTC)


@pytest.fixture
def match(coordinator):
    with time_machine.travel(NOW, tick=False):
        yield active_match(coordinator, agenda_required_hours=0)


def propose(match, **extra):
    fields = {
        "starts_at_local": datetime(2027, 4, 4, 9, 0),
        "time_zone": "Pacific/Auckland",
        "duration": 60,
        "video_url": "https://meet.example.org/mona-mia",
        **extra,
    }
    return services.propose_meeting(match, by=match.mentee.user, **fields)


def local(zone: str) -> str:
    with timezone.override(zone):
        return date_format(timezone.localtime(STARTS_AT), "DATETIME_FORMAT")


@pytest.mark.django_db
def test_a_proposal_is_emailed_to_the_other_person_only(match, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        propose(match, agenda="Negotiation")
    (message,) = mail.outbox
    assert message.to == [match.mentor.user.email]
    assert (
        message.subject
        == f"[Mentorship] Mia Mentee proposes a meeting on {local('America/Toronto')}"
    )
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    for body in (message.body, html):
        assert "Hello Mona Mentor," in body
        assert local("America/Toronto") in body  # Mona's own time
        assert local("Pacific/Auckland") in body  # and Mia's
        assert "Negotiation" in body
        assert "https://meet.example.org/mona-mia" in body
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("meeting.ics", "text/calendar; method=REQUEST")
    assert "BEGIN:VCALENDAR" in content


@pytest.mark.django_db
def test_the_invitation_survives_the_mail_queue(match, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = propose(match)
    outbound = OutboundEmail.objects.get()
    assert outbound.status == OutboundEmail.Status.SENT
    [stored] = outbound.attachments
    assert stored["filename"] == "meeting.ics"
    assert meeting.uid in stored["content"]
    assert mail.outbox[0].attachments[0][1] == stored["content"]


@pytest.mark.django_db
def test_each_answer_goes_to_the_person_who_did_not_act(match, django_capture_on_commit_callbacks):
    mona, mia = match.mentor.user, match.mentee.user
    meeting = propose(match)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_meeting(meeting, by=mona)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_agenda(meeting, by=mia, agenda="CV review")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting, by=mona, reason="A family matter.")
    accepted, agenda, cancelled = mail.outbox
    assert (accepted.to, agenda.to, cancelled.to) == ([mia.email], [mona.email], [mia.email])
    assert accepted.subject.startswith("[Mentorship] Mona Mentor accepted the meeting")
    assert "changed the agenda" in agenda.subject
    assert "cancelled the meeting" in cancelled.subject
    assert "A family matter." in cancelled.body
    assert "A family matter." in cancelled.alternatives[0][0]
    assert cancelled.attachments[0][2] == "text/calendar; method=CANCEL"


@pytest.mark.django_db
def test_a_reschedule_asks_the_other_person_to_answer(match, django_capture_on_commit_callbacks):
    meeting = propose(match)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_meeting(
            meeting,
            by=match.mentor.user,
            starts_at_local=datetime(2027, 4, 3, 18, 0),
            time_zone="America/Toronto",
        )
    (message,) = mail.outbox
    assert message.to == [match.mentee.user.email]
    assert "proposes another time" in message.subject
    assert message.attachments[0][2] == "text/calendar; method=REQUEST"


@pytest.mark.django_db
def test_marking_a_meeting_tells_the_partner_without_an_invitation(
    match, django_capture_on_commit_callbacks
):
    meeting = services.accept_meeting(propose(match), by=match.mentor.user)
    later = time_machine.travel(meeting.starts_at + timedelta(hours=2), tick=False)
    with later, django_capture_on_commit_callbacks(execute=True):
        services.mark_meeting(meeting, by=match.mentee.user, held=True, minutes=50)
    marked = mail.outbox[-1]
    assert marked.to == [match.mentor.user.email]
    assert "as held" in marked.subject
    assert "50 minutes" in marked.body
    assert marked.attachments == []


@pytest.mark.django_db
def test_html_typed_in_the_agenda_is_shown_as_text(match, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        propose(match, agenda='<script>alert("hi")</script> <b>bold</b>')
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>bold</b>" in message.body  # the text part shows it as typed


@pytest.mark.django_db
def test_a_refused_change_sends_nothing(match, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.JournalError):
        propose(match, video_url="ftp://example.org")
    assert mail.outbox == []
