"""Building a program's content: questionnaires, question pairs, training, resources and the
weekly guide. Each change is one function taking the acting coordinator as `by`."""

from pathlib import PurePath

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from programs.models import (
    Question,
    QuestionPair,
    Resource,
    TrainingModule,
    WeeklyPrompt,
)
from programs.models.program import Program, Role
from programs.models.training import RESOURCE_EXTENSIONS, RESOURCE_MAX_BYTES, Audience
from programs.services.enrolment import refresh_program_readiness
from programs.services.errors import ProgramError, require_coordinator

__all__ = [
    "add_question_pair",
    "create_question",
    "create_resource",
    "create_training_module",
    "delete_question_pair",
    "move_question",
    "save_weekly_prompts",
    "update_question",
    "update_resource",
    "update_training_module",
]

MAX_CHOICES = 50


def _next_position(queryset) -> int:
    highest = queryset.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def clean_lines(lines) -> list[str]:
    """Return the non-blank lines of `lines` (a string or a list), stripped, without repeats."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    kept = []
    for line in lines:
        line = " ".join(str(line).split())
        if line and line not in kept:
            kept.append(line)
    return kept


# --- questionnaires ------------------------------------------------------------


def _apply_question(question: Question, *, choices, **fields) -> None:
    for field, value in fields.items():
        setattr(question, field, value)
    if question.kind in Question.CHOICE_KINDS:
        question.choices = clean_lines(choices)
        if len(question.choices) < 2:
            raise ProgramError(
                _("List at least two choices, one per line, for this type of question."),
                field="choices",
            )
        if len(question.choices) > MAX_CHOICES:
            raise ProgramError(
                _("List at most %(count)d choices.") % {"count": MAX_CHOICES}, field="choices"
            )
    else:
        question.choices = []
    question.full_clean(exclude=["program"])


@transaction.atomic
def create_question(
    program: Program,
    *,
    by,
    role: str,
    label: str,
    kind: str,
    help_text: str = "",
    choices=(),
    required: bool = True,
    sensitive: bool = False,
    hidden: bool = False,
) -> Question:
    """Add a question at the end of the questionnaire of `role`."""
    require_coordinator(program, by)
    if role not in Role.values:
        raise ProgramError(_("Questions are asked of mentors or of mentees."))
    # Lock the questionnaire so two questions added at once get different positions.
    list(Question.objects.select_for_update().filter(program=program, role=role).only("pk"))
    question = Question(
        program=program, role=role, position=_next_position(program.questions.filter(role=role))
    )
    _apply_question(
        question,
        choices=choices,
        label=label,
        kind=kind,
        help_text=help_text,
        required=required,
        sensitive=sensitive,
        hidden=hidden,
    )
    question.save()
    return question


@transaction.atomic
def update_question(
    question: Question,
    *,
    by,
    label: str,
    kind: str,
    help_text: str = "",
    choices=(),
    required: bool = True,
    sensitive: bool = False,
    hidden: bool = False,
) -> Question:
    """Change a question. Once answered, it can be hidden but its type stays what it was."""
    question = Question.objects.select_for_update().select_related("program").get(pk=question.pk)
    require_coordinator(question.program, by)
    if kind != question.kind and question.answers.exists():
        raise ProgramError(
            _(
                "People have already answered this question, so its type cannot change. "
                "Hide it and add a new question instead."
            ),
            field="kind",
        )
    previous_choices = list(question.choices)
    _apply_question(
        question,
        choices=choices,
        label=label,
        kind=kind,
        help_text=help_text,
        required=required,
        sensitive=sensitive,
        hidden=hidden,
    )
    removed = set(previous_choices) - set(question.choices)
    if removed and question.kind in Question.CHOICE_KINDS:
        in_use = sorted(removed & _chosen_values(question))
        if in_use:
            raise ProgramError(
                _("Some people chose %(choices)s: keep these choices, or hide the question.")
                % {"choices": ", ".join(f"“{choice}”" for choice in in_use)},
                field="choices",
            )
    question.save()
    return question


def _chosen_values(question: Question) -> set[str]:
    """Return every choice someone picked (in current or next-cycle answers)."""
    chosen = set()
    for value, next_value in question.answers.values_list("value", "next_value"):
        for answer in (value, next_value):
            if isinstance(answer, list):
                chosen.update(str(item) for item in answer)
            elif answer not in (None, ""):
                chosen.add(str(answer))
    return chosen


@transaction.atomic
def move_question(question: Question, *, by, direction: str) -> Question:
    """Swap a question with its neighbour above ("up") or below ("down")."""
    require_coordinator(question.program, by)
    if direction not in ("up", "down"):
        raise ProgramError(_("Move a question up or down."))
    # Locked in one fixed order (position, pk) so two moves at once cannot interleave.
    siblings = list(
        Question.objects.select_for_update()
        .filter(program_id=question.program_id, role=question.role)
        .order_by("position", "pk")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == question.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    Question.objects.bulk_update(siblings, ["position"])
    return siblings[target] if 0 <= target < len(siblings) else siblings[index]


@transaction.atomic
def add_question_pair(
    program: Program, *, by, mentor_question: Question, mentee_question: Question, rule, weight
) -> QuestionPair:
    """Tell matching to compare a mentor question with a mentee question."""
    require_coordinator(program, by)
    if mentor_question.program_id != program.pk or mentor_question.role != Role.MENTOR:
        raise ProgramError(
            _("Choose a question of this program's mentors."), field="mentor_question"
        )
    if mentee_question.program_id != program.pk or mentee_question.role != Role.MENTEE:
        raise ProgramError(
            _("Choose a question of this program's mentees."), field="mentee_question"
        )
    if rule not in QuestionPair.Rule.values:
        raise ProgramError(_("Choose a rule from the list."), field="rule")
    if not isinstance(weight, int) or not 1 <= weight <= 5:
        raise ProgramError(_("Choose a weight from 1 to 5."), field="weight")
    try:
        with transaction.atomic():
            return QuestionPair.objects.create(
                program=program,
                mentor_question=mentor_question,
                mentee_question=mentee_question,
                rule=rule,
                weight=weight,
            )
    except IntegrityError:  # programs_unique_question_pair
        raise ProgramError(_("These two questions are already paired.")) from None


@transaction.atomic
def delete_question_pair(pair: QuestionPair, *, by) -> None:
    """Stop comparing two questions in matching."""
    require_coordinator(pair.program, by)
    QuestionPair.objects.filter(pk=pair.pk).delete()


# --- training -------------------------------------------------------------------


def _apply_training(module: TrainingModule, *, check_choices=(), check_answer=None, **fields):
    for field, value in fields.items():
        setattr(module, field, value)
    module.check_choices = clean_lines(check_choices)
    if module.check_choices:
        if len(module.check_choices) < 2:
            raise ProgramError(
                _("A quiz needs at least two choices, one per line."), field="check_choices"
            )
        if len(module.check_choices) > MAX_CHOICES:
            raise ProgramError(
                _("List at most %(count)d choices.") % {"count": MAX_CHOICES},
                field="check_choices",
            )
        if check_answer is None:
            raise ProgramError(_("Give the number of the right choice."), field="check_answer")
        if not 1 <= check_answer <= len(module.check_choices):
            raise ProgramError(
                _("Choose a number from 1 to %(count)d: there are %(count)d choices.")
                % {"count": len(module.check_choices)},
                field="check_answer",
            )
    elif check_answer is not None:
        raise ProgramError(
            _("Leave this empty, or list the quiz choices it counts in."), field="check_answer"
        )
    module.check_answer = check_answer
    module.full_clean(exclude=["program"])


@transaction.atomic
def create_training_module(program: Program, *, by, **fields) -> TrainingModule:
    """Add a training module after the program's others."""
    require_coordinator(program, by)
    list(TrainingModule.objects.select_for_update().filter(program=program).only("pk"))
    module = TrainingModule(
        program=program, position=_next_position(program.training_modules.all())
    )
    _apply_training(module, **fields)
    module.save()
    refresh_program_readiness(program, by=by)
    return module


