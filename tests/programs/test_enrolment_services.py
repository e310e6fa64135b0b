"""The enrolment rules, at the service level."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from programs import services
from programs.models import Invitation, Participant, Program
from programs.models.program import end_of_day_anywhere
from programs.services import ProgramError
from tests.factories import UserFactory
from tests.programs.builders import enrol, make_cycle, make_program

pytestmark = pytest.mark.django_db

APPLICATION = Program.EnrolmentMode.APPLICATION


@pytest.fixture
def program(coordinator):
    program = make_program(coordinator)
    make_cycle(program, coordinator)
    return program


def test_under_age_people_are_refused_and_nothing_is_stored(program, participant):
    with pytest.raises(ProgramError, match="aged 18 or over") as refused:
        services.join_program(program, participant, role="mentee", age_confirmed=False)
    assert refused.value.field == "age_confirmed"
    assert not Participant.objects.filter(user=participant).exists()


def test_application_mode_waits_for_a_coordinator(
    program, coordinator, participant, django_capture_on_commit_callbacks
):
    services.update_program(
        program, by=coordinator, enrolment_mode=Program.EnrolmentMode.APPLICATION
    )
    applicant = services.join_program(
        program, participant, role="mentee", age_confirmed=True, application_message="Please!"
    )
    assert applicant.state == Participant.State.APPLIED
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_application(applicant, by=coordinator)
    applicant.refresh_from_db()
    assert applicant.state == Participant.State.ENROLLED
    assert mail.outbox[-1].to == [participant.email]
    assert applicant.events.filter(action="approved", actor=coordinator).exists()


def test_invitation_only_programs_refuse_the_open_link(program, coordinator, participant):
    services.update_program(
        program, by=coordinator, enrolment_mode=Program.EnrolmentMode.INVITATION
    )
    with pytest.raises(ProgramError, match="invitation only"):
        enrol(program, participant)


def test_one_person_cannot_be_both_unless_the_program_allows_it(program, coordinator, participant):
    enrol(program, participant, role="mentee")
    with pytest.raises(ProgramError, match="either a mentor or a mentee"):
        enrol(program, participant, role="mentor")
    services.update_program(program, by=coordinator, allow_dual_role=True)
    mentor = enrol(program, participant, role="mentor")
    assert mentor.capacity == program.default_mentor_capacity


def test_mentor_capacity_stays_within_the_programs_maximum(program, participant):
    with pytest.raises(ProgramError, match="between 1 and 4"):
        enrol(program, participant, role="mentor", capacity=9)
    mentor = enrol(program, participant, role="mentor", capacity=3)
    with pytest.raises(ProgramError):
        services.set_capacity(mentor, 0, by=participant)
    assert services.set_capacity(mentor, 4, by=participant).capacity == 4


def test_enrolment_closes_when_its_last_day_has_ended_everywhere(coordinator, participant):
    program = make_program(coordinator)
    services.create_cycle(
        program,
        by=coordinator,
        name="Short",
        enrolment_opens_on=date(2026, 3, 1),
        enrolment_closes_on=date(2026, 3, 10),
        matching_opens_on=date(2026, 3, 1),
        matching_closes_on=date(2026, 3, 20),
        starts_on=date(2026, 3, 21),
    )
    # 11 March 11:59 UTC: it is still 10 March on Baker Island (UTC-12).
    assert end_of_day_anywhere(date(2026, 3, 10)).isoformat() == "2026-03-11T12:00:00+00:00"
    with time_machine.travel("2026-03-11 11:59Z", tick=False):
        enrol(program, participant)
    with time_machine.travel("2026-03-11 12:00Z", tick=False), pytest.raises(ProgramError):
        enrol(program, UserFactory())


def test_an_invitation_works_once_for_its_own_address(
    program, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_person(
            program, by=coordinator, email="Ines@Example.org", role="mentor"
        )
    assert mail.outbox[-1].to == ["ines@example.org"]
    assert mail.outbox[-1].alternatives
    stranger = UserFactory(email="someone.else@example.org")
    with pytest.raises(ProgramError, match="Sign in with that address"):
        services.accept_invitation(invitation, stranger, age_confirmed=True)
    ines = UserFactory(email="ines@example.org")
    mentor = services.accept_invitation(invitation, ines, age_confirmed=True)
    assert (mentor.role, mentor.state) == ("mentor", "enrolled")
    with pytest.raises(ProgramError, match="already been used"):
        services.accept_invitation(invitation, ines, age_confirmed=True)


def test_expired_and_revoked_invitations_are_refused(program, coordinator):
    invitation = services.invite_person(
        program, by=coordinator, email="late@example.org", role="mentee"
    )
    late = UserFactory(email="late@example.org")
    expired = time_machine.travel(invitation.expires_at + timedelta(seconds=1))
    with expired, pytest.raises(ProgramError, match="expired"):
        services.accept_invitation(invitation, late, age_confirmed=True)
    services.resend_invitation(invitation, by=coordinator)
    services.revoke_invitation(invitation, by=coordinator)
    with pytest.raises(ProgramError, match="withdrawn by the coordinator"):
        services.accept_invitation(invitation, late, age_confirmed=True)
    assert Invitation.objects.get(pk=invitation.pk).sent_count == 2


def test_inviting_someone_already_enrolled_or_invited_is_refused(program, coordinator, participant):
    enrol(program, participant, role="mentee")
    with pytest.raises(ProgramError, match="already in this program"):
        services.invite_person(program, by=coordinator, email="PAT@example.org", role="mentee")
    services.invite_person(program, by=coordinator, email="new@example.org", role="mentee")
    with pytest.raises(ProgramError, match="resend it instead"):
        services.invite_person(program, by=coordinator, email="new@example.org", role="mentee")


def test_only_the_programs_coordinators_manage_it(program, other_coordinator, participant):
    mentee = enrol(program, participant)
    with pytest.raises(ProgramError):
        services.pause_participant(mentee, by=other_coordinator, reason="no")
    with pytest.raises(ProgramError):
        services.invite_person(program, by=other_coordinator, email="x@example.org", role="mentee")
    with pytest.raises(ProgramError):
        services.update_program(program, by=other_coordinator, name="Mine now")


def test_a_participant_becomes_ready_after_questionnaire_and_required_training(
    program, participant
):
    mentee = enrol(program, participant)
    questions = {q.pk: q for q in program.questions.filter(role="mentee", required=True)}
    values = {
        pk: {"topics": ["Negotiation"], "languages": ["en"], "long_text": "Grow.",
             "availability": {"time_zone": "Europe/Paris", "slots": ["1-18"]}}[q.kind]
        for pk, q in questions.items()
    }  # fmt: skip
    with pytest.raises(services.questionnaire.MissingAnswers) as missing:
        services.save_answers(mentee, {}, by=participant, submit=True)
    assert set(missing.value.missing) == set(questions)
    services.save_answers(mentee, values, by=participant, submit=True)
    mentee.refresh_from_db()
    assert mentee.state == Participant.State.ENROLLED  # training still to do
    module = program.training_modules.get(audience="mentee")
    with pytest.raises(ProgramError, match="Tick the box"):
        services.complete_training(mentee, module, by=participant, answer=None)
    services.complete_training(mentee, module, by=participant, answer=True)
    mentee.refresh_from_db()
    assert mentee.state == Participant.State.READY
    services.pause_participant(mentee, by=participant)
    services.resume_participant(mentee, by=participant)
    mentee.refresh_from_db()
    assert mentee.state == Participant.State.READY


def test_a_coordinator_must_give_a_reason_to_withdraw_someone(program, coordinator, participant):
    mentee = enrol(program, participant)
    with pytest.raises(ProgramError, match="reason") as refused:
        services.withdraw_participant(mentee, by=coordinator, reason="  ")
    assert refused.value.field == "reason"
    services.withdraw_participant(mentee, by=coordinator, reason="Left the company")
    mentee.refresh_from_db()
    assert mentee.state == "withdrawn"
    with pytest.raises(ProgramError, match="withdrawn"):
        services.pause_participant(mentee, by=coordinator)


def test_an_approved_applicant_who_did_everything_is_ready_at_once(
    program, coordinator, participant
):
    services.update_program(
        program, by=coordinator, enrolment_mode=Program.EnrolmentMode.APPLICATION
    )
    applicant = services.join_program(program, participant, role="mentee", age_confirmed=True)
    questions = program.questions.filter(role="mentee", required=True)
    services.save_answers(applicant, answers_for(questions), by=participant, submit=True)
    module = program.training_modules.get(audience="mentee")
    services.complete_training(applicant, module, by=participant, answer=True)
    applicant.refresh_from_db()
    assert applicant.state == Participant.State.APPLIED
    services.approve_application(applicant, by=coordinator)
    applicant.refresh_from_db()
    assert applicant.state == Participant.State.READY


def answers_for(questions):
    sample = {
        "topics": ["Negotiation"],
        "languages": ["en"],
        "long_text": "Grow.",
        "availability": {"time_zone": "Europe/Paris", "slots": ["1-18"]},
    }
    return {q.pk: sample[q.kind] for q in questions}


def test_a_submitted_questionnaire_cannot_be_emptied_by_a_draft(program, participant):
    mentee = enrol(program, participant)
    questions = program.questions.filter(role="mentee", required=True)
    services.save_answers(mentee, answers_for(questions), by=participant, submit=True)
    topics = questions.get(kind="topics")
    with pytest.raises(services.questionnaire.MissingAnswers):
        services.save_answers(mentee, {topics.pk: []}, by=participant, submit=False)
    assert mentee.answers.get(question=topics).value == ["Negotiation"]


def test_someone_who_left_can_come_back_through_an_invitation(program, coordinator, participant):
    mentee = enrol(program, participant)
    services.withdraw_participant(mentee, by=participant, reason="Busy")
    invitation = services.invite_person(
        program, by=coordinator, email=participant.email, role="mentee"
    )
    back = services.accept_invitation(invitation, participant, age_confirmed=True)
    assert back.pk == mentee.pk
    assert (back.state, back.withdrawn_reason) == ("enrolled", "")


def test_a_program_moves_forward_through_its_statuses(program, coordinator):
    services.update_program(program, by=coordinator, status=Program.Status.RUNNING)
    with pytest.raises(ProgramError, match="cannot become") as refused:
        services.update_program(program, by=coordinator, status=Program.Status.OPEN)
    assert refused.value.field == "status"
    services.update_program(program, by=coordinator, status=Program.Status.CLOSED)
    with pytest.raises(ProgramError):
        services.update_program(program, by=coordinator, status=Program.Status.DRAFT)


def test_a_decline_needs_a_message(program, coordinator, participant):
    services.update_program(
        program, by=coordinator, enrolment_mode=Program.EnrolmentMode.APPLICATION
    )
    applicant = services.join_program(program, participant, role="mentee", age_confirmed=True)
    with pytest.raises(ProgramError, match="Write a message"):
        services.decline_application(applicant, by=coordinator, message="   ")


def test_cycle_windows_must_follow_each_other(program, coordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.create_cycle(
            program,
            by=coordinator,
            name="Backwards",
            enrolment_opens_on=date(2026, 5, 1),
            enrolment_closes_on=date(2026, 5, 10),
            matching_opens_on=date(2026, 4, 1),
            matching_closes_on=date(2026, 5, 20),
            starts_on=date(2026, 3, 1),
        )
    assert {"matching_opens_on", "starts_on"} <= set(refused.value.message_dict)


def test_a_default_guide_has_as_many_weeks_as_the_cycle(coordinator):
    program = make_program(coordinator, name="Short one", cycle_weeks=4)
    assert list(program.weekly_prompts.values_list("week", flat=True)) == [1, 2, 3, 4]


@pytest.mark.parametrize("rows", [5, 60])
def test_importing_invitations_costs_the_same_queries_for_any_file(
    program, coordinator, django_assert_max_num_queries, django_capture_on_commit_callbacks, rows
):
    batch = [{"email": f"person{n}@example.org", "role": "mentee"} for n in range(rows)]
    counted = django_assert_max_num_queries(8)
    with counted, django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.import_invitations(program, batch, by=coordinator)
    assert len(callbacks) == 1


def test_new_required_training_sends_ready_people_back_until_they_take_it(
    program, coordinator, participant, django_assert_max_num_queries
):
    from programs.services import builder

    mentee = enrol(program, participant)
    questions = program.questions.filter(role="mentee", required=True)
    services.save_answers(mentee, answers_for(questions), by=participant, submit=True)
    first = program.training_modules.get(audience="mentee")
    services.complete_training(mentee, first, by=participant, answer=True)
    mentee.refresh_from_db()
    assert mentee.state == "ready"

    module = builder.create_training_module(
        program,
        by=coordinator,
        audience="mentee",
        title="Safeguarding",
        content="Read this.",
        estimated_minutes=10,
        check_question="I have read it.",
        required=True,
    )
    mentee.refresh_from_db()
    assert mentee.state == "enrolled"
    assert mentee.events.filter(action="not_ready", actor=coordinator).exists()

    builder.update_training_module(
        module,
        by=coordinator,
        audience="mentee",
        title="Safeguarding",
        content="Read this.",
        estimated_minutes=10,
        check_question="I have read it.",
        required=False,
    )
    mentee.refresh_from_db()
    assert mentee.state == "ready"


def test_resending_and_revoking_record_the_coordinator(program, coordinator):
    invitation = services.invite_person(
        program, by=coordinator, email="x@example.org", role="mentee"
    )
    services.resend_invitation(invitation, by=coordinator)
    services.revoke_invitation(invitation, by=coordinator)
    invitation.refresh_from_db()
    assert (invitation.last_sent_by, invitation.revoked_by) == (coordinator, coordinator)
    assert invitation.revoked_at is not None


def test_a_choice_someone_picked_cannot_be_removed(program, coordinator, participant):
    from programs.services import builder

    question = program.questions.get(role="mentee", kind="single_choice")
    mentee = enrol(program, participant)
    services.save_answers(mentee, {question.pk: "A woman"}, by=participant, submit=False)
    edit = {
        "label": question.label,
        "kind": question.kind,
        "help_text": question.help_text,
        "required": False,
        "sensitive": True,
    }
    with pytest.raises(ProgramError, match="“A woman”") as refused:
        builder.update_question(
            question, by=coordinator, choices=["No preference", "A man"], **edit
        )
    assert refused.value.field == "choices"
    builder.update_question(
        question, by=coordinator, choices=["No preference", "A woman", "A man"], **edit
    )
    question.refresh_from_db()
    assert question.choices == ["No preference", "A woman", "A man"]
