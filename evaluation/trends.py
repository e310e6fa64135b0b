"""A program's activity week by week, for the dashboard's charts and the trends CSV.

Each series is one grouped query (`TruncWeek` in the viewer's zone, so a week starts on
Monday at midnight where the reader is); weeks without activity are filled with zeros
here, by walking the weeks of the range, never the rows.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluation.kpis import Scope, half_up
from journals.models import ActivityTally
from matching.models import Match
from programs import milestones
from programs.models import Participant

# The queries weekly_trends runs, whatever the size of the program (pinned in tests):
# one fewer with a cycle or a start date, when the first week is known without asking.
QUERIES = 4
# The charts never draw more weeks than this (a longer span keeps its latest weeks).
MAX_WEEKS = 104


@dataclass(frozen=True)
class Series:
    name: str
    label: str
    definition: str
    values: tuple[int, ...]


SERIES = {
    "joined": (
        _("People who enrolled"),
        _(
            "Mentors and mentees who enrolled, by the week they joined or applied "
            "(invitations not taken up and refused applications left out)."
        ),
    ),
    "matches_started": (
        _("Matches started"),
        _("Matches that started that week, once both sides approved."),
    ),
    "meetings_held": (
        _("Meetings held"),
        _("Meetings marked as held, by the week they took place."),
    ),
    "messages": (_("Messages"), _("Messages the pairs wrote to each other that week.")),
    "journal_hours": (
        _("Hours in journal entries"),
        _("Mentoring hours of the journal entries submitted that week."),
    ),
}


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _cycle_span(program, cycle) -> tuple[date, date]:
    """Return the first and last days a cycle can show activity: from its enrolment to
    the end of its longest possible match (its length plus the most it can be extended)."""
    longest = program.cycle_weeks + program.max_extension_weeks
    return cycle.enrolment_opens_on, cycle.starts_on + timedelta(weeks=longest + 1)


def _program_start(program) -> date:
    """Return the day the program began: its first cycle's enrolment (one query), or the
    day it was created when it has no cycles."""
    first = program.cycles.aggregate(first=Min("enrolment_opens_on"))["first"]
    created = timezone.localdate(program.created_at)
    return min(first, created) if first else created


def _week_span(scope: Scope, today: date) -> list[date]:
    """Return the Mondays of the weeks to draw: those of the range; else those of the
    cycle (up to today); else those since the program began. Never more than MAX_WEEKS,
    the latest kept."""
    zone = timezone.get_current_timezone()
    first_day = last_day = None
    if scope.cycle is not None:
        first_day, last_day = _cycle_span(scope.program, scope.cycle)
        last_day = min(last_day, today)
    if scope.end is not None:
        last_day = (scope.end - timedelta(microseconds=1)).astimezone(zone).date()
    if scope.start is not None:
        first_day = scope.start.astimezone(zone).date()
    last = monday_of(last_day or today)
    first = monday_of(first_day or _program_start(scope.program))
    first = max(first, last - timedelta(weeks=MAX_WEEKS - 1))
    weeks = []
    while first <= last:
        weeks.append(first)
        first += timedelta(weeks=1)
    return weeks


def _by_week(scope: Scope, queryset: QuerySet, field: str, weeks: list[date], **aggregates):
    """Return {name: {monday: value}} of each aggregate (by default "count", the number
    of rows) of `queryset`'s rows by the week of `field`, within the scope's date range
    when it has one."""
    zone = timezone.get_current_timezone()
    aggregates = aggregates or {"count": Count("pk")}
    counts = {name: {} for name in aggregates}
    if not weeks:
        return counts
    # Bounds as instants, so the column's index serves the range.
    first = datetime.combine(weeks[0], time.min, tzinfo=zone)
    after = datetime.combine(weeks[-1] + timedelta(weeks=1), time.min, tzinfo=zone)
    rows = (
        queryset.filter(scope.during(field), **{f"{field}__gte": first, f"{field}__lt": after})
        .annotate(week=TruncWeek(field, tzinfo=zone))
        .values("week")
        .annotate(**aggregates)
        .order_by()
    )
    for row in rows:
        week = row["week"]
        week = week.astimezone(zone).date() if hasattr(week, "astimezone") else week
        for name, values in counts.items():
            values[week] = values.get(week, 0) + (row[name] or 0)
    return counts


def weekly_trends(program, *, cycle=None, since=None, until=None, today=None) -> dict:
    """Return {"weeks": [monday, …], "series": [Series, …]} for `program` (one cycle, or a
    date range with both days included). Runs QUERIES queries."""
    scope = Scope(program, cycle, since, until)
    today = today or timezone.localdate()
    weeks = _week_span(scope, today)
    # People who enrolled (directly, or once their application was approved), by the
    # day they joined or applied; invitations not taken up and refused applications
    # are left out, as in the funnel.
    enrolled = scope.of(Participant).filter(milestones.reached()["enrolled"])
    # From the quarter-hour tallies (journals.tallies): a week starts on a quarter hour
    # in every zone; meetings held count by when they started, entries by when they
    # were last submitted.
    tallied = _by_week(
        scope,
        scope.of(ActivityTally),
        "slot",
        weeks,
        meetings_held=Sum("meetings_held"),
        messages=Sum("messages"),
        journal_minutes=Sum("entry_minutes"),
    )
    counted = {
        "joined": _by_week(scope, enrolled, "joined_at", weeks)["count"],
        "matches_started": _by_week(scope, scope.of(Match), "started_at", weeks)["count"],
        "meetings_held": tallied["meetings_held"],
        "messages": tallied["messages"],
        "journal_hours": {
            week: half_up(minutes / 60, 1) for week, minutes in tallied["journal_minutes"].items()
        },
    }
    series = [
        Series(
            name=name,
            label=str(label),
            definition=str(definition),
            values=tuple(counted[name].get(week, 0) for week in weeks),
        )
        for name, (label, definition) in SERIES.items()
    ]
    return {"weeks": weeks, "series": series}
