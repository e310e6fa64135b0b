"""The KPI benchmark fills and measures a tiny program (figures, not timings)."""

import importlib.util
from pathlib import Path

import pytest

from evaluation import kpis, trends
from journals.models import ActivityTally
from journals.tallies import COLUMNS, rebuild_tallies
from programs.models import Program

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "kpis.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("kpi_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)  # the fill ends with VACUUM, outside a transaction
def test_it_fills_a_program_and_measures_its_page_and_export(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    figures = load_benchmark().run(scale=0.005, reuse=False, repeats=1, explain_queries=False)

    assert figures["large_program"]["participants"] == 100
    assert figures["large_program"]["messages"] == 5_000
    assert figures["program_figures"]["queries"] == kpis.QUERIES
    assert figures["weekly_trends"]["queries"] == trends.QUERIES
    assert 10 < figures["dashboard"]["queries"] <= 30
    assert figures["export_pairs"]["queries"] <= 5
    assert figures["export_pairs"]["bytes"] > 0
    # The fill's tallies (messages in SQL, meetings and entries by journals.tallies) are
    # what the services would have kept.
    program = Program.objects.get(name=load_benchmark().LARGE_PROGRAM)
    tallies = ActivityTally.objects.filter(program=program).order_by("cycle", "slot")

    def tallied():
        counted = tallies.values_list("cycle", "slot", *COLUMNS)
        return [row for row in counted if any(row[2:])]

    filled = tallied()
    assert filled
    rebuild_tallies([program.pk])
    assert tallied() == filled
