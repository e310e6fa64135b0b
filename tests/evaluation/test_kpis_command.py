"""`manage.py kpis`: the same figures, under the same names, as JSON or as text."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from evaluation.kpis import program_figures
from tests.evaluation.kpi_builders import START

pytestmark = pytest.mark.django_db

LATER = START + timedelta(weeks=11)


def run(*args) -> str:
    out = StringIO()
    with time_machine.travel(LATER, tick=False):
        call_command("kpis", *args, stdout=out)
    return out.getvalue()


def test_json_gives_the_known_history_under_the_module_names(kpi_history):
    printed = json.loads(run(str(kpi_history.program.code), "--json"))
    with time_machine.travel(LATER, tick=False):
        assert printed == program_figures(kpi_history.program)
    assert printed["matching"]["requests"]["approved"] == 4
    assert printed["matching"]["requests"]["total"] == 10
    assert printed["hours"]["hours_total"] == 12.0
    outcomes = printed["outcomes"]
    assert (outcomes["matches_active"], outcomes["matches_completed"]) == (2, 1)
    assert outcomes["matches_ended_early"] == 1


def test_a_program_is_found_by_its_exact_name_and_a_cycle_by_its_name(kpi_history):
    printed = json.loads(run("Leaders of tomorrow", "--cycle", kpi_history.cycle.name, "--json"))
    assert printed["cycle"] == kpi_history.cycle.name
    assert printed["program_code"] == str(kpi_history.program.code)


def test_text_lists_every_section_with_targets(kpi_history):
    printed = run("Leaders of tomorrow")
    for line in ("recruitment", "matching", "outcomes", "  hours_total: 12.0"):
        assert line in printed
    assert "match_rate: 50.0 (numerator 4, denominator 8, target 80)" in printed


def test_unknown_programs_and_cycles_are_refused(kpi_history):
    with pytest.raises(CommandError, match="No program"):
        run("Nobody's program")
    with pytest.raises(CommandError, match="no cycle named"):
        run("Leaders of tomorrow", "--cycle", "Winter")
    with pytest.raises(CommandError, match="not a date"):
        run("Leaders of tomorrow", "--since", "yesterday")
