"""`manage.py automatch`: the figures as JSON and the arrays behind them, read-only."""

import io
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from matching.models import AutoMatchRun, MatchRequest
from tests.factories import UserFactory
from tests.matching.builders import make_ready, matching_program

pytestmark = pytest.mark.django_db

FIGURE_KEYS = {
    "mentees", "mentors", "places", "matched", "total_score", "greedy_matched",
    "greedy_total_score", "gain_over_greedy_pct", "p10_score", "worst_score",
    "blocking_pair_share",
}  # fmt: skip


@pytest.fixture
def pool(coordinator):
    """Four mentees, two mentors with two places; Fleur speaks only French, like no mentor."""
    program, cycle = matching_program(coordinator)
    mentees = [
        make_ready(program, UserFactory(display_name=name)) for name in ["Ann", "Ben", "Cai"]
    ]
    mentees.append(make_ready(program, UserFactory(display_name="Fleur"), languages=("fr",)))
    mentors = [
        make_ready(program, UserFactory(display_name=name), role="mentor", capacity=2)
        for name in ("Yann", "Zoe")
    ]
    return program, cycle, mentees, mentors


def run(*args):
    out = io.StringIO()
    call_command("automatch", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_prints_the_figures_and_pairs_as_json(pool):
    program, cycle, mentees, mentors = pool
    report = json.loads(run(str(program.code), "--json"))
    assert set(report) >= FIGURE_KEYS
    assert report["cycle"] == cycle.name
    assert (report["mentees"], report["mentors"], report["places"]) == (4, 2, 4)
    assert report["matched"] == 3  # Fleur shares no language with any mentor
    codes = {str(person.code) for person in [*mentees, *mentors]}
    assert {pair["mentee"] for pair in report["pairs"]} <= codes
    assert str(mentees[3].code) not in {pair["mentee"] for pair in report["pairs"]}
    assert len(report["pairs"]) == 3


def test_it_is_read_only(pool):
    program, cycle, _mentees, _mentors = pool
    run(program.name, "--cycle", cycle.name, "--json")
    assert not AutoMatchRun.objects.exists()
    assert not MatchRequest.objects.exists()


def test_the_summary_is_readable(pool):
    program, _cycle, _mentees, _mentors = pool
    text = run(program.name)
    assert "read-only" in text
    assert "matched:" in text
    assert "→" in text


def test_it_exports_the_arrays(pool, tmp_path):
    program, _cycle, mentees, mentors = pool
    run(str(program.code), "--json", "--export-scores", str(tmp_path))
    scores = np.load(tmp_path / "scores.npy")
    capacity = np.load(tmp_path / "capacity.npy")
    assignment = np.load(tmp_path / "assignment.npy")
    mentee_codes = json.loads((tmp_path / "mentees.json").read_text())
    mentor_codes = json.loads((tmp_path / "mentors.json").read_text())
    assert scores.shape == (4, 2) and scores.dtype.kind == "f"
    assert capacity.shape == (2,) and capacity.dtype.kind == "i"
    assert assignment.shape == (4,) and assignment.dtype.kind == "i"
    assert sorted(mentee_codes) == sorted(str(p.code) for p in mentees)
    assert sorted(mentor_codes) == sorted(str(p.code) for p in mentors)
    fleur = mentee_codes.index(str(mentees[3].code))
    assert np.isneginf(scores[fleur]).all()
    assert assignment[fleur] == -1
    for row, column in enumerate(assignment):
        if column >= 0:
            assert np.isfinite(scores[row, column])
    used = np.bincount(assignment[assignment >= 0], minlength=2)
    assert (used <= capacity).all()


def test_unknown_program_or_cycle_is_a_clear_error(pool):
    program, _cycle, _mentees, _mentors = pool
    with pytest.raises(CommandError, match="No program"):
        run("Nobody's program")
    with pytest.raises(CommandError, match="No program"):
        run("00000000-0000-0000-0000-000000000000")
    with pytest.raises(CommandError, match="no cycle named 'Winter'"):
        run(str(program.code), "--cycle", "Winter")
