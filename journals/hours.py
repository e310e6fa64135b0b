"""A pair's mentoring hours: what their journal entries and held meetings add up to.

The rule, also written on the journal page:

- a submitted journal entry counts its own minutes (drafts count nothing);
- a held meeting counts its held minutes, unless a submitted entry is linked to it: the
  entry then replaces the meeting's time, never both;
- when both people write about the same meeting, it counts once, for the larger of
  their minutes;
- entries not linked to a meeting count one by one.

Each person's own hours are their own submitted entries plus the held meetings they
did not write about. Two aggregate queries, whatever the number of entries or meetings.

The pair's total is also stored on the match (`Match.minutes_logged`): the services
that change an entry or a meeting call `refresh_pair_minutes`, which computes it with
`pair_minutes`, the same rule as one SQL expression.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from journals.models import JournalEntry, Meeting
from matching.models import Match


@dataclass(frozen=True)
class Hours:
    together_minutes: int
    mentor_minutes: int
    mentee_minutes: int
    target_minutes: int

    @staticmethod
    def percent(minutes: int, target: int) -> int:
        """Return how far `minutes` goes towards `target`, from 0 to 100."""
        if target <= 0:
            return 100
        return min(100, round(100 * minutes / target))

    @property
    def together_percent(self) -> int:
        return self.percent(self.together_minutes, self.target_minutes)

    @property
    def mentor_percent(self) -> int:
        return self.percent(self.mentor_minutes, self.target_minutes)

    @property
    def mentee_percent(self) -> int:
        return self.percent(self.mentee_minutes, self.target_minutes)

    @property
    def together_hours(self) -> float:
        return round(self.together_minutes / 60, 1)

    @property
    def mentor_hours(self) -> float:
        return round(self.mentor_minutes / 60, 1)

    @property
    def mentee_hours(self) -> float:
        return round(self.mentee_minutes / 60, 1)

    @property
    def target_hours(self) -> int:
        return self.target_minutes // 60


def _zero(expression):
    return Coalesce(expression, Value(0), output_field=IntegerField())


def hours_for(match) -> Hours:
    """Return the hours of `match` together and per person, against the program's target."""
    entries = JournalEntry.objects.submitted().filter(match=match)
    from_entries = entries.aggregate(
        unlinked=_zero(Sum("minutes", filter=Q(meeting__isnull=True))),
        mentor=_zero(Sum("minutes", filter=Q(author_id=match.mentor_id))),
        mentee=_zero(Sum("minutes", filter=Q(author_id=match.mentee_id))),
    )

    # One row per meeting: the largest entry written about it (either author), and
    # whether each person wrote about it themselves.
    about = JournalEntry.objects.submitted().filter(meeting=OuterRef("pk"))
    largest_entry = Subquery(
        about.order_by().values("meeting").annotate(largest=Max("minutes")).values("largest"),
        output_field=IntegerField(),
    )
    held = Q(status=Meeting.Status.HELD)
    from_meetings = (
        Meeting.objects.filter(match=match)
        .filter(held | Exists(about))
        .annotate(
            largest_entry=largest_entry,
            by_mentor=Exists(about.filter(author_id=match.mentor_id)),
            by_mentee=Exists(about.filter(author_id=match.mentee_id)),
        )
        .aggregate(
            linked=_zero(Sum("largest_entry")),
            uncovered=_zero(Sum("held_minutes", filter=held & Q(largest_entry__isnull=True))),
            mentor=_zero(Sum("held_minutes", filter=held & Q(by_mentor=False))),
            mentee=_zero(Sum("held_minutes", filter=held & Q(by_mentee=False))),
        )
    )
    return Hours(
        together_minutes=from_entries["unlinked"]
        + from_meetings["linked"]
        + from_meetings["uncovered"],
        mentor_minutes=from_entries["mentor"] + from_meetings["mentor"],
        mentee_minutes=from_entries["mentee"] + from_meetings["mentee"],
        target_minutes=match.program.hours_target * 60,
    )


def pair_minutes(entry_model=JournalEntry, meeting_model=Meeting):
    """Return a match's mentoring minutes by the rule above, as an expression over the
    match's `pk` (submitted entries not about a meeting, one by one; each meeting once,
    for the largest entry about it, or its held minutes if nobody wrote one): two
    correlated subqueries, no row read into Python. A migration passes its own models."""
    submitted = entry_model.objects.exclude(status=JournalEntry.Status.DRAFT)
    unlinked = Subquery(
        submitted.filter(match=OuterRef("pk"), meeting__isnull=True)
        .order_by()
        .values("match")
        .annotate(total=Sum("minutes"))
        .values("total"),
        output_field=IntegerField(),
    )
    largest_entry = Subquery(
        submitted.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(largest=Max("minutes"))
        .values("largest"),
        output_field=IntegerField(),
    )
    # COALESCE, not CASE WHEN ... IS NOT NULL: the database runs the subquery once.
    counted = Coalesce(
        largest_entry,
        Case(
            When(status=Meeting.Status.HELD, then=F("held_minutes")),
            default=Value(0),
            output_field=IntegerField(),
        ),
        output_field=IntegerField(),
    )
    from_meetings = Subquery(
        meeting_model.objects.filter(match=OuterRef("pk"))
        .order_by()
        .values("match")
        .annotate(total=Sum(counted))
        .values("total"),
        output_field=IntegerField(),
    )
    return _zero(unlinked) + _zero(from_meetings)


def with_pair_minutes(matches: QuerySet) -> QuerySet:
    """Annotate each match with `pair_minutes`, computed from its entries and meetings."""
    return matches.annotate(pair_minutes=pair_minutes())


def store_pair_minutes(matches: QuerySet) -> int:
    """Store the minutes of every match of `matches` in one UPDATE, for entries and
    meetings written in bulk (demo history, data migrations); return how many."""
    return matches.update(minutes_logged=pair_minutes())


def refresh_pair_minutes(match_pk: int) -> None:
    """Store the match's mentoring minutes again, inside the caller's transaction.

    The match row is locked first, so the minutes are computed by a statement that
    starts after every earlier change of the pair was committed: two changes at once
    (an entry submitted while the meeting is marked held) cannot leave a stale total.
    """
    list(Match.objects.select_for_update().filter(pk=match_pk).values_list("pk", flat=True))
    Match.objects.filter(pk=match_pk).update(minutes_logged=pair_minutes())
