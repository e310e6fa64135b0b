"""Figures across programs and across cycles: the organization's page (one row per
program, every column one grouped query) and a program's cycles side by side.

The organization's columns use the definitions of `kpis.DEFINITIONS` and the same
expressions as `program_figures`, grouped by program instead of by role.
"""

import uuid
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from evaluation import dashboard, kpis
from evaluation.charts import Chart
from evaluation.models import SurveyAnswer, SurveyKind
from journals.models import ActivityTally
from matching.models import Match
from programs import milestones
from programs.models import Participant
from programs.models.program import Role

# The organization's columns: (name, label, unit), names as in DEFINITIONS.
COLUMNS = (
    ("mentors_joined", _("Mentors"), "count"),
    ("mentees_joined", _("Mentees"), "count"),
    ("match_rate", _("Match rate"), "percent"),
    ("matches_active", _("Matches active"), "count"),
    ("matches_completed", _("Matches completed"), "count"),
    ("matches_ended_early", _("Matches ended early"), "count"),
    ("meetings_held", _("Meetings held"), "count"),
    ("messages", _("Messages"), "count"),
    ("hours_total", _("Hours of mentoring"), "hours"),
    ("average_hours", _("Hours per pair"), "hours"),
    ("satisfaction", _("Satisfaction (1 to 5)"), "score"),
    ("nps", _("Net promoter score"), "nps"),
)
# The queries organization_figures runs, whatever the number and size of the programs.
QUERIES = 6


@dataclass
class ProgramRow:
    program: object
    values: list = field(default_factory=list)
    targets: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.program.name

    @property
    def code(self) -> str:
        return str(self.program.code)

    @property
    def status(self) -> str:
        return self.program.status

    @property
    def cells(self) -> list[dict]:
        """Return each column's value as shown, with its target and whether it is met."""
        cells = []
        for (name, label, unit), value in zip(COLUMNS, self.values, strict=True):
            headline = dashboard.Headline(name, str(label), unit, value, self.targets.get(name))
            cells.append(headline)
        return cells


def _grouped(queryset, **aggregates) -> dict:
    """Return {program id: {aggregate: value}} of `queryset` grouped by program."""
    return {
        row.pop("program"): row
        for row in queryset.order_by().values("program").annotate(**aggregates)
    }