@transaction.atomic
def update_training_module(module: TrainingModule, *, by, **fields) -> TrainingModule:
    """Change a training module's text, check question or audience."""
    module = TrainingModule.objects.select_for_update().select_related("program").get(pk=module.pk)
    require_coordinator(module.program, by)
    _apply_training(module, **fields)
    module.save()
    refresh_program_readiness(module.program, by=by)
    return module


# --- resources ------------------------------------------------------------------


def check_upload(upload) -> None:
    """Refuse a file that is too big or of a kind the library does not take."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in RESOURCE_EXTENSIONS:
        raise ProgramError(
            _("Files of this kind cannot be shared here. Allowed: %(extensions)s.")
            % {"extensions": ", ".join(RESOURCE_EXTENSIONS)},
            field="file",
        )
    if upload.size > RESOURCE_MAX_BYTES:
        raise ProgramError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(RESOURCE_MAX_BYTES)},
            field="file",
        )


def _apply_resource(
    resource: Resource, *, kind, audience, title, body="", url="", file=None
) -> None:
    resource.kind, resource.audience, resource.title = kind, audience, title
    if audience not in Audience.values:
        raise ProgramError(_("Choose who the resource is for."), field="audience")
    if kind in (Resource.Kind.HANDBOOK, Resource.Kind.GUIDE):
        if not (body or "").strip():
            raise ProgramError(_("Write the text of this page."), field="body")
        resource.body, resource.url, resource.file, resource.file_size = body, "", "", 0
    elif kind == Resource.Kind.LINK:
        if not (url or "").strip():
            raise ProgramError(_("Give the address the link opens."), field="url")
        resource.body, resource.url, resource.file, resource.file_size = "", url, "", 0
    elif kind == Resource.Kind.FILE:
        if file:
            check_upload(file)
            resource.file, resource.file_size = file, file.size
        elif not resource.file:
            raise ProgramError(_("Choose the file to share."), field="file")
        resource.body, resource.url = "", ""
    else:
        raise ProgramError(_("Choose the kind of resource."), field="kind")
    resource.full_clean(exclude=["program", "file"])


@transaction.atomic
def create_resource(program: Program, *, by, **fields) -> Resource:
    """Add a handbook page, guide, link or file to the program's library."""
    require_coordinator(program, by)
    list(Resource.objects.select_for_update().filter(program=program).only("pk"))
    resource = Resource(program=program, position=_next_position(program.resources.all()))
    _apply_resource(resource, **fields)
    resource.save()
    return resource


