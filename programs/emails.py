"""The emails of the programs app: one function each, text and HTML parts."""

from django.urls import reverse

from mentorship_site.mail.compose import send_templated_email
from mentorship_site.notifications.services import notify
from programs.models import Invitation, Participant

# The audit trail's word for each change a participant is told about, when it differs.
EVENT_ACTIONS = {"withdrawn": "withdrew"}


def _absolute(path: str) -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + path


def send_invitation(invitation: Invitation) -> None:
    # The invited person may have no account yet: an account email, outside notify.
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
    # Each change is one event of the audit trail: its id tells a second pause from a
    # retried first one.
    event_id = (
        participant.events.filter(action=EVENT_ACTIONS.get(action, action))
        .values_list("pk", flat=True)
        .first()
    )
    notify(
        "participant_update",
        recipient=participant.user,
        about=participant,
        occasion=f"{action}-{event_id or ''}",
        email="participant_update",
        context={
            "participant": participant,
            "program": participant.program,
            "action": action,
            "note": note,
        },
        link=_absolute(reverse("home")),
    )
