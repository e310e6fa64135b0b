"""A program's figures for its leadership: recruitment, matching, activity, hours, outcomes.

`program_figures` returns every figure under a stable name (the dashboard, the CSV and
`manage.py kpis` all use these names), each with its target where the program set one,
and DEFINITIONS says in one sentence what each name counts.

Every figure is a database aggregate; the number of queries is fixed whatever the size
of the program (see QUERIES). A date range (`since`, `until`, both days included)
counts what happened in it, each thing by its own date: invitations sent, people who
joined, requests made, messages written, meetings proposed or held, entries submitted
or reviewed, training completed, surveys answered, matches completed or ended early (and
those still in progress at the range's end). Figures about pairs (hours, sources) take
the matches that started in the range, with everything they did.
"""

import statistics
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluation.models import SurveyAnswer, SurveyKind
from journals.models import ActivityTally, JournalEntry
from journals.selectors import quiet_pairs
from matching.models import Match, MatchRequest, Source
from programs import milestones
from programs.models import (
    Invitation,
    Participant,
    Program,
    TrainingCompletion,
    TrainingModule,
)
from programs.models.program import Role
from programs.models.training import Audience

State = Participant.State
ROLES = (Role.MENTOR.value, Role.MENTEE.value)
# The queries program_figures runs, whatever the size of the program (pinned in tests).
QUERIES = 13
HISTOGRAM_BUCKET_HOURS = 2
FUNNEL_STEPS = ("invited", "enrolled", "trained", "matched", "completed")
RECRUITMENT_STEPS = ("invited", "applied", "enrolled", "trained", "ready", "matched", "completed")
REQUEST_OUTCOMES = tuple(MatchRequest.Status.values)
SOURCES = tuple(Source.values)
# Who counts towards the program's people targets: everyone who joined and has not left
# (the coordinator's overview counts the same).
JOINED_STATES = [State.ENROLLED, State.READY, State.MATCHED, State.COMPLETED, State.PAUSED]

DEFINITIONS = {
    # recruitment
    "invited": _("Invitations sent to join the program, whether accepted or not."),
    "applied": _("People who applied to join and waited for a coordinator's approval."),
    "enrolled": _(
        "People who joined the program, directly or once their application was approved."
    ),
    "trained": _(
        "Enrolled people who finished every training module then required for their "
        "role (everyone who became ready had)."
    ),
    "ready": _(
        "People who finished the questionnaire and the required training, ready to be matched."
    ),
    "matched": _("People who started at least one match."),
    "completed": _("People who completed a match to its end date."),
    "withdrawn": _("People who left the program or whose application was declined."),
    "mentors_joined": _("Mentors who joined and have not left, against the program's target."),
    "mentees_joined": _("Mentees who joined and have not left, against the program's target."),
    "funnel": _(
        "How many people reached each step, from invitation to a completed match, and "
        "how many were lost at each step (negative, with no percentage, when more people "
        "joined than were invited)."
    ),
    # matching
    "match_rate": _(
        "Mentees who started a match, as a share of the mentees who became ready to match."
    ),
    "median_days_to_match": _(
        "The median number of days between a mentee first becoming "
        "ready and their first match starting."
    ),
    "requests": _(
        "Match requests and proposals by how they ended: still waiting, approved "
        "(a match started), declined, withdrawn, expired, closed by the platform or "
        "by a coordinator."
    ),
    "matches_by_source": _(
        "Matches by who proposed them (a participant's own request, a "
        "coordinator, auto-match), with the share of each that ended "
        "early."
    ),
    # activity
    "meetings_proposed": _("Meetings proposed by a pair, whatever happened to them."),
    "meetings_held": _("Meetings marked as held."),
    "messages": _("Messages the pairs wrote to each other."),
    "entries_submitted": _("Journal entries submitted (drafts left out)."),
    "entries_reviewed": _("Journal entries a coordinator reviewed."),
    "median_review_hours": _(
        "The median number of hours between a journal entry's "
        "submission and a coordinator's first review of it."
    ),
    "at_risk_pairs": _(
        "Active pairs with no message, meeting or journal entry for longer than "
        "the program's quiet-pair setting, now."
    ),
    # hours
    "hours_total": _(
        "Mentoring hours of all pairs: submitted journal entries, plus held "
        "meetings nobody wrote an entry about."
    ),
    "average_hours": _("Mentoring hours per pair, on average, against the program's target."),
    "pairs_reaching_target": _(
        "Pairs whose mentoring hours reached the program's hours target, as a share of all pairs."
    ),
    "hours_histogram": _("How many pairs logged each amount of hours, in two-hour steps."),
    "training_hours": _("Hours of training completed, counting each module's estimated time."),
    # outcomes
    "matches_active": _("Matches in progress (at the end of the date range, when there is one)."),
    "matches_completed": _("Matches that ran to their end date (within the date range, if any)."),
    "matches_ended_early": _(
        "Matches that one of the pair or a coordinator ended before their end date "
        "(within the date range, if any)."
    ),
    "early_end_reasons": _(
        "The main reason people gave in the end-of-match survey for a match that ended early."
    ),
    "satisfaction": _(
        "The average answer, from 1 to 5, to the end-of-match survey's "
        "satisfaction question, against the program's target."
    ),
    "satisfaction_midpoint": _(
        "The average answer, from 1 to 5, to the mid-cycle check-in's satisfaction question."
    ),
    "nps": _(
        'Net promoter score: the share of people answering 9 or 10 to "would you '
        'recommend" minus the share answering 0 to 6, from -100 to 100.'
    ),
    "goals_reached": _(
        'Answers to "did you reach your goals?" in the end-of-match survey: yes, partly or no.'
    ),
}


