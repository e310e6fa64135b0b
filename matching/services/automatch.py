"""Auto-match runs: queue one, adjust its pairs, send them as proposals."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import (
    AutoMatchRun,
    Source,
)
from matching.services.common import (
    MatchingError,
    refusal_message,
)
from matching.services.requests import propose_match
from programs.models import Participant
from programs.models.program import Program
from programs.services.errors import ProgramError, require_coordinator

# --- auto-match --------------------------------------------------------------------------


def start_automatch(program: Program, cycle, *, by) -> AutoMatchRun:
    """Queue an auto-match computation for a cycle's pool."""
    require_coordinator(program, by)
    if cycle is not None and cycle.program_id != program.pk:
        raise MatchingError(_("That cycle belongs to another program."))
    run = AutoMatchRun.objects.create(program=program, cycle=cycle, started_by=by)
    from matching import tasks

    transaction.on_commit(lambda: tasks.compute_automatch.delay(run.pk))
    return run


def _editable_run(run: AutoMatchRun, by) -> AutoMatchRun:
    require_coordinator(run.program, by)
    run = AutoMatchRun.objects.select_for_update().select_related("program").get(pk=run.pk)
    if run.status != AutoMatchRun.Status.DONE:
        raise MatchingError(
            _("This auto-match is %(state)s: it can no longer be changed.")
            % {"state": run.get_status_display().lower()}
        )
    return run


@transaction.atomic
def drop_automatch_pair(run: AutoMatchRun, mentee_id: int, *, by) -> AutoMatchRun:
    """Leave one proposed pair out of an auto-match before it is sent."""
    run = _editable_run(run, by)
    pairs = run.result.get("pairs", [])
    kept = [pair for pair in pairs if pair["mentee"] != mentee_id]
    if len(kept) == len(pairs):
        raise MatchingError(_("That pair is not in this auto-match."))
    run.result = {**run.result, "pairs": kept, "edited": True}
    run.save(update_fields=["result"])
    return run


@transaction.atomic
def swap_automatch_mentors(run: AutoMatchRun, first: int, second: int, *, by) -> AutoMatchRun:
    """Exchange the mentors of two proposed pairs, if both new pairs are allowed."""
    run = _editable_run(run, by)
    pairs = {pair["mentee"]: pair for pair in run.result.get("pairs", [])}
    if first == second or first not in pairs or second not in pairs:
        raise MatchingError(_("Choose two different pairs of this auto-match."))
    one, other = pairs[first], pairs[second]
    people = {
        p.pk: p
        for p in Participant.objects.select_related("user").filter(
            pk__in=[first, second, one["mentor"], other["mentor"]]
        )
    }
    from matching import pool as pool_module
    from matching import scoring

    mentees = [people[first], people[second]]
    mentors = [people[other["mentor"]], people[one["mentor"]]]
    for mentor in mentors:
        mentor.active_matches = 0  # their places are held for these very pairs
    pool, pool_people = pool_module.build_pool(run.program, mentees, mentors)
    for index in (0, 1):
        rule = pool_module.hard_rule_broken(pool, index, index)
        if rule is not None:
            raise MatchingError(refusal_message(rule, mentors[index], pool_people.pairs))
    scores = scoring.score_matrix(pool)
    one["mentor"], other["mentor"] = other["mentor"], one["mentor"]
    one["score"], other["score"] = float(scores[0, 0]), float(scores[1, 1])
    run.result = {**run.result, "pairs": list(pairs.values()), "edited": True}
    run.save(update_fields=["result"])
    return run


def send_automatch(run: AutoMatchRun, *, by) -> tuple[int, list[str]]:
    """Turn every kept pair into a proposal both sides must approve.

    Returns how many were sent and, for the others, why they were not (someone was
    matched or paused since the run, say). The run is marked sent once.
    """
    with transaction.atomic():
        run = _editable_run(run, by)
        updated = AutoMatchRun.objects.filter(pk=run.pk, status=AutoMatchRun.Status.DONE).update(
            status=AutoMatchRun.Status.SENT, sent_at=timezone.now(), sent_by=by
        )
        if not updated:
            raise MatchingError(_("This auto-match has already been sent."))
    pairs = run.result.get("pairs", [])
    people = Participant.objects.select_related("user", "program", "cycle").in_bulk(
        [pair["mentee"] for pair in pairs] + [pair["mentor"] for pair in pairs]
    )
    sent, problems = 0, []
    for pair in pairs:
        mentee, mentor = people.get(pair["mentee"]), people.get(pair["mentor"])
        if mentee is None or mentor is None:
            continue
        try:
            propose_match(mentor, mentee, by=by, source=Source.AUTOMATCH)
            sent += 1
        except ProgramError as error:
            problems.append(
                _("%(mentee)s and %(mentor)s: %(reason)s")
                % {
                    "mentee": mentee.user.display_name,
                    "mentor": mentor.user.display_name,
                    "reason": error.message,
                }
            )
    result = {**run.result, "sent": sent, "problems": problems}
    AutoMatchRun.objects.filter(pk=run.pk).update(result=result)
    return sent, problems
