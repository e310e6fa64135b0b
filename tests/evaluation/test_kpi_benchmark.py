"""The KPI benchmark fills and measures a tiny program (figures, not timings)."""

import importlib.util
from pathlib import Path

import pytest

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
    assert figures["program_figures"]["queries"] == 15
    assert figures["weekly_trends"]["queries"] == 5
    assert 10 < figures["dashboard"]["queries"] <= 30
    assert figures["export_pairs"]["queries"] <= 5
    assert figures["export_pairs"]["bytes"] > 0