def organization_figures(programs, *, since=None, until=None) -> list[ProgramRow]:
    """Return one row per program of `programs`, with the COLUMNS figures; a range of
    days (both included) counts each thing by its own date, as program_figures does."""
    first_instant, after = kpis.day_bounds(since, until)
    ranged = since is not None or until is not None

    def during(field):
        return kpis.in_range(field, first_instant, after)

    joined = Q(participants__state__in=kpis.JOINED_STATES) & during("participants__joined_at")
    listed = list(
        programs.annotate(
            mentors=Count("participants", filter=joined & Q(participants__role=Role.MENTOR)),
            mentees=Count("participants", filter=joined & Q(participants__role=Role.MENTEE)),
        ).order_by("name", "pk")
    )
    ids = [program.pk for program in listed]
    reached = milestones.reached()
    mentees = _grouped(
        Participant.objects.filter(during("joined_at"), program__in=ids, role=Role.MENTEE),
        ready=Count("pk", filter=reached["ready"]),
        matched=Count("pk", filter=reached["matched"]),
    )
    # Outcomes by the moment each match ended, as on a program's page; hours of the
    # pairs that started in the range.
    statuses = _grouped(
        Match.objects.filter(program__in=ids), **kpis.outcome_counts(first_instant, after)
    )
    matches = Match.objects.filter(during("started_at"), program__in=ids)
    hours = _grouped(matches, pairs=Count("pk"), minutes=Sum("minutes_logged"))
    # Meetings held and messages, from the quarter-hour tallies (journals.tallies).
    tallied = _grouped(
        ActivityTally.objects.filter(during("slot"), program__in=ids),
        held=Sum("meetings_held"),
        messages=Sum("messages"),
    )
    end_survey = Q(invitation__kind=SurveyKind.END)
    recommend = end_survey & Q(question_key="recommend")
    satisfaction = end_survey & Q(question_key="satisfaction")
    surveys = _grouped(
        SurveyAnswer.objects.filter(
            during("invitation__answered_at"), invitation__match__program__in=ids
        ).annotate(program=F("invitation__match__program")),
        satisfaction_sum=Sum("number", filter=satisfaction),
        satisfaction_count=Count("pk", filter=satisfaction),
        promoters=Count("pk", filter=recommend & Q(number__gte=9)),
        detractors=Count("pk", filter=recommend & Q(number__lte=6)),
        respondents=Count("pk", filter=recommend),
    )
    rows = []
    for program in listed:
        pk = program.pk
        people = mentees.get(pk, {"ready": 0, "matched": 0})
        status = statuses.get(pk, dict.fromkeys(kpis.OUTCOMES, 0))
        pair_hours = hours.get(pk, {"pairs": 0, "minutes": 0})
        answers = surveys.get(pk, {})
        minutes = pair_hours["minutes"] or 0
        rows.append(
            ProgramRow(
                program,
                values=[
                    program.mentors,
                    program.mentees,
                    kpis.percent(people["matched"], people["ready"]),
                    *(status[name] for name in kpis.OUTCOMES),
                    tallied.get(pk, {}).get("held") or 0,
                    tallied.get(pk, {}).get("messages") or 0,
                    kpis.half_up(minutes / 60, 1),
                    (
                        kpis.half_up(minutes / 60 / pair_hours["pairs"], 1)
                        if pair_hours["pairs"]
                        else None
                    ),
                    kpis.average(
                        answers.get("satisfaction_sum") or 0, answers.get("satisfaction_count", 0)
                    ),
                    kpis.net_promoter_score(
                        answers.get("promoters", 0),
                        answers.get("detractors", 0),
                        answers.get("respondents", 0),
                    ),
                ],
                targets={
                    # For the program as a whole, not for who joined within a range.
                    "mentors_joined": None if ranged else program.target_mentors or None,
                    "mentees_joined": None if ranged else program.target_mentees or None,
                    "match_rate": program.target_match_rate or None,
                    "average_hours": float(program.target_average_hours) or None,
                    "satisfaction": float(program.target_satisfaction) or None,
                },
            )
        )
    return rows


# ---------------------------------------------------------------- cycles side by side


def valid_codes(values: list[str]) -> list[uuid.UUID]:
    """Return the values that are UUIDs (others are dropped, never a 500)."""
    codes = []
    for value in values:
        try:
            codes.append(uuid.UUID(value))
        except ValueError:
            continue
    return codes


@dataclass
class Comparison:
    columns: list[str]
    rows: list[tuple[dashboard.Headline, list[dashboard.Headline]]]
    charts: list[Chart]


def compare_cycles(program, cycles: list) -> Comparison:
    """Return the headline figures of each cycle and of the whole program side by side
    (program_figures once per column)."""
    columns = [cycle.name for cycle in cycles] + [str(_("All cycles"))]
    per_column = [
        dashboard.headlines(kpis.program_figures(program, cycle=cycle)) for cycle in cycles
    ]
    per_column.append(dashboard.headlines(kpis.program_figures(program)))
    rows = [
        (per_column[0][index], [column[index] for column in per_column])
        for index in range(len(per_column[0]))
    ]
    charts = []
    for name, title in (
        ("match_rate", _("Match rate by cycle (%)")),
        ("average_hours", _("Hours per pair by cycle")),
        ("satisfaction", _("Satisfaction by cycle (1 to 5)")),
    ):
        figures = {
            columns[index]: next(h for h in column if h.name == name)
            for index, column in enumerate(per_column[:-1])
        }
        target = next(h for h in per_column[-1] if h.name == name).target
        target_text = (
            str(_("Target: %(value)s") % {"value": dashboard.shown(target, figures_unit(name))})
            if target
            else ""
        )
        charts.append(
            Chart(
                title=str(title),
                summary="; ".join(f"{label}: {h.shown}" for label, h in figures.items())
                + (f". {target_text}" if target_text else ""),
                labels=list(figures),
                values=[h.value for h in figures.values()],
                horizontal=True,
                target=target,
                target_label=target_text,
            )
        )
    return Comparison(columns=columns, rows=rows, charts=charts)


def figures_unit(name: str) -> str:
    return next(unit for key, _label, unit in dashboard.HEADLINES if key == name)
