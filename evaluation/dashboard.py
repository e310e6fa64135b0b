"""What the figure pages show: `program_figures` and `weekly_trends` put into headline
figures, tables and charts, under the names the JSON and the CSV use.

Nothing here queries the database; the pages, the printable report and the exports
share these builders so a figure reads the same everywhere.
"""

import math
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from evaluation.charts import Chart, rounded
from evaluation.kpis import DEFINITIONS, ROLES
from matching.models import MatchRequest, Source
from programs.models.program import Role

# Steps of the funnel, naming groups of people (a participant's state names one person).
STEP_LABELS = {
    "invited": pgettext_lazy("people", "Invited"),
    "applied": pgettext_lazy("people", "Applied"),
    "enrolled": pgettext_lazy("people", "Enrolled"),
    "trained": pgettext_lazy("people", "Trained"),
    "ready": pgettext_lazy("people", "Ready to match"),
    "matched": pgettext_lazy("people", "Matched"),
    "completed": pgettext_lazy("people", "Completed a match"),
    "withdrawn": pgettext_lazy("people", "Left or declined"),
}
ROLE_LABELS = {Role.MENTOR.value: _("Mentors"), Role.MENTEE.value: _("Mentees")}
PART_LABELS = {"overall": _("Everyone"), **ROLE_LABELS}
GOAL_LABELS = {"yes": _("Yes"), "partly": _("Partly"), "no": _("No")}

# The headline figures, in the order pages show them: (name, label, unit).
HEADLINES = (
    ("mentors_joined", _("Mentors"), "count"),
    ("mentees_joined", _("Mentees"), "count"),
    ("match_rate", _("Match rate"), "percent"),
    ("median_days_to_match", _("Median days to a match"), "days"),
    ("matches_active", _("Matches active"), "count"),
    ("matches_completed", _("Matches completed"), "count"),
    ("matches_ended_early", _("Matches ended early"), "count"),
    ("meetings_held", _("Meetings held"), "count"),
    ("messages", _("Messages"), "count"),
    ("entries_submitted", _("Journal entries"), "count"),
    ("median_review_hours", _("Median hours to a review"), "hours"),
    ("hours_total", _("Hours of mentoring"), "hours"),
    ("average_hours", _("Hours per pair"), "hours"),
    ("pairs_reaching_target", _("Pairs reaching the hours target"), "percent"),
    ("training_hours", _("Hours of training"), "hours"),
    ("satisfaction", _("Satisfaction (1 to 5)"), "score"),
    ("nps", _("Net promoter score"), "nps"),
    ("at_risk_pairs", _("Quiet pairs now"), "count"),
)


@dataclass
class Headline:
    name: str
    label: str
    unit: str
    value: float | None
    target: float | None = None
    detail: str = ""
    definition: str = ""

    @property
    def shown(self) -> str:
        return shown(self.value, self.unit)

    @property
    def shown_target(self) -> str:
        return "" if self.target is None else shown(self.target, self.unit)

    @property
    def met(self) -> bool | None:
        """Return whether the value reached its target (None without both)."""
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target