@transaction.atomic
def update_resource(resource: Resource, *, by, **fields) -> Resource:
    """Change a resource; without a new upload, a file resource keeps its file."""
    resource = Resource.objects.select_for_update().select_related("program").get(pk=resource.pk)
    require_coordinator(resource.program, by)
    _apply_resource(resource, **fields)
    resource.save()
    return resource


# --- the weekly guide -----------------------------------------------------------


@transaction.atomic
def save_weekly_prompts(program: Program, *, by, weeks: dict[int, tuple]) -> None:
    """Store the theme, prompts and suggested activity of each week given; weeks left blank
    are not added.

    Each week is (title, prompts) or (title, prompts, activity); without an activity, the
    saved one stays.
    """
    require_coordinator(program, by)
    existing = {
        prompt.week: prompt
        for prompt in WeeklyPrompt.objects.select_for_update().filter(program=program)
    }
    changed, added = [], []
    for week, texts in sorted(weeks.items()):
        if not 1 <= week <= program.cycle_weeks:
            raise ProgramError(_("The cycle has %(count)d weeks.") % {"count": program.cycle_weeks})
        title, prompts, *rest = texts
        title, prompts = (title or "").strip(), (prompts or "").strip()
        activity = (rest[0] or "").strip() if rest else None
        if not title and not prompts and not activity and week not in existing:
            continue
        if not title or not prompts:
            raise ProgramError(
                _("Week %(week)d needs both a theme and discussion prompts.") % {"week": week}
            )
        prompt = existing.get(week) or WeeklyPrompt(program=program, week=week)
        prompt.title, prompt.prompts = title, prompts
        if activity is not None:
            prompt.activity = activity
        prompt.full_clean(exclude=["program"], validate_constraints=False)
        (changed if prompt.pk else added).append(prompt)
    WeeklyPrompt.objects.bulk_update(changed, ["title", "prompts", "activity"])
    WeeklyPrompt.objects.bulk_create(added)