# ---------------------------------------------------------------- helpers


class Median(Aggregate):
    """PostgreSQL's exact median (PERCENTILE_CONT), for numbers and intervals."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


def median_of(queryset: QuerySet, expression, output_field) -> object | None:
    """Return the median of `expression` over `queryset`, in one query.

    PostgreSQL computes it (PERCENTILE_CONT); other databases have no portable median,
    so they fetch the one column, already filtered, and Python takes its middle: one
    query there too, reading one value per row.
    """
    annotated = queryset.annotate(median_value=ExpressionWrapper(expression, output_field))
    annotated = annotated.filter(median_value__isnull=False)
    if connection.vendor == "postgresql":
        return annotated.aggregate(median=Median("median_value", output_field=output_field))[
            "median"
        ]
    values = list(annotated.values_list("median_value", flat=True))
    return statistics.median(values) if values else None


def half_up(number, digits: int = 1) -> float:
    """Return `number` rounded half up to `digits` decimals (13.25 gives 13.3; Python's
    round() would give 13.2), the way people round figures by hand."""
    exact = Decimal(str(number)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return float(exact)


def percent(part: int, whole: int) -> float | None:
    """Return part / whole as a percentage with one decimal, or None when whole is 0."""
    if not whole:
        return None
    return half_up(100 * part / whole, 1)


def rounded(number, digits: int = 1) -> float | None:
    return None if number is None else half_up(number, digits)


def net_promoter_score(promoters: int, detractors: int, respondents: int) -> int | None:
    """Return the net promoter score, a whole number from -100 to 100 (None without
    respondents), rounded once from the exact share."""
    if not respondents:
        return None
    return int(half_up(100 * (promoters - detractors) / respondents, 0))


def targeted(value, target) -> dict:
    """Return a figure with its target (None when the program set none)."""
    return {"value": value, "target": target}


def day_bounds(since: date | None, until: date | None) -> tuple[datetime | None, ...]:
    """Return the instants the range starts and ends (exclusive): the days are the
    reader's, in the current time zone (the page says which)."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(since, time.min, tzinfo=zone) if since else None
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone) if until else None
    return start, end


def in_range(field: str, start, end) -> Q:
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{field}__lt": end})
    return condition


def _zero(expression):
    return Coalesce(expression, Value(0), output_field=IntegerField())


# ---------------------------------------------------------------- the figures


