"""Each participant's milestones are stamped by the services that move them, once, at
the moment of the step; rebuilding them from the audit trail gives the same values."""

from datetime import UTC, datetime, timedelta

import time_machine

from evaluation.kpis import program_figures
from matching import services as matching
from programs import milestones
from programs import services as programs
from programs.models import Participant, Program, TrainingModule
from programs.services import builder
from tests.evaluation.kpi_builders import known_history
from tests.factories import UserFactory
from tests.matching.builders import answer_everything, finish_training, make_ready, matching_program
from tests.programs.builders import enrol

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
MILESTONES = milestones.FIELDS
# A module the coordinator adds for mentees, required or not.
SAFEGUARDING = {
    "audience": "mentee",
    "title": "Safeguarding",
    "content": "Read this.",
    "estimated_minutes": 10,
    "check_question": "I have read it.",
}


def stamps(participant: Participant) -> dict:
    participant.refresh_from_db()
    return {name: getattr(participant, name) for name in MILESTONES}


def test_each_step_stamps_its_milestone_when_it_happens_and_never_again(coordinator):
    day = timedelta(days=1)
    with time_machine.travel(START, tick=False) as clock:
        program, _cycle = matching_program(coordinator)
        mentor = make_ready(program, role="mentor")
        other_mentor = make_ready(program, role="mentor")
        Program.objects.filter(pk=program.pk).update(
            enrolment_mode=Program.EnrolmentMode.APPLICATION
        )
        program.refresh_from_db()
        applicant = enrol(program, UserFactory())
        assert stamps(applicant) == {**dict.fromkeys(MILESTONES), "applied_at": START}

        clock.shift(day)
        programs.approve_application(applicant, by=coordinator)
        clock.shift(day)
        applicant.refresh_from_db()
        answer_everything(applicant)
        finish_training(applicant)
        clock.shift(day)
        request = matching.send_request(applicant, mentor, by=applicant.user)
        match = matching.approve_request(request, by=mentor.user).match
        assert stamps(applicant) == {
            "applied_at": START,
            "enrolled_at": START + day,
            "trained_at": START + 2 * day,
            "ready_at": START + 2 * day,
            "matched_at": START + 3 * day,
            "completed_at": None,
        }

        # Ending early makes the mentee ready again: the first time stays.
        clock.shift(day)
        match.refresh_from_db()
        matching.end_match(match, by=applicant.user, reason="We could not find time.")
        programs.pause_participant(applicant, by=coordinator)
        programs.resume_participant(Participant.objects.get(pk=applicant.pk), by=coordinator)
        first = stamps(applicant)
        assert first["ready_at"] == START + 2 * day

        clock.shift(day)
        request = matching.send_request(applicant, other_mentor, by=applicant.user)
        second = matching.approve_request(request, by=other_mentor.user).match
        clock.shift(timedelta(weeks=11))
        matching.complete_match(second)
        finished = START + 5 * day + timedelta(weeks=11)
        assert stamps(applicant) == {**first, "completed_at": finished}
        assert stamps(other_mentor)["completed_at"] == finished
        assert stamps(mentor)["completed_at"] is None


def test_a_participant_saved_after_a_step_keeps_the_milestone(coordinator):
    program, _cycle = matching_program(coordinator)
    participant = enrol(program, UserFactory())
    participant.department = "Finance"
    participant.save()
    assert stamps(participant)["enrolled_at"] is not None


def test_rebuilding_from_the_audit_trail_gives_what_the_services_stamped(coordinator):
    history = known_history(coordinator)
    program = history.program
    Program.objects.filter(pk=program.pk).update(enrolment_mode=Program.EnrolmentMode.APPLICATION)
    program.refresh_from_db()
    applicants = [enrol(program, UserFactory(), cycle=history.cycle) for _ in range(2)]
    programs.approve_application(applicants[0], by=coordinator)
    people = Participant.objects.filter(program=program).order_by("pk")
    stamped = list(people.values_list(*MILESTONES))
    # Every milestone is reached by someone in this history, so the comparison can fail.
    for column in zip(*stamped, strict=True):
        assert any(value is not None for value in column)

    people.update(**dict.fromkeys(MILESTONES))
    milestones.rebuild(people)

    assert list(people.values_list(*MILESTONES)) == stamped


def test_the_steps_count_people_who_have_since_moved_on(coordinator):
    with time_machine.travel(START, tick=False):
        history = known_history(coordinator)
    before = program_figures(history.program)["recruitment"]["by_role"]
    completed = history.matches[0]
    mentee = Participant.objects.get(pk=completed.mentee_id)
    programs.withdraw_participant(mentee, by=coordinator, reason="Moved abroad.")

    after = program_figures(history.program)["recruitment"]["by_role"]

    assert after["mentee"]["withdrawn"] == before["mentee"]["withdrawn"] + 1
    for step in ("enrolled", "trained", "ready", "matched", "completed"):
        assert after["mentee"][step] == before["mentee"][step], step


def test_finishing_the_last_required_module_stamps_trained_and_a_new_module_does_not_undo_it(
    coordinator,
):
    with time_machine.travel(START, tick=False) as clock:
        program, _cycle = matching_program(coordinator)
        person = enrol(program, UserFactory())
        modules = list(
            TrainingModule.objects.filter(program=program, required=True).for_role("mentee")
        )
        assert modules, "the test program requires training"
        clock.shift(timedelta(hours=1))
        finish_training(person)
        assert stamps(person)["trained_at"] == START + timedelta(hours=1)

        # A module added later: the person trained then stays trained, and the
        # milestone rebuilt from the completions no longer finds them trained.
        clock.shift(timedelta(hours=1))
        added = builder.create_training_module(
            program, by=coordinator, required=True, **SAFEGUARDING
        )
        assert stamps(person)["trained_at"] == START + timedelta(hours=1)
        milestones.rebuild(Participant.objects.filter(pk=person.pk))
        assert stamps(person)["trained_at"] is None

        # Made optional again: the person has finished what is required, as of now.
        clock.shift(timedelta(hours=1))
        builder.update_training_module(added, by=coordinator, required=False, **SAFEGUARDING)
        assert stamps(person)["trained_at"] == START + timedelta(hours=3)


def test_training_completed_by_a_module_becoming_optional_is_stamped_whatever_the_state(
    coordinator,
):
    with time_machine.travel(START, tick=False) as clock:
        program, _cycle = matching_program(coordinator)
        person = enrol(program, UserFactory())
        original = list(
            TrainingModule.objects.filter(program=program, required=True).for_role("mentee")
        )
        added = builder.create_training_module(
            program, by=coordinator, required=True, **SAFEGUARDING
        )
        for module in original:
            answer = module.check_answer if module.is_quiz else True
            programs.complete_training(person, module, by=person.user, answer=answer)
        programs.pause_participant(Participant.objects.get(pk=person.pk), by=coordinator)
        assert stamps(person)["trained_at"] is None

        clock.shift(timedelta(hours=1))
        builder.update_training_module(added, by=coordinator, required=False, **SAFEGUARDING)
        assert stamps(person)["trained_at"] == START + timedelta(hours=1)
