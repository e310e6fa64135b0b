"""The clock benchmark's functions run at a tiny size (figures, not timings)."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "clock.py"


def load_benchmark():
    """Load benchmarks/clock.py as a module (its bulk fillers serve the query-count tests)."""
    spec = importlib.util.spec_from_file_location("clock_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_completes_the_due_matches_and_scans_the_requests(db):
    figures = load_benchmark().run(matches=30, requests=200)

    assert set(figures) == {
        "matches",
        "completed",
        "completion_s",
        "completion_queries",
        "pending_requests",
        "reminders_due",
        "reminder_scan_s",
        "reminder_scan_queries",
    }
    assert figures["completed"] == 30
    assert figures["reminders_due"] == 20
    assert figures["reminder_scan_queries"] == 1
    assert figures["completion_queries"] <= 12