class Scope:
    """The rows one call counts: one program, maybe one cycle, maybe a date range."""

    def __init__(self, program: Program, cycle=None, since=None, until=None):
        self.program, self.cycle = program, cycle
        self.start, self.end = day_bounds(since, until)

    def of(self, model_or_queryset, path: str = "") -> QuerySet:
        """Return the rows of the program (and cycle), `path` leading to the row that
        carries program and cycle ("" for the row itself)."""
        queryset = (
            model_or_queryset
            if isinstance(model_or_queryset, QuerySet)
            else model_or_queryset.objects.all()
        )
        prefix = f"{path}__" if path else ""
        queryset = queryset.filter(**{f"{prefix}program": self.program})
        if self.cycle is not None:
            queryset = queryset.filter(**{f"{prefix}cycle": self.cycle})
        return queryset.order_by()

    def during(self, field: str) -> Q:
        return in_range(field, self.start, self.end)


def flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _people(scope: Scope) -> dict:
    """Return {role: {step: count}} and the joined counts (one query for participants,
    one for invitations), from the participants' milestones (`programs.milestones`)."""
    required = TrainingModule.objects.filter(program=scope.program, required=True).order_by()

    def modules_required(role: str):
        return _zero(
            Subquery(
                required.filter(audience__in=[Audience.EVERYONE, role])
                .values("program")
                .annotate(modules=Count("pk"))
                .values("modules")
            )
        )

    # With no training required of their role, everyone who enrolled is trained.
    untrained_role = Q(role=Role.MENTOR, required_mentor=0) | Q(role=Role.MENTEE, required_mentee=0)
    # Grouped by role, state and every flag: a few dozen rows come back whatever the
    # number of people.
    flags = {
        **{f"was_{step}": condition for step, condition in milestones.reached().items()},
        "training_done": Q(trained_at__isnull=False) | untrained_role,
    }
    rows = (
        scope.of(Participant)
        .filter(scope.during("joined_at"))
        .alias(**{f"required_{role}": modules_required(role) for role in ROLES})
        .annotate(**{name: flag(condition) for name, condition in flags.items()})
        .values("role", "state", *flags)
        .annotate(people=Count("pk"))
    )
    counts = {role: dict.fromkeys([*RECRUITMENT_STEPS, "withdrawn", "joined"], 0) for role in ROLES}
    for row in rows:
        role_counts, people = counts[row["role"]], row["people"]
        reached = {
            "applied": row["was_applied"],
            "enrolled": row["was_enrolled"],
            # Readiness needed the training: people who were ready once stay trained
            # when a required module is added later.
            "trained": row["was_enrolled"] and (row["training_done"] or row["was_ready"]),
            "ready": row["was_ready"],
            "matched": row["was_matched"],
            "completed": row["was_completed"],
            "withdrawn": row["state"] == State.WITHDRAWN,
            "joined": row["state"] in JOINED_STATES,
        }
        for step, counted in reached.items():
            if counted:
                role_counts[step] += people
    invited = (
        scope.of(Invitation)
        .filter(scope.during("created_at"))
        .aggregate(**{role: Count("pk", filter=Q(role=role)) for role in ROLES})
    )
    for role in ROLES:
        counts[role]["invited"] = invited[role]
    return counts


def _funnel(counts: dict) -> list[dict]:
    steps, previous = [], None
    for step in FUNNEL_STEPS:
        mentors, mentees = counts[Role.MENTOR][step], counts[Role.MENTEE][step]
        total = mentors + mentees
        drop = None if previous is None else previous - total
        steps.append(
            {
                "step": step,
                "mentors": mentors,
                "mentees": mentees,
                "total": total,
                "drop": drop,
                # A step can hold more people than the one before it (people who joined
                # through the program's link were never invited): no loss to express.
                "drop_percent": None if previous is None or drop < 0 else percent(drop, previous),
            }
        )
        previous = total
    return steps


