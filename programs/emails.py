"""The emails of the programs app: one function each, text and HTML parts."""

from django.urls import reverse

from mentorship_site.mail.compose import send_templated_email
from programs.models import Invitation, Participant


def _absolute(path: str) -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + path


def send_invitation(invitation: Invitation) -> None:
    language = invitation.invited_by.preferred_language if invitation.invited_by else None
    send_templated_email(
        "program_invitation",
        to=invitation.email,
        language=language,
        context={
            "invitation": invitation,
            "program": invitation.program,
            "link": _absolute(reverse("programs:invitation", kwargs={"token": invitation.token})),
        },
    )


def send_participant_update(participant: Participant, *, action: str, note: str = "") -> None:
    """Tell a participant a coordinator approved, declined, paused, resumed or withdrew them."""
    send_templated_email(
        "participant_update",
        to=participant.user.email,
        language=participant.user.preferred_language,
        context={
            "participant": participant,
            "program": participant.program,
            "action": action,
            "note": note,
            "link": _absolute(reverse("home")),
        },
    )
