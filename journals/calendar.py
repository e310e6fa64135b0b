"""A meeting as an iCalendar (RFC 5545) invitation, built with the icalendar library.

The same UID travels in every message about a meeting, and SEQUENCE rises with each
change, so calendar programs update one event instead of piling up copies.
"""

from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from journals.models import Meeting

REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"

STATUS = {
    Meeting.Status.PROPOSED: "TENTATIVE",
    Meeting.Status.ACCEPTED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.MISSED: "CONFIRMED",
    Meeting.Status.DECLINED: "CANCELLED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def method_for(meeting: Meeting) -> str:
    """Return the iTIP method of a message about the meeting's current state."""
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.DECLINED):
        return CANCEL
    return REQUEST


def meeting_title(meeting: Meeting) -> str:
    match = meeting.match
    return _("Mentoring: %(mentor)s and %(mentee)s") % {
        "mentor": match.mentor.user.display_name,
        "mentee": match.mentee.user.display_name,
    }


def meeting_link(meeting: Meeting) -> str:
    path = reverse("journals:meeting", kwargs={"code": meeting.code})
    return settings.SITE_URL.rstrip("/") + path


def _address(user, *, role: str, partstat: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = vText(user.display_name)
    if role != "ORGANIZER":
        address.params["ROLE"] = vText(role)
        address.params["PARTSTAT"] = vText(partstat)
    return address


def _partstat(meeting: Meeting) -> str:
    """The answer of the person who did not propose the current time."""
    if meeting.status == Meeting.Status.PROPOSED:
        return "NEEDS-ACTION"
    if meeting.status == Meeting.Status.DECLINED:
        return "DECLINED"
    return "ACCEPTED"


def _description(meeting: Meeting) -> str:
    lines = []
    if meeting.agenda:
        lines += [_("Agenda:"), meeting.agenda, ""]
    if meeting.video_url:
        lines.append(_("Video link: %(url)s") % {"url": meeting.video_url})
    if meeting.place:
        lines.append(_("Place: %(place)s") % {"place": meeting.place})
    lines.append(_("Meeting page: %(url)s") % {"url": meeting_link(meeting)})
    return "\n".join(lines)


def meeting_calendar(meeting: Meeting, *, method: str | None = None) -> bytes:
    """Return the meeting as an .ics file; `meeting.match` must come with both people.

    Texts are in the active language: build it inside the recipient's. Times are written
    in UTC: each calendar shows them in its owner's zone.
    """
    match = meeting.match
    proposer, answerer = match.mentor.user, match.mentee.user
    if meeting.proposed_by_id == answerer.pk:
        proposer, answerer = answerer, proposer

    calendar = Calendar()
    calendar.add("prodid", "-//Mentorship platform//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method or method_for(meeting))

    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting_title(meeting))
    event.add("description", _description(meeting))
    event.add("location", meeting.video_url or meeting.place)
    if meeting.video_url:
        event.add("url", meeting.video_url)
    event.add("status", STATUS[meeting.status])
    event.add("organizer", _address(proposer, role="ORGANIZER"))
    event.add("attendee", _address(proposer, role="REQ-PARTICIPANT", partstat="ACCEPTED"))
    event.add("attendee", _address(answerer, role="REQ-PARTICIPANT", partstat=_partstat(meeting)))
    calendar.add_component(event)
    return calendar.to_ical()
