"""The mentoring agreement: what a pair agrees to work on, and how they meet.

Each change is a new revision; the latest revision is the one in force. The person who
writes a revision confirms it by writing it, and the other side confirms it after.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from journals.access import require_active, require_participant
from journals.errors import JournalError
from journals.models import Agreement
from matching.models import Match, Side


def latest_agreement(match: Match) -> Agreement | None:
    """Return the revision in force, or None before the pair wrote one."""
    return Agreement.objects.filter(match=match).order_by("-revision").first()


def _lock_match(match: Match) -> Match:
    # Every change to a pair's agreement locks the match row first, then the agreement:
    # revision numbers follow each other, and a match that ends meanwhile is seen ended.
    return Match.objects.select_for_update().get(pk=match.pk)


def _clean_goals(goals) -> list[str]:
    cleaned = [str(goal).strip() for goal in goals or [] if str(goal).strip()]
    if not cleaned:
        raise JournalError(_("Write at least one goal."), field="goals")
    if len(cleaned) > Agreement.GOALS_MAX:
        raise JournalError(
            _("Agree on %(count)d goals at most.") % {"count": Agreement.GOALS_MAX}, field="goals"
        )
    if any(len(goal) > Agreement.GOAL_LENGTH for goal in cleaned):
        raise JournalError(
            _("Keep each goal under %(limit)d characters.") % {"limit": Agreement.GOAL_LENGTH},
            field="goals",
        )
    return cleaned


def _require_choice(value: str, choices, field: str) -> str:
    if value not in choices.values:
        raise JournalError(_("Choose one of the options."), field=field)
    return value


def record_agreement(
    match: Match, *, by, goals: list[str], frequency: str, mode: str, channel: str, notes=""
) -> Agreement:
    """Write a new revision of the pair's agreement; the writer's side confirms it at once."""
    side = require_participant(match, by)
    goals = _clean_goals(goals)
    _require_choice(frequency, Agreement.Frequency, "frequency")
    _require_choice(mode, Agreement.Mode, "mode")
    _require_choice(channel, Agreement.Channel, "channel")
    notes = (notes or "").strip()
    notes_max = Agreement._meta.get_field("notes").max_length
    if len(notes) > notes_max:
        raise JournalError(
            _("Keep the notes under %(limit)d characters.") % {"limit": notes_max}, field="notes"
        )
    with transaction.atomic():
        locked = _lock_match(match)
        require_active(locked)
        latest = latest_agreement(locked)
        now = timezone.now()
        return Agreement.objects.create(
            match=locked,
            revision=latest.revision + 1 if latest else 1,
            goals=goals,
            frequency=frequency,
            mode=mode,
            channel=channel,
            notes=notes,
            written_by=by,
            created_at=now,
            **{f"{side}_confirmed_at": now},
        )


def confirm_agreement(agreement: Agreement, *, by) -> Agreement:
    """Record that the other side agrees to the latest revision (once)."""
    side = require_participant(agreement.match, by)
    with transaction.atomic():
        match = _lock_match(agreement.match)
        require_active(match)
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        latest = latest_agreement(match)
        if latest.pk != agreement.pk:
            raise JournalError(
                _(
                    "This is revision %(old)d; revision %(new)d replaced it. "
                    "Read the new one before you confirm."
                )
                % {"old": agreement.revision, "new": latest.revision}
            )
        if agreement.written_by_id == by.pk:
            raise JournalError(
                _("You wrote this revision: it waits for your partner's confirmation.")
            )
        if getattr(agreement, f"{side}_confirmed_at") is not None:
            raise JournalError(_("You already confirmed this revision."))
        setattr(agreement, f"{side}_confirmed_at", timezone.now())
        agreement.save(update_fields=[f"{side}_confirmed_at"])
    return agreement


def confirmed_by(agreement: Agreement, side: str) -> bool:
    """Return whether `side` ("mentor" or "mentee") confirmed the revision."""
    return side in (Side.MENTOR, Side.MENTEE) and (
        getattr(agreement, f"{side}_confirmed_at") is not None
    )