def shown(value, unit: str) -> str:
    """Return a figure as the pages write it: "—" for no value, in the reader's locale."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{rounded(value, 1)}\u00a0%"
    if unit in {"hours", "days"}:
        return rounded(value, 1)
    if unit == "score":
        return rounded(value, 2)
    if unit == "nps":
        return rounded(value, 0)
    return rounded(value, 0, grouping=True)


def _headline_values(figures: dict) -> dict:
    recruitment, matching = figures["recruitment"], figures["matching"]
    activity, hours, outcomes = figures["activity"], figures["hours"], figures["outcomes"]
    rate, reaching = matching["match_rate"], hours["pairs_reaching_target"]
    satisfaction, nps = outcomes["satisfaction"]["overall"], outcomes["nps"]["overall"]
    return {
        "mentors_joined": (
            recruitment["mentors_joined"]["value"],
            recruitment["mentors_joined"]["target"],
            "",
        ),
        "mentees_joined": (
            recruitment["mentees_joined"]["value"],
            recruitment["mentees_joined"]["target"],
            "",
        ),
        "match_rate": (
            rate["value"],
            rate["target"] or None,
            _("%(matched)s of %(ready)s mentees ready")
            % {"matched": rate["numerator"], "ready": rate["denominator"]},
        ),
        "median_days_to_match": (matching["median_days_to_match"], None, ""),
        "matches_active": (outcomes["matches_active"], None, ""),
        "matches_completed": (outcomes["matches_completed"], None, ""),
        "matches_ended_early": (outcomes["matches_ended_early"], None, ""),
        "meetings_held": (
            activity["meetings_held"],
            None,
            _("%(count)s proposed") % {"count": activity["meetings_proposed"]},
        ),
        "messages": (activity["messages"], None, ""),
        "entries_submitted": (
            activity["entries_submitted"],
            None,
            _("%(count)s reviewed") % {"count": activity["entries_reviewed"]},
        ),
        "median_review_hours": (activity["median_review_hours"], None, ""),
        "hours_total": (hours["hours_total"], None, ""),
        "average_hours": (
            hours["average_hours"]["value"],
            hours["average_hours"]["target"] or None,
            "",
        ),
        "pairs_reaching_target": (
            reaching["value"],
            None,
            _("%(reached)s of %(pairs)s pairs reached %(hours)s hours")
            % {
                "reached": reaching["numerator"],
                "pairs": reaching["denominator"],
                "hours": reaching["target_hours"],
            },
        ),
        "training_hours": (hours["training_hours"]["total"], None, ""),
        "satisfaction": (
            satisfaction["value"],
            satisfaction["target"] or None,
            _("%(count)s answers") % {"count": satisfaction["respondents"]},
        ),
        "nps": (nps["value"], None, _("%(count)s answers") % {"count": nps["respondents"]}),
        "at_risk_pairs": (activity["at_risk_pairs"], None, ""),
    }


def headlines(figures: dict) -> list[Headline]:
    """Return the headline figures of `figures`, each with its target and definition."""
    values = _headline_values(figures)
    return [
        Headline(
            name=name,
            label=str(label),
            unit=unit,
            value=values[name][0],
            target=values[name][1],
            detail=str(values[name][2]),
            definition=str(DEFINITIONS[name]),
        )
        for name, label, unit in HEADLINES
    ]


# ---------------------------------------------------------------- tables


@dataclass
class Table:
    """A table of the page, its CSV under the same name and column names."""

    name: str
    caption: str
    columns: list[tuple[str, str]]  # (CSV name, heading)
    rows: list[list] = field(default_factory=list)
    definition: str = ""
    chart: Chart | None = None

    @property
    def svg(self):
        return self.chart.svg if self.chart else ""

    @property
    def shown_rows(self) -> list[list[str]]:
        """Return the rows as the page writes them (labels, localised numbers)."""
        return [[_shown_cell(cell) for cell in row] for row in self.rows]

    @property
    def csv_rows(self) -> list[list]:
        """Return the rows as the CSV writes them (codes and plain numbers)."""
        return [[_csv_cell(cell) for cell in row] for row in self.rows]


def _shown_cell(cell) -> str:
    if isinstance(cell, tuple):
        return str(cell[1])
    if isinstance(cell, date):
        return date_format(cell, "SHORT_DATE_FORMAT")
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float):
        return shown(cell, "hours")
    return shown(cell, "count")


def _as(value, unit: str) -> tuple:
    """Return a cell written in `unit` on the page and as the plain number in the CSV."""
    return (value, shown(value, unit))


def _csv_cell(cell):
    if isinstance(cell, tuple):
        cell = cell[0]
    if isinstance(cell, date):
        return cell.isoformat()
    return "" if cell is None else cell


def _drop(drop):
    if drop is not None and drop < 0:
        return (drop, _("%(count)s more than the step before") % {"count": -drop})
    return drop


def _funnel_table(figures: dict) -> Table:
    table = Table(
        "funnel",
        str(_("From invitation to a completed match")),
        [
            ("step", _("Step")),
            ("mentors", _("Mentors")),
            ("mentees", _("Mentees")),
            ("total", _("Total")),
            ("drop", _("Lost since the step before")),
            ("drop_percent", _("Lost (%)")),
        ],
        definition=str(DEFINITIONS["funnel"]),
    )
    for step in figures["recruitment"]["funnel"]:
        table.rows.append(
            [
                (step["step"], STEP_LABELS[step["step"]]),
                step["mentors"],
                step["mentees"],
                step["total"],
                _drop(step["drop"]),
                _as(step["drop_percent"], "percent"),
            ]
        )
    table.chart = Chart(
        title=table.caption,
        summary=str(_("People at each step: %(steps)s."))
        % {
            "steps": ", ".join(
                f"{STEP_LABELS[step['step']]} {step['total']}"
                for step in figures["recruitment"]["funnel"]
            )
        },
        labels=[str(STEP_LABELS[step["step"]]) for step in figures["recruitment"]["funnel"]],
        values=[step["total"] for step in figures["recruitment"]["funnel"]],
        horizontal=True,
    )
    return table


def _roles_table(figures: dict) -> Table:
    by_role = figures["recruitment"]["by_role"]
    table = Table(
        "recruitment",
        str(_("People at each step, by role")),
        [("step", _("Step")), *[(role, ROLE_LABELS[role]) for role in ROLES]],
    )
    for step in by_role[Role.MENTOR]:
        table.rows.append([(step, STEP_LABELS[step]), *[by_role[role][step] for role in ROLES]])
    return table


def _requests_table(figures: dict) -> Table:
    requests = figures["matching"]["requests"]
    table = Table(
        "requests",
        str(_("Match requests by outcome")),
        [("outcome", _("Outcome")), ("requests", _("Requests"))],
        definition=str(DEFINITIONS["requests"]),
    )
    for value, label in MatchRequest.Status.choices:
        table.rows.append([(value, label), requests[value]])
    table.chart = Chart(
        title=table.caption,
        summary=str(_("%(total)s requests: %(outcomes)s."))
        % {
            "total": requests["total"],
            "outcomes": ", ".join(
                f"{label} {requests[value]}" for value, label in MatchRequest.Status.choices
            ),
        },
        labels=[str(label) for _value, label in MatchRequest.Status.choices],
        values=[requests[value] for value in MatchRequest.Status.values],
        horizontal=True,
    )
    return table


def _sources_table(figures: dict) -> Table:
    sources = figures["matching"]["matches_by_source"]
    table = Table(
        "sources",
        str(_("Matches by who proposed them")),
        [
            ("source", _("Proposed by")),
            ("matches", _("Matches")),
            ("ended_early", _("Ended early")),
            ("early_closure_rate", _("Ended early (%)")),
        ],
        definition=str(DEFINITIONS["matches_by_source"]),
    )
    for value, label in Source.choices:
        row = sources[value]
        table.rows.append(
            [
                (value, label),
                row["matches"],
                row["ended_early"],
                _as(row["early_closure_rate"], "percent"),
            ]
        )
    return table


def _hours_table(figures: dict) -> Table:
    hours = figures["hours"]
    table = Table(
        "hours",
        str(_("Pairs by hours of mentoring")),
        [
            ("from_hours", _("From (hours)")),
            ("to_hours", _("To (hours, not included)")),
            ("pairs", _("Pairs")),
        ],
        definition=str(DEFINITIONS["hours_histogram"]),
    )
    histogram = hours["hours_histogram"]
    for bucket in histogram:
        table.rows.append([bucket["from_hours"], bucket["to_hours"], bucket["pairs"]])
    target = hours["pairs_reaching_target"]["target_hours"]
    table.chart = Chart(
        title=table.caption,
        summary=str(
            _("%(reached)s of %(pairs)s pairs reached the target of %(hours)s hours.")
            % {
                "reached": hours["pairs_reaching_target"]["numerator"],
                "pairs": hours["pairs_reaching_target"]["denominator"],
                "hours": target,
            }
        ),
        labels=[f"{bucket['from_hours']}–{bucket['to_hours']}" for bucket in histogram],
        values=[bucket["pairs"] for bucket in histogram],
        label_every=max(1, math.ceil(len(histogram) / 10)),
    )
    return table


def _reasons_table(figures: dict) -> Table:
    table = Table(
        "reasons",
        str(_("Why matches ended early")),
        [("reason", _("Reason given")), ("answers", _("Answers"))],
        definition=str(DEFINITIONS["early_end_reasons"]),
    )
    for row in figures["outcomes"]["early_end_reasons"]:
        # Stored as the survey's English choice; shown in the reader's language.
        table.rows.append([(row["reason"], gettext(row["reason"])), row["answers"]])
    return table


def _surveys_table(figures: dict) -> Table:
    outcomes = figures["outcomes"]
    table = Table(
        "surveys",
        str(_("What participants say")),
        [
            ("part", _("Who")),
            ("satisfaction", _("Satisfaction at the end")),
            ("satisfaction_midpoint", _("Satisfaction mid-cycle")),
            ("nps", _("Net promoter score")),
            ("goals_yes", _("Goals reached")),
            ("goals_partly", _("Goals partly reached")),
            ("goals_no", _("Goals not reached")),
        ],
    )
    for part, label in PART_LABELS.items():
        goals = outcomes["goals_reached"][part]
        table.rows.append(
            [
                (part, label),
                _as(outcomes["satisfaction"][part]["value"], "score"),
                _as(outcomes["satisfaction_midpoint"][part]["value"], "score"),
                _as(outcomes["nps"][part]["value"], "nps"),
                goals["yes"],
                goals["partly"],
                goals["no"],
            ]
        )
    return table


def _week_label(monday) -> str:
    # "N": the month's usual abbreviation, unambiguous in every language (juin, juil.).
    return date_format(monday, "j N")


def trend_tables(trends: dict) -> list[Table]:
    """Return one table and chart per weekly series."""
    weeks = trends["weeks"]
    every = max(1, math.ceil(len(weeks) / 7))
    tables = []
    for series in trends["series"]:
        table = Table(
            f"trend-{series.name}",
            series.label,
            [("week", _("Week of")), (series.name, series.label)],
            rows=[[week, value] for week, value in zip(weeks, series.values, strict=True)],
            definition=series.definition,
        )
        total = sum(series.values)
        table.chart = Chart(
            title=series.label,
            summary=str(
                _("%(total)s over %(weeks)s weeks, from the week of %(first)s to that of %(last)s.")
                % {
                    "total": shown(total, "hours" if isinstance(total, float) else "count"),
                    "weeks": len(weeks),
                    "first": _week_label(weeks[0]) if weeks else "",
                    "last": _week_label(weeks[-1]) if weeks else "",
                }
            ),
            labels=[_week_label(week) for week in weeks],
            values=list(series.values),
            label_every=every,
        )
        tables.append(table)
    return tables


# The sections of a program's page after its headline figures: (anchor, heading, tables).
SECTIONS = (
    ("recruitment", _("Recruitment"), ("funnel", "recruitment")),
    ("matching", _("Matching"), ("requests", "sources")),
    ("hours", _("Hours"), ("hours",)),
    ("outcomes", _("Outcomes"), ("surveys", "reasons")),
)


def sections(tables: dict[str, "Table"]) -> list[tuple[str, str, list["Table"]]]:
    """Return the page's sections with their tables, in the page's order."""
    return [(slug, heading, [tables[name] for name in names]) for slug, heading, names in SECTIONS]


def program_tables(figures: dict) -> dict[str, Table]:
    """Return the tables of the program page by name (the CSV names)."""
    tables = [
        _roles_table(figures),
        _funnel_table(figures),
        _requests_table(figures),
        _sources_table(figures),
        _hours_table(figures),
        _surveys_table(figures),
        _reasons_table(figures),
    ]
    return {table.name: table for table in tables}


def flatten(figures: dict, prefix: str = ""):
    """Yield (name, value) for every number of `figures`, named by its path in the JSON
    (`matching.requests.declined`); lists are numbered from 0."""
    for key, value in figures.items() if isinstance(figures, dict) else enumerate(figures):
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict | list):
            yield from flatten(value, name)
        else:
            yield name, value
