"""The emails about a pair as a whole: the week's prompt to both, and the alert to the
coordinators when the pair has gone quiet. Each goes through `notify`, once per occasion."""

from django.conf import settings
from django.urls import reverse

from mentorship_site.notifications.services import notify


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_weekly_prompt(match, person, prompt) -> bool:
    """Send `person` (a user of the pair) the discussion prompt of the week; once a week."""
    notice = notify(
        "weekly_prompt",
        recipient=person,
        about=match,
        occasion=f"week-{prompt.week}",
        email="weekly_prompt",
        link=_absolute(reverse("journals:workspace", kwargs={"code": match.code})),
        context={
            "match": match,
            "program": match.program,
            "partner": match.partner_of(person).user,
            "prompt": prompt,
            "weeks": match.program.cycle_weeks,
        },
    )
    return notice is not None


def send_quiet_pair(match, coordinator, *, now) -> bool:
    """Tell a coordinator that a pair has gone quiet; once per quiet spell (the spell is
    named by the pair's last activity, so new activity and a new silence flag again)."""
    notice = notify(
        "quiet_pair",
        recipient=coordinator,
        about=match,
        occasion=match.last_activity_at.isoformat(),
        email="quiet_pair",
        link=_absolute(reverse("journals:workspace", kwargs={"code": match.code})),
        context={
            "match": match,
            "program": match.program,
            "mentor": match.mentor.user,
            "mentee": match.mentee.user,
            "days": (now - match.last_activity_at).days,
        },
    )
    return notice is not None
