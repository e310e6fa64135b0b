"""The emails of meetings: the other person of the pair hears of each change, after commit,
and both are reminded the day before.

Every email goes through `notify`, which logs it under (kind, meeting, recipient,
occasion) and sends it once. A change's occasion is the email's name and the meeting's
`sequence` after the change, so a callback or task that runs twice sends nothing twice,
while each real change (which raises the sequence) is told. Reminders and agenda nudges
go out once per time the meeting is set for (`time_occasion`): a rescheduled meeting is
reminded again, a meeting whose agenda changed is not.

Each change carries the meeting as an .ics invitation (or cancellation), in the
recipient's language, with times in the recipient's own zone.
"""

from django.contrib.auth import get_user_model
from django.utils import translation

from mentorship_site.notifications.services import notify


def _load(meeting_id: int):
    from journals.models import Meeting

    return Meeting.objects.select_related(
        "match__program", "match__mentor__user", "match__mentee__user", "marked_by"
    ).get(pk=meeting_id)


def _send_to(
    meeting,
    recipient,
    name: str,
    *,
    kind: str = "meeting_changed",
    occasion: str = "",
    invitation: bool = True,
):
    """Email `recipient` about `meeting`; return the log row, or None if already sent."""
    from journals.calendar import meeting_calendar, meeting_link, meeting_title, method_for

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
    # notify renders dates in the recipient's zone.
    return notify(
        kind,
        recipient=recipient,
        about=meeting,
        occasion=occasion or f"{name}-{meeting.sequence}",
        email=name,
        link=meeting_link(meeting),
        context={"partner": partner, "meeting": meeting, "title": title, "program": match.program},
        attachments=attachments,
    )


def _send(name: str, meeting_id: int, recipient_id: int, *, invitation: bool = True) -> None:
    recipient = get_user_model().objects.get(pk=recipient_id)
    _send_to(_load(meeting_id), recipient, name, invitation=invitation)


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


def time_occasion(meeting) -> str:
    """The occasion of a meeting's reminders and agenda nudges: the time it is set for,
    counted by its moves (an agenda change does not make them due again)."""
    return f"time-{meeting.time_changes}"


def _to_both(meeting, name: str, kind: str) -> int:
    match = meeting.match
    sent = 0
    for user in (match.mentor.user, match.mentee.user):
        notice = _send_to(
            meeting, user, name, kind=kind, occasion=time_occasion(meeting), invitation=False
        )
        sent += notice is not None
    return sent


def send_meeting_reminder(meeting) -> int:
    """Remind both people of a meeting starting soon, with its agenda and where to meet;
    return how many reminders went out now (0 when both were reminded before)."""
    return _to_both(meeting, "meeting_reminder", "meeting_reminder")


def send_agenda_nudge(meeting) -> int:
    """Ask both people to add an agenda the program requires; return how many were sent."""
    return _to_both(meeting, "agenda_nudge", "agenda_nudge")
