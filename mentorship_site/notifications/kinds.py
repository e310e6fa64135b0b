"""Every kind of email the platform sends on its own, grouped in categories people can
switch to the weekly digest or off. Account and security emails (sign-up, password,
invitations to join) are not listed: they always go out."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    REQUESTS = "requests", _("Match requests and proposals")
    MATCHES = "matches", _("Your matches: start, changes and end")
    MEETINGS = "meetings", _("Meetings and meeting reminders")
    JOURNAL = "journal", _("Learning journal: reviews and reminders")
    PROMPTS = "prompts", _("Weekly discussion prompts")
    SURVEYS = "surveys", _("Surveys")
    PROGRAMS = "programs", _("Your place in a program")
    COORDINATION = "coordination", _("Coordinator alerts: reviews waiting, quiet pairs")
    DIGEST = "digest", _("The weekly digest")


class Delivery(models.TextChoices):
    EMAIL = "email", _("Email me straight away")
    DIGEST = "digest", _("Put it in my weekly digest")
    OFF = "off", _("Off")


# The digest itself can only be on or off.
DIGEST_CHOICES = [(Delivery.EMAIL.value, _("Send it")), (Delivery.OFF.value, _("Off"))]

KINDS: dict[str, Category] = {
    # matching
    "request_received": Category.REQUESTS,
    "request_reminder": Category.REQUESTS,
    "request_closed": Category.REQUESTS,
    "match_started": Category.MATCHES,
    "match_changed": Category.MATCHES,
    "match_completed": Category.MATCHES,
    # journals
    "meeting_changed": Category.MEETINGS,
    "meeting_reminder": Category.MEETINGS,
    "agenda_nudge": Category.MEETINGS,
    "journal_reviewed": Category.JOURNAL,
    "journal_nudge": Category.JOURNAL,
    "weekly_prompt": Category.PROMPTS,
    "review_reminder": Category.COORDINATION,
    "quiet_pair": Category.COORDINATION,
    # evaluation
    "survey_invitation": Category.SURVEYS,
    "survey_reminder": Category.SURVEYS,
    "weekly_digest": Category.DIGEST,
    # programs
    "participant_update": Category.PROGRAMS,
}


def category_of(kind: str) -> Category:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown notification kind {kind!r}: add it to KINDS") from None
