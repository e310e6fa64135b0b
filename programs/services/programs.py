"""Setting programs up: create, edit, duplicate, and their cycles."""

import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from programs import defaults
from programs.models import (
    Cycle,
    Program,
    Question,
    QuestionPair,
    Resource,
    Topic,
    TrainingModule,
    WeeklyPrompt,
)
from programs.models.program import Role
from programs.services.errors import ProgramError, require_coordinator
from programs.signals import program_created

PROGRAM_SETTINGS = [
    "name", "description", "objectives", "status", "cycle_weeks", "hours_target", "minimum_age",
    "enrolment_mode", "request_initiator", "max_open_requests", "reply_window_days",
    "default_mentor_capacity", "max_mentor_capacity", "allow_dual_role", "avoid_same_team",
    "journal_writers", "agenda_required_hours", "max_extension_weeks", "journal_nudge_days",
    "review_reminder_days", "quiet_days", "languages",
    "target_mentors", "target_mentees", "target_match_rate", "target_average_hours",
    "target_satisfaction",
]  # fmt: skip


# draft → open → running → closed; an open program may go back to draft before it runs.
STATUS_MOVES = {
    Program.Status.DRAFT: {Program.Status.OPEN},
    Program.Status.OPEN: {Program.Status.DRAFT, Program.Status.RUNNING, Program.Status.CLOSED},
    Program.Status.RUNNING: {Program.Status.CLOSED},
    Program.Status.CLOSED: set(),
}


def set_coordinators(program: Program, emails: list[str], *, by) -> None:
    """Make `by` plus the accounts of `emails` the program's coordinators."""
    wanted = {email.strip().lower() for email in emails if email.strip()}
    users = list(get_user_model().objects.filter(email__in=wanted))
    unknown = sorted(wanted - {user.email for user in users})
    if unknown:
        raise ProgramError(
            _("No account uses %(emails)s: ask them to sign up first.")
            % {"emails": ", ".join(unknown)},
            field="coordinator_emails",
        )
    # The person saving stays, so nobody locks themselves out by accident; an administrator
    # fixing someone else's program is not made its coordinator.
    keeps_saver = (
        not by.is_superuser
        or not program.coordinators.exists()
        or program.coordinators.filter(pk=by.pk).exists()
    )
    program.coordinators.set([by, *users] if keeps_saver else users)


@transaction.atomic
def create_program(
    *, by, name: str, topics: list[str] = (), coordinator_emails: list[str] = (), **settings
) -> Program:
    """Create a program coordinated by `by`, with working default content to edit."""
    program = Program(name=name, **settings)
    if not program.languages:
        program.languages = ["en", "fr"]
    program.full_clean()
    program.save()
    set_coordinators(program, list(coordinator_emails), by=by)
    set_topics(program, topics, by=by)
    _add_default_content(program)
    program_created.send(sender=Program, program=program, by=by, copied_from=None)
    return program


def _add_default_content(program: Program) -> None:
    key_questions = {}
    for role in (Role.MENTOR, Role.MENTEE):
        for position, spec in enumerate(defaults.questionnaire(role)):
            question = Question.objects.create(
                program=program,
                role=role,
                position=position,
                kind=spec["kind"],
                label=spec["label"],
                help_text=spec.get("help_text", ""),
                choices=spec.get("choices", []),
                required=spec.get("required", True),
                sensitive=spec.get("sensitive", False),
            )
            key_questions[(role, spec["key"])] = question
        title, body = defaults.handbook(role)
        Resource.objects.create(
            program=program, kind=Resource.Kind.HANDBOOK, audience=role, title=title, body=body
        )
        module = defaults.training(role)
        TrainingModule.objects.create(
            program=program,
            audience=role,
            title=module["title"],
            content=module["content"],
            estimated_minutes=module["minutes"],
            check_question=module["question"],
            check_choices=module["choices"],
            check_answer=module["answer"],
            required=True,
        )
    pairs = [
        ("topics", "topics", QuestionPair.Rule.PREFER, 5),
        ("goals", "goals", QuestionPair.Rule.PREFER, 3),
        ("languages", "languages", QuestionPair.Rule.MUST, 3),
        ("availability", "availability", QuestionPair.Rule.PREFER, 3),
        # Counts only for mentees who state a preference; "No preference" matches no one.
        ("gender", "gender_preference", QuestionPair.Rule.PREFER, 2),
    ]
    for mentor_key, mentee_key, rule, weight in pairs:
        QuestionPair.objects.create(
            program=program,
            mentor_question=key_questions[(Role.MENTOR, mentor_key)],
            mentee_question=key_questions[(Role.MENTEE, mentee_key)],
            rule=rule,
            weight=weight,
        )
    guide = zip(defaults.weekly_guide(), defaults.weekly_activities(), strict=True)
    WeeklyPrompt.objects.bulk_create(
        WeeklyPrompt(program=program, week=week, title=title, prompts=prompts, activity=activity)
        for week, ((title, prompts), activity) in enumerate(
            list(guide)[: program.cycle_weeks], start=1
        )
    )


