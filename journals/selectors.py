"""Read rules about pairs that the clock and the coordinators' pages share: pairs gone
quiet, and journal writers who have not written for a while.

They take a Match queryset (matching must not know about journals), each one query
whatever the number of matches: every row is compared with its own program's setting.
"""

from datetime import timedelta

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from journals.models import JournalEntry, per_program
from matching.models import Match, Side

WRITER_SIDES = (Side.MENTOR, Side.MENTEE)


def quiet_pairs(matches: QuerySet | None = None, now=None) -> QuerySet:
    """Return the active matches without a message, meeting or journal entry for longer
    than their program's `quiet_days` (0: never flagged)."""
    now = now or timezone.now()
    matches = Match.objects.all() if matches is None else matches
    return matches.active().filter(
        per_program("program__quiet_days", "last_activity_at", "lte", now, -timedelta(days=1)),
        program__quiet_days__gt=0,
    )


def days_quiet(match: Match, now=None) -> int:
    """Return how many whole days the pair has been quiet."""
    return ((now or timezone.now()) - match.last_activity_at).days


def _latest_entry(side: str) -> Subquery:
    entries = JournalEntry.objects.filter(
        match=OuterRef("pk"), author=OuterRef(side), submitted_at__isnull=False
    ).order_by("-submitted_at")
    return Subquery(entries.values("submitted_at")[:1])


def with_journal_silence(matches: QuerySet) -> QuerySet:
    """Annotate each match with `mentor_silent_since` and `mentee_silent_since`: when each
    side last submitted a journal entry, or the start of the match before their first."""
    return matches.annotate(
        **{
            f"{side}_silent_since": Coalesce(_latest_entry(side), F("started_at"))
            for side in WRITER_SIDES
        }
    )


def writer_is_silent(side: str, now=None) -> Q:
    """Return the condition, on a queryset from `with_journal_silence`, that `side` writes
    the journal in this program and has been silent for the program's nudge setting."""
    now = now or timezone.now()
    return Q(
        per_program(
            "program__journal_nudge_days", f"{side}_silent_since", "lte", now, -timedelta(days=1)
        ),
        program__journal_nudge_days__gt=0,
        program__journal_writers__in=[side, "both"],
    )


def silent_writers(matches: QuerySet | None = None, now=None) -> QuerySet:
    """Return the active matches where at least one journal writer has been silent for
    the program's nudge setting, annotated as in `with_journal_silence`."""
    matches = Match.objects.all() if matches is None else matches
    return with_journal_silence(matches.active()).filter(
        writer_is_silent(Side.MENTOR, now) | writer_is_silent(Side.MENTEE, now)
    )