def _recruitment(scope: Scope, counts: dict) -> dict:
    program = scope.program
    # The people targets are for the program as a whole: people who joined within a
    # date range are not measured against them.
    ranged = scope.start is not None or scope.end is not None
    return {
        "by_role": {
            role: {step: counts[role][step] for step in (*RECRUITMENT_STEPS, "withdrawn")}
            for role in ROLES
        },
        "mentors_joined": targeted(
            counts[Role.MENTOR]["joined"], None if ranged else program.target_mentors or None
        ),
        "mentees_joined": targeted(
            counts[Role.MENTEE]["joined"], None if ranged else program.target_mentees or None
        ),
        "funnel": _funnel(counts),
    }


def _matching(scope: Scope, counts: dict, matches_by: dict) -> dict:
    mentees = counts[Role.MENTEE]
    # Each mentee's milestones: when they first became ready, and first matched.
    waits = scope.of(Participant).filter(
        scope.during("joined_at"), role=Role.MENTEE, matched_at__gte=F("ready_at")
    )
    median_wait = median_of(waits, F("matched_at") - F("ready_at"), DurationField())

    requests = dict.fromkeys(REQUEST_OUTCOMES, 0)
    rows = (
        scope.of(MatchRequest)
        .filter(scope.during("created_at"))
        .values("status")
        .annotate(total=Count("pk"))
    )
    for row in rows:
        requests[row["status"]] = row["total"]
    requests["total"] = sum(requests.values())

    sources = {}
    for source in SOURCES:
        by_status = matches_by.get(source, {})
        total = sum(by_status.values())
        ended = by_status.get(Match.Status.ENDED, 0)
        sources[source] = {
            "matches": total,
            "ended_early": ended,
            "early_closure_rate": percent(ended, total),
        }
    return {
        "match_rate": {
            "value": percent(mentees["matched"], mentees["ready"]),
            "numerator": mentees["matched"],
            "denominator": mentees["ready"],
            "target": scope.program.target_match_rate,
        },
        "median_days_to_match": (
            None if median_wait is None else half_up(median_wait / timedelta(days=1), 1)
        ),
        "requests": requests,
        "matches_by_source": sources,
    }


# The activity figures the tallies give, in the order the page lists them.
TALLIED = (
    "meetings_proposed",
    "meetings_held",
    "messages",
    "entries_submitted",
    "entries_reviewed",
)


def _activity(scope: Scope, matches: QuerySet) -> dict:
    # Added up from the tallies the services keep, a row per quarter hour, each thing
    # in the slot of its own date (journals.tallies): a range's bounds are local
    # midnights, which always start a quarter hour.
    tallied = (
        scope.of(ActivityTally)
        .filter(scope.during("slot"))
        .aggregate(**{column: _zero(Sum(column)) for column in TALLIED})
    )
    # The first review after the (latest) submission, as the review services stored it:
    # a reopened entry is timed from when it was sent again.
    answered = scope.of(JournalEntry, "match").filter(
        scope.during("submitted_at"), first_reviewed_at__isnull=False
    )
    median_review = median_of(answered, F("first_reviewed_at") - F("submitted_at"), DurationField())
    return {
        **tallied,
        "median_review_hours": (
            None if median_review is None else half_up(median_review / timedelta(hours=1), 1)
        ),
        # Now, whatever the range: the pairs a coordinator should call this week.
        "at_risk_pairs": quiet_pairs(matches).count(),
    }


