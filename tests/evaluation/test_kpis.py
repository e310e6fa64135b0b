"""The program figures: a known history gives exactly its figures, nothing leaks from
another program, and the query count does not grow with the program."""

from datetime import timedelta

import pytest
import time_machine

from evaluation.kpis import DEFINITIONS, QUERIES, figure_names, program_figures
from programs.models import Program
from tests.evaluation.kpi_builders import START, add_pairs

pytestmark = pytest.mark.django_db

LATER = START + timedelta(weeks=11)


@pytest.fixture
def figures(kpi_history):
    with time_machine.travel(LATER, tick=False):
        return program_figures(kpi_history.program)


def test_requests_end_as_the_history_says(figures):
    assert figures["matching"]["requests"] == {
        "pending": 0,
        "approved": 4,
        "declined": 2,
        "withdrawn": 2,
        "expired": 1,
        "superseded": 1,
        "closed": 0,
        "total": 10,
    }


def test_matches_end_as_the_history_says(figures):
    outcomes = figures["outcomes"]
    assert (outcomes["matches_active"], outcomes["matches_completed"]) == (2, 1)
    assert outcomes["matches_ended_early"] == 1
    assert figures["matching"]["matches_by_source"]["participant"] == {
        "matches": 4,
        "ended_early": 1,
        "early_closure_rate": 25.0,
    }
    assert figures["matching"]["matches_by_source"]["automatch"]["matches"] == 0


def test_hours_follow_the_journal_rule_over_all_pairs(figures):
    hours = figures["hours"]
    # 2 h meeting + 3 h entry; one meeting counted once for 2 h; 5 h; nothing.
    assert hours["hours_total"] == 12.0
    assert hours["average_hours"] == {"value": 3.0, "target": 10.0}
    assert hours["pairs_reaching_target"] == {
        "value": 50.0,
        "numerator": 2,
        "denominator": 4,
        "target_hours": 5,
    }
    assert [bucket["pairs"] for bucket in hours["hours_histogram"]] == [1, 1, 2]
    assert hours["hours_histogram"][2] == {"from_hours": 4, "to_hours": 6, "pairs": 2}


def test_recruitment_and_the_funnel(kpi_history, figures):
    recruitment = figures["recruitment"]
    assert recruitment["by_role"]["mentor"] == {
        "invited": 2,
        "applied": 0,
        "enrolled": 4,
        "trained": 4,
        "ready": 4,
        "matched": 4,
        "completed": 1,
        "withdrawn": 0,
    }
    assert recruitment["by_role"]["mentee"]["enrolled"] == 8
    assert recruitment["by_role"]["mentee"]["matched"] == 4
    assert [(s["step"], s["total"], s["drop"]) for s in recruitment["funnel"]] == [
        ("invited", 2, None),
        ("enrolled", 12, -10),
        ("trained", 12, 0),
        ("matched", 8, 4),
        ("completed", 2, 6),
    ]
    assert recruitment["mentors_joined"] == {"value": 4, "target": None}


def test_match_rate_and_time_to_match(figures):
    matching = figures["matching"]
    assert matching["match_rate"] == {
        "value": 50.0,
        "numerator": 4,
        "denominator": 8,
        "target": 80,
    }
    assert matching["median_days_to_match"] == 2.0


def test_activity(figures):
    assert figures["activity"] == {
        "meetings_proposed": 2,
        "meetings_held": 2,
        "messages": 3,
        "entries_submitted": 4,
        "entries_reviewed": 1,
        "median_review_hours": 3.0,
        # Both active pairs have been quiet since their first week.
        "at_risk_pairs": 2,
    }


def test_satisfaction_nps_and_goals_from_the_answers(figures):
    outcomes = figures["outcomes"]
    satisfaction = outcomes["satisfaction"]
    assert satisfaction["overall"] == {"value": 3.25, "respondents": 4, "target": 4.0}
    assert (satisfaction["mentor"]["value"], satisfaction["mentee"]["value"]) == (3.0, 3.5)
    # Promoters 10 and 9, a detractor 3, a passive 7.
    assert outcomes["nps"]["overall"] == {
        "value": 25.0,
        "promoters": 2,
        "detractors": 1,
        "respondents": 4,
    }
    assert outcomes["nps"]["mentor"]["value"] == 0.0
    assert outcomes["nps"]["mentee"]["value"] == 50.0
    assert outcomes["goals_reached"]["overall"] == {"yes": 1, "partly": 2, "no": 1}
    assert outcomes["early_end_reasons"] == [
        {"reason": "We could not find time to meet", "answers": 2}
    ]
    assert outcomes["satisfaction_midpoint"]["overall"]["value"] is None


def test_training_hours_count_completed_modules(kpi_history, figures):
    training = figures["hours"]["training_hours"]
    # Twelve people, each through their role's built-in modules.
    assert training["total"] == training["mentor"] + training["mentee"] > 0


def test_every_figure_has_a_definition(figures):
    names = figure_names(figures)
    assert names and set(names) <= set(DEFINITIONS)
    assert all(str(DEFINITIONS[name]).endswith(".") for name in names)


def test_a_date_range_counts_what_happened_in_it(kpi_history):
    with time_machine.travel(LATER, tick=False):
        before = program_figures(kpi_history.program, until=(START - timedelta(days=1)).date())
        first_days = program_figures(
            kpi_history.program, since=START.date(), until=(START + timedelta(days=2)).date()
        )
    assert before["matching"]["requests"]["total"] == 0
    assert before["hours"]["hours_total"] == 0
    assert first_days["matching"]["requests"]["total"] == 10  # all sent on the third day
    assert first_days["activity"]["messages"] == 0


def test_the_people_targets_are_for_the_whole_program_not_a_date_range(kpi_history):
    program = kpi_history.program
    Program.objects.filter(pk=program.pk).update(target_mentors=10)
    program.refresh_from_db()
    try:
        with time_machine.travel(LATER, tick=False):
            whole = program_figures(program)["recruitment"]["mentors_joined"]
            ranged = program_figures(program, since=START.date())["recruitment"]
    finally:
        Program.objects.filter(pk=program.pk).update(target_mentors=0)
        program.refresh_from_db()
    assert whole == {"value": 4, "target": 10}
    assert ranged["mentors_joined"]["target"] is None


def test_a_cycle_of_another_program_is_refused(kpi_history):
    with pytest.raises(ValueError):
        program_figures(kpi_history.program, cycle=kpi_history.other.cycle)


@pytest.mark.parametrize("extra_pairs", [0, 30])
def test_the_query_count_does_not_grow(kpi_history, extra_pairs, django_assert_max_num_queries):
    add_pairs(kpi_history.program, kpi_history.cycle, extra_pairs)
    with time_machine.travel(LATER, tick=False), django_assert_max_num_queries(QUERIES):
        figures = program_figures(kpi_history.program, cycle=kpi_history.cycle)
    assert figures["outcomes"]["matches_active"] == 2 + extra_pairs


def test_figures_are_rounded_once_and_half_up():
    from evaluation.kpis import average, half_up, net_promoter_score, percent

    assert half_up(13.25, 1) == 13.3  # round() would give 13.2
    assert percent(1, 16) == 6.3
    assert average(33, 8) == 4.13
    # 5 more promoters than detractors among 13: 38.46, never 38.5 then 39.
    assert net_promoter_score(7, 2, 13) == 38
    assert net_promoter_score(0, 0, 0) is None
    assert net_promoter_score(1, 3, 4) == -50
