"""The emails of meetings: the other person of the pair hears of each change, after commit.

Each message carries the meeting as an .ics invitation (or cancellation), in the
recipient's language, with times in the recipient's own zone.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from mentorship_site.mail.compose import send_templated_email


def _send(name: str, meeting_id: int, recipient_id: int, *, invitation: bool = True) -> None:
    from journals.calendar import meeting_calendar, meeting_link, meeting_title, method_for
    from journals.models import Meeting

    meeting = Meeting.objects.select_related(
        "match__program", "match__mentor__user", "match__mentee__user", "marked_by"
    ).get(pk=meeting_id)
    recipient = get_user_model().objects.get(pk=recipient_id)
    match = meeting.match
    partner = match.mentee.user if recipient.pk == match.mentor.user_id else match.mentor.user
    attachments = []
    with translation.override(recipient.preferred_language):
        title = meeting_title(meeting)
        if invitation:
            method = method_for(meeting)
            attachments.append(
                (
                    "meeting.ics",
                    meeting_calendar(meeting, method=method).decode(),
                    f"text/calendar; method={method}",
                )
            )
    # Dates in the templates are rendered in the zone active here: the recipient's.
    with timezone.override(recipient.time_zone):
        send_templated_email(
            name,
            to=recipient.email,
            language=recipient.preferred_language,
            context={
                "recipient": recipient,
                "partner": partner,
                "meeting": meeting,
                "title": title,
                "program": match.program,
                "link": meeting_link(meeting),
            },
            attachments=attachments,
        )


def send_meeting_proposed(meeting_id: int, *, recipient_id: int) -> None:
    """Ask the other person to accept or decline a proposed meeting."""
    _send("meeting_proposed", meeting_id, recipient_id)


def send_meeting_accepted(meeting_id: int, *, recipient_id: int) -> None:
    """Tell the proposer that the meeting is on."""
    _send("meeting_accepted", meeting_id, recipient_id)


def send_meeting_declined(meeting_id: int, *, recipient_id: int) -> None:
    """Tell the proposer that the time does not suit, with the reason given."""
    _send("meeting_declined", meeting_id, recipient_id)


def send_meeting_rescheduled(meeting_id: int, *, recipient_id: int) -> None:
    """Ask the other person to answer a new time for a meeting."""
    _send("meeting_rescheduled", meeting_id, recipient_id)


def send_meeting_cancelled(meeting_id: int, *, recipient_id: int) -> None:
    """Tell the other person that a meeting is cancelled, and why."""
    _send("meeting_cancelled", meeting_id, recipient_id)


def send_meeting_agenda_changed(meeting_id: int, *, recipient_id: int) -> None:
    """Tell the other person that the agenda of a meeting changed."""
    _send("meeting_agenda", meeting_id, recipient_id)


def send_meeting_marked(meeting_id: int, *, recipient_id: int) -> None:
    """Tell the other person that a past meeting was marked held or missed (no invitation:
    the calendar event has already taken place)."""
    _send("meeting_marked", meeting_id, recipient_id, invitation=False)
