"""The pair's latest activity, which quiet-pair alerts and the dashboard read."""

from django.utils import timezone

from matching.models import Match


def record_activity(match: Match, when=None) -> None:
    """Move the pair's `last_activity_at` to `when` (default: now).

    Called inside the service's transaction, so the activity and its time commit
    together; one UPDATE, and never backwards (a slower transaction does not undo a
    later activity), which also ends the current quiet spell.
    """
    when = when or timezone.now()
    Match.objects.filter(pk=match.pk, last_activity_at__lt=when).update(last_activity_at=when)
