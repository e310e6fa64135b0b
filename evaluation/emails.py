"""The survey emails: the invitation and the one reminder, each through `notify`."""

from django.conf import settings
from django.urls import reverse

from mentorship_site.notifications.services import notify


def survey_link(invitation) -> str:
    """Return the absolute address of `invitation`'s survey page."""
    path = reverse("evaluation:survey", kwargs={"code": invitation.code})
    return settings.SITE_URL.rstrip("/") + path


def _context(invitation) -> dict:
    match = invitation.match
    return {
        "invitation": invitation,
        "program": match.program,
        "partner": invitation.partner.user,
        "is_midpoint": invitation.kind == "midpoint",
        "ends_on": match.ends_on,
    }


def send_survey_invitation(invitation):
    """Invite the person to answer the survey (once per invitation)."""
    return notify(
        "survey_invitation",
        recipient=invitation.user,
        about=invitation,
        email="survey_invitation",
        context=_context(invitation),
        link=survey_link(invitation),
    )


def send_survey_reminder(invitation):
    """Remind the person of a survey they have not answered (once per invitation)."""
    return notify(
        "survey_reminder",
        recipient=invitation.user,
        about=invitation,
        email="survey_reminder",
        context=_context(invitation),
        link=survey_link(invitation),
    )