def _hours(scope: Scope, matches: QuerySet) -> dict:
    program = scope.program
    target_minutes = program.hours_target * 60
    bucket_minutes = HISTOGRAM_BUCKET_HOURS * 60
    # Each pair's minutes as the journal and meeting services stored them
    # (Match.minutes_logged), grouped by total: one row per distinct total (a few
    # hundred at most in practice), which the buckets and the target then sort.
    rows = (
        matches.filter(scope.during("started_at"))
        .values("minutes_logged")
        .annotate(pairs=Count("pk"))
    )
    pairs = reached = minutes = 0
    histogram = {}
    for row in rows:
        pair_minutes, count = row["minutes_logged"], row["pairs"]
        pairs += count
        minutes += pair_minutes * count
        if pair_minutes >= target_minutes:
            reached += count
        bucket = pair_minutes // bucket_minutes
        histogram[bucket] = histogram.get(bucket, 0) + count
    # Every bucket up to the target's is shown, empty or not, so the chart keeps its scale.
    last = max([*histogram, target_minutes // bucket_minutes])
    training = (
        scope.of(TrainingCompletion, "participant")
        .filter(scope.during("completed_at"))
        .values("participant__role")
        .annotate(minutes=Sum("minutes"))
    )
    training_minutes = dict.fromkeys(ROLES, 0)
    for row in training:
        training_minutes[row["participant__role"]] = row["minutes"] or 0
    return {
        "hours_total": half_up(minutes / 60, 1),
        "average_hours": targeted(
            half_up(minutes / 60 / pairs, 1) if pairs else None,
            float(program.target_average_hours),
        ),
        "pairs_reaching_target": {
            "value": percent(reached, pairs),
            "numerator": reached,
            "denominator": pairs,
            "target_hours": program.hours_target,
        },
        "hours_histogram": [
            {
                "from_hours": bucket * HISTOGRAM_BUCKET_HOURS,
                "to_hours": (bucket + 1) * HISTOGRAM_BUCKET_HOURS,
                "pairs": histogram.get(bucket, 0),
            }
            for bucket in range(last + 1)
        ],
        "training_hours": {
            "total": half_up(sum(training_minutes.values()) / 60, 1),
            **{role: half_up(training_minutes[role] / 60, 1) for role in ROLES},
        },
    }


def _survey_figures(scope: Scope) -> dict:
    """Return satisfaction, NPS and goals by role and overall (one grouped query)."""
    end = Q(invitation__kind=SurveyKind.END)
    satisfaction = Q(question_key="satisfaction")
    recommend = end & Q(question_key="recommend")
    goals = end & Q(question_key="goals_reached")
    rows = (
        scope.of(SurveyAnswer, "invitation__match")
        .filter(scope.during("invitation__answered_at"))
        .values("invitation__role")
        .annotate(
            satisfaction_sum=Sum("number", filter=end & satisfaction),
            satisfaction_count=Count("pk", filter=end & satisfaction),
            midpoint_sum=Sum(
                "number", filter=Q(invitation__kind=SurveyKind.MIDPOINT) & satisfaction
            ),
            midpoint_count=Count(
                "pk", filter=Q(invitation__kind=SurveyKind.MIDPOINT) & satisfaction
            ),
            promoters=Count("pk", filter=recommend & Q(number__gte=9)),
            detractors=Count("pk", filter=recommend & Q(number__lte=6)),
            respondents=Count("pk", filter=recommend),
            goals_yes=Count("pk", filter=goals & Q(text="yes")),
            goals_partly=Count("pk", filter=goals & Q(text="partly")),
            goals_no=Count("pk", filter=goals & Q(text="no")),
        )
    )
    keys = [
        "satisfaction_sum",
        "satisfaction_count",
        "midpoint_sum",
        "midpoint_count",
        "promoters",
        "detractors",
        "respondents",
        "goals_yes",
        "goals_partly",
        "goals_no",
    ]
    by_role = {role: dict.fromkeys(keys, 0) for role in ROLES}
    for row in rows:
        role = row.pop("invitation__role")
        by_role[role].update({key: value or 0 for key, value in row.items()})
    overall = {key: sum(by_role[role][key] for role in ROLES) for key in keys}
    return {"overall": overall, **by_role}


def average(total: int, count: int) -> float | None:
    return half_up(total / count, 2) if count else None


def _nps(counts: dict) -> dict:
    return {
        "value": net_promoter_score(
            counts["promoters"], counts["detractors"], counts["respondents"]
        ),
        "promoters": counts["promoters"],
        "detractors": counts["detractors"],
        "respondents": counts["respondents"],
    }


OUTCOMES = ("matches_active", "matches_completed", "matches_ended_early")


def outcome_counts(start, end) -> dict[str, Count]:
    """Return the aggregates of the matches' outcomes over a range (instants, either
    None): the matches in progress at its end (now, when it reaches the present; none
    when it starts later), and those that ran to their end date or ended early within
    it, each by the moment it ended."""
    now = timezone.now()
    if end is not None and end <= now:
        active = Q(started_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gte=end))
    elif start is None or start <= now:
        active = Q(status=Match.Status.ACTIVE)
    else:
        active = Q(pk__in=[])
    ended = in_range("ended_at", start, end)
    return {
        "matches_active": Count("pk", filter=active),
        "matches_completed": Count("pk", filter=Q(status=Match.Status.COMPLETED) & ended),
        "matches_ended_early": Count("pk", filter=Q(status=Match.Status.ENDED) & ended),
    }


def _outcomes(scope: Scope, outcomes: dict) -> dict:
    reasons = (
        scope.of(SurveyAnswer, "invitation__match")
        .filter(scope.during("invitation__answered_at"), question_key="early_end_reason")
        .values("text")
        .annotate(answers=Count("pk"))
        .order_by("-answers", "text")
    )
    surveys = _survey_figures(scope)
    parts = ["overall", *ROLES]
    target = float(scope.program.target_satisfaction)
    return {
        **outcomes,
        "early_end_reasons": [
            {"reason": row["text"], "answers": row["answers"]} for row in reasons
        ],
        "satisfaction": {
            part: {
                "value": average(
                    surveys[part]["satisfaction_sum"], surveys[part]["satisfaction_count"]
                ),
                "respondents": surveys[part]["satisfaction_count"],
                "target": target,
            }
            for part in parts
        },
        "satisfaction_midpoint": {
            part: {
                "value": average(surveys[part]["midpoint_sum"], surveys[part]["midpoint_count"]),
                "respondents": surveys[part]["midpoint_count"],
            }
            for part in parts
        },
        "nps": {part: _nps(surveys[part]) for part in parts},
        "goals_reached": {
            part: {
                "yes": surveys[part]["goals_yes"],
                "partly": surveys[part]["goals_partly"],
                "no": surveys[part]["goals_no"],
            }
            for part in parts
        },
    }


def program_figures(program: Program, *, cycle=None, since=None, until=None) -> dict:
    """Return every figure of `program` (or of one of its cycles, or of a date range with
    both days included), grouped by section, each under the name DEFINITIONS explains.

    Runs QUERIES queries whatever the size of the program.
    """
    if cycle is not None and cycle.program_id != program.pk:
        raise ValueError("The cycle belongs to another program.")
    scope = Scope(program, cycle, since, until)
    counts = _people(scope)
    matches = scope.of(Match)
    # One grouped pass: the matches started in the range by source and status (the
    # sources' early closures), and the outcomes, each by the moment it ended.
    matches_by: dict[str, dict[str, int]] = {}
    outcomes = dict.fromkeys(OUTCOMES, 0)
    rows = matches.values("source", "status").annotate(
        started=Count("pk", filter=scope.during("started_at")),
        **outcome_counts(scope.start, scope.end),
    )
    for row in rows:
        matches_by.setdefault(row["source"], {})[row["status"]] = row["started"]
        for name in OUTCOMES:
            outcomes[name] += row[name]
    return {
        "program": program.name,
        "program_code": str(program.code),
        "cycle": cycle.name if cycle is not None else None,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "recruitment": _recruitment(scope, counts),
        "matching": _matching(scope, counts, matches_by),
        "activity": _activity(scope, matches),
        "hours": _hours(scope, matches),
        "outcomes": _outcomes(scope, outcomes),
    }


def figure_names(figures: dict) -> list[str]:
    """Return the names of the figures in `figures`, section by section (each one a key
    of DEFINITIONS); recruitment's by_role holds the step names."""
    names = []
    for section in ("recruitment", "matching", "activity", "hours", "outcomes"):
        for name, value in figures[section].items():
            if name == "by_role":
                names.extend(value[Role.MENTOR])
            else:
                names.append(name)
    return names
