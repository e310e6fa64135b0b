"""`manage.py run_clock` runs periodic jobs once, now, as beat would."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from matching.models import Match
from mentorship_site.notifications.models import JobRun
from tests.journals.builders import active_match


def test_it_runs_the_named_job_and_prints_what_it_handled(coordinator, time_machine):
    match = active_match(coordinator)
    time_machine.move_to(match.ends_on + (match.ends_on - match.started_on) / 10, tick=False)
    out = io.StringIO()

    call_command("run_clock", "matching-complete-due-matches", "--json", stdout=out)

    assert json.loads(out.getvalue()) == {"matching-complete-due-matches": 1}
    assert Match.objects.get(pk=match.pk).status == Match.Status.COMPLETED
    assert JobRun.objects.get().job == "matching.tasks.complete_due_matches"


def test_it_refuses_an_unknown_job_naming_the_known_ones(db):
    with pytest.raises(CommandError, match="matching-complete-due-matches"):
        call_command("run_clock", "no-such-job")