def set_topics(program: Program, names: list[str], *, by) -> None:
    """Make the program's topic list exactly `names` (blank and repeated names ignored)."""
    wanted = []
    for name in names:
        cleaned = " ".join(str(name).split())[:80]
        if cleaned and cleaned.casefold() not in {w.casefold() for w in wanted}:
            wanted.append(cleaned)
    program.topics.exclude(name__in=wanted).delete()
    existing = set(program.topics.values_list("name", flat=True))
    Topic.objects.bulk_create(
        Topic(program=program, name=name) for name in wanted if name not in existing
    )


@transaction.atomic
def update_program(
    program: Program,
    *,
    by,
    topics: list[str] | None = None,
    coordinator_emails: list[str] | None = None,
    **changes,
) -> Program:
    """Change a program's description and settings."""
    require_coordinator(program, by)
    unknown = set(changes) - set(PROGRAM_SETTINGS)
    if unknown:
        raise ValueError(f"not program settings: {sorted(unknown)}")
    new_status = changes.get("status", program.status)
    if new_status != program.status and new_status not in STATUS_MOVES[program.status]:
        raise ProgramError(
            _("A program that is %(now)s cannot become %(next)s.")
            % {
                "now": program.get_status_display().lower(),
                "next": Program.Status(new_status).label.lower(),
            },
            field="status",
        )
    for field, value in changes.items():
        setattr(program, field, value)
    program.full_clean()
    program.save()
    if topics is not None:
        set_topics(program, topics, by=by)
    if coordinator_emails is not None:
        set_coordinators(program, coordinator_emails, by=by)
    return program


@transaction.atomic
def duplicate_program(program: Program, *, by, name: str) -> Program:
    """Start the next program from this one: settings and content, without people or cycles."""
    require_coordinator(program, by)
    copy = Program(**{field: getattr(program, field) for field in PROGRAM_SETTINGS})
    copy.name = name
    copy.status = Program.Status.DRAFT
    copy.full_clean()
    copy.save()
    copy.coordinators.set(program.coordinators.all())
    Topic.objects.bulk_create(
        Topic(program=copy, name=topic.name) for topic in program.topics.all()
    )
    question_copies = {}
    for question in program.questions.all():
        old_pk = question.pk
        question.pk = None
        question._state.adding = True
        question.program = copy
        question.code = uuid.uuid4()
        question.save()
        question_copies[old_pk] = question
    QuestionPair.objects.bulk_create(
        QuestionPair(
            program=copy,
            mentor_question=question_copies[pair.mentor_question_id],
            mentee_question=question_copies[pair.mentee_question_id],
            rule=pair.rule,
            weight=pair.weight,
        )
        for pair in program.question_pairs.all()
    )
    for model in (TrainingModule, Resource):
        for item in model.objects.filter(program=program):
            item.pk = None
            item._state.adding = True
            item.program = copy
            item.code = uuid.uuid4()
            item.save()
    WeeklyPrompt.objects.bulk_create(
        WeeklyPrompt(program=copy, week=p.week, title=p.title, prompts=p.prompts)
        for p in program.weekly_prompts.all()
    )
    program_created.send(sender=Program, program=copy, by=by, copied_from=program)
    return copy


CYCLE_FIELDS = [
    "name",
    "enrolment_opens_on",
    "enrolment_closes_on",
    "matching_opens_on",
    "matching_closes_on",
    "starts_on",
]


@transaction.atomic
def create_cycle(program: Program, *, by, **fields) -> Cycle:
    """Add a cohort to a program."""
    require_coordinator(program, by)
    cycle = Cycle(program=program, **fields)
    cycle.full_clean()
    cycle.save()
    return cycle


@transaction.atomic
def update_cycle(cycle: Cycle, *, by, **fields) -> Cycle:
    require_coordinator(cycle.program, by)
    for field, value in fields.items():
        if field not in CYCLE_FIELDS:
            raise ValueError(f"not a cycle field: {field}")
        setattr(cycle, field, value)
    cycle.full_clean()
    cycle.save()
    return cycle
