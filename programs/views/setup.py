"""The coordinator's program set-up: programs, cycles, questionnaires, pairing rules,
training, resources and the weekly guide.

Staff viewers read every page that shows existing content (its form disabled); any POST,
and every page that only creates something, needs a coordinator and gives them 404.
"""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import services
from programs.access import can_manage, get_program_to_manage, get_program_to_read
from programs.forms.setup import (
    CycleForm,
    DuplicateProgramForm,
    ProgramForm,
    QuestionForm,
    QuestionPairForm,
    ResourceForm,
    TrainingModuleForm,
    WeeklyPromptFormSet,
    add_program_error,
)
from programs.models import Participant, Program, Question, QuestionPair
from programs.models.program import Role
from programs.services import builder
from programs.services.errors import ProgramError

NOT_COUNTED = [Participant.State.INVITED, Participant.State.WITHDRAWN]


def _program_for(request, code):
    """Return the program and whether the person may change it (POST needs a coordinator)."""
    if request.method == "POST":
        return get_program_to_manage(request.user, code), True
    program = get_program_to_read(request.user, code)
    return program, can_manage(request.user, program)


def _may_create_programs(user) -> bool:
    return user.is_superuser or user.coordinated_programs.exists()


def _join_url(request, program):
    """Return the open link people join by, when the program has one."""
    if program.enrolment_mode == Program.EnrolmentMode.INVITATION:
        return None
    try:
        return request.build_absolute_uri(reverse("programs:join", args=[program.join_code]))
    except NoReverseMatch:  # the join page is not installed
        return None


# --- programs -------------------------------------------------------------------


@login_required
def dashboard(request):
    may_create = _may_create_programs(request.user)
    if not (may_create or request.user.is_staff_viewer):
        raise Http404
    counted = ~Q(participants__state__in=NOT_COUNTED)
    programs = (
        Program.objects.visible_to_staff(request.user)
        .annotate(
            mentor_count=Count("participants", filter=counted & Q(participants__role=Role.MENTOR)),
            mentee_count=Count("participants", filter=counted & Q(participants__role=Role.MENTEE)),
        )
        .order_by("name", "pk")
    )
    return render(
        request,
        "programs/coordinator/setup/dashboard.html",
        {"programs": programs, "may_create": may_create},
    )


@login_required
def program_create(request):
    if not _may_create_programs(request.user):
        raise Http404
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.create_program(
                by=request.user,
                topics=form.cleaned_data["topics"],
                coordinator_emails=form.cleaned_data["coordinator_emails"],
                **form.program_settings(),
            )
        except (ProgramError, ValidationError) as error:
            add_program_error(form, error)
        else:
            messages.success(request, _("The program is created, with content to adapt."))
            return redirect("programs:program_edit", code=program.code)
    return render(request, "programs/coordinator/setup/program_form.html", {"form": form})


@login_required
def program_edit(request, code):
    program, can_change = _program_for(request, code)
    topics = [topic.name for topic in program.topics.all()]
    others = program.coordinators.exclude(pk=request.user.pk).order_by("email")
    form = ProgramForm(
        request.POST or None,
        instance=copy(program),
        topics=topics,
        coordinator_emails=[user.email for user in others],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_program(
                program, by=request.user, topics=form.cleaned_data["topics"],
                coordinator_emails=form.cleaned_data["coordinator_emails"],
                **form.program_settings(),
            )  # fmt: skip
        except (ProgramError, ValidationError) as error:
            add_program_error(form, error)
        else:
            messages.success(request, _("The program's settings are saved."))
            return redirect("programs:program_edit", code=program.code)
    if not can_change:
        form.make_read_only()
    context = {
        "program": program,
        "form": form,
        "can_change": can_change,
        "cycles": program.cycles.order_by("-starts_on", "pk"),
        "join_url": _join_url(request, program),
    }
    return render(request, "programs/coordinator/setup/program_settings.html", context)


@login_required
def program_duplicate(request, code):
    program = get_program_to_manage(request.user, code)
    form = DuplicateProgramForm(
        request.POST or None, initial={"name": _("%(name)s (copy)") % {"name": program.name}}
    )
    if request.method == "POST" and form.is_valid():
        try:
            copied = services.duplicate_program(
                program, by=request.user, name=form.cleaned_data["name"]
            )
        except (ProgramError, ValidationError) as error:
            add_program_error(form, error)
        else:
            messages.success(request, _("The copy is ready, as a draft. Add a cycle to it."))
            return redirect("programs:program_edit", code=copied.code)
    context = {"program": program, "form": form}
    return render(request, "programs/coordinator/setup/program_duplicate.html", context)


# --- cycles ---------------------------------------------------------------------


@login_required
def cycle_create(request, code):
    program = get_program_to_manage(request.user, code)
    form = CycleForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_cycle(program, by=request.user, **form.cleaned_data)
        except (ProgramError, ValidationError) as error:
            add_program_error(form, error)
        else:
            messages.success(request, _("The cycle is added."))
            return redirect("programs:program_edit", code=program.code)
    context = {"program": program, "form": form, "can_change": True}
    return render(request, "programs/coordinator/setup/cycle_form.html", context)


@login_required
def cycle_edit(request, code, cycle):
    program, can_change = _program_for(request, code)
    cycle = get_object_or_404(program.cycles, code=cycle)
    form = CycleForm(request.POST or None, instance=copy(cycle), program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cycle(cycle, by=request.user, **form.cleaned_data)
        except (ProgramError, ValidationError) as error:
            add_program_error(form, error)
        else:
            messages.success(request, _("The cycle is saved."))
            return redirect("programs:program_edit", code=program.code)
    if not can_change:
        form.make_read_only()
    context = {"program": program, "cycle": cycle, "form": form, "can_change": can_change}
    return render(request, "programs/coordinator/setup/cycle_form.html", context)


# --- questionnaires -------------------------------------------------------------


def _role_or_404(role: str) -> str:
    if role not in Role.values:
        raise Http404
    return role


@login_required
def questionnaire_builder(request, code, role):
    role = _role_or_404(role)
    program, can_change = _program_for(request, code)
    questions = Question.objects.for_role(program, role).annotate(answer_count=Count("answers"))
    context = {
        "program": program,
        "role": role,
        "role_label": Role(role).label,
        "questions": questions,
        "can_change": can_change,
    }
    return render(request, "programs/coordinator/setup/questionnaire_builder.html", context)


@login_required
def question_create(request, code, role):
    role = _role_or_404(role)
    program = get_program_to_manage(request.user, code)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            builder.create_question(program, by=request.user, role=role, **form.question_fields())
        except (ProgramError, ValidationError) as error:
            add_program_error(form, error)
        else:
            messages.success(request, _("The question is added at the end."))
            return redirect("programs:questionnaire_builder", code=program.code, role=role)
    context = {"program": program, "role": role, "form": form, "can_change": True}
    return render(request, "programs/coordinator/setup/question_form.html", context)


@login_required
def question_edit(request, code, question):
    program, can_change = _program_for(request, code)
    question = get_object_or_404(program.questions, code=question)
    answered = question.answers.exists()
    form = QuestionForm(request.POST or None, instance=copy(question), answered=answered)
    if request.method == "POST" and form.is_valid():
        try:
            builder.update_question(question, by=request.user, **form.question_fields())
        except (ProgramError, ValidationError) as error:
            add_program_error(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("programs:questionnaire_builder", code=program.code, role=question.role)
    if not can_change:
        form.make_read_only()
    context = {
        "program": program,
        "role": question.role,
        "question": question,
        "form": form,
        "can_change": can_change,
    }
    return render(request, "programs/coordinator/setup/question_form.html", context)


@login_required
@require_POST
def question_move(request, code, question):
    program = get_program_to_manage(request.user, code)
    question = get_object_or_404(program.questions, code=question)
    try:
        builder.move_question(question, by=request.user, direction=request.POST.get("direction"))
    except ProgramError as error:
        messages.error(request, error.message)
    return redirect("programs:questionnaire_builder", code=program.code, role=question.role)


@login_required
def question_pairs(request, code):
    program, can_change = _program_for(request, code)
    form = QuestionPairForm(request.POST or None, program=program) if can_change else None
    if request.method == "POST" and form.is_valid():
        try:
            builder.add_question_pair(program, by=request.user, **form.pair_fields())
        except ProgramError as error:
            add_program_error(form, error)
        else:
            messages.success(request, _("Matching now compares these two questions."))
            return redirect("programs:question_pairs", code=program.code)
    pairs = (
        QuestionPair.objects.filter(program=program)
        .select_related("mentor_question", "mentee_question")
        .order_by("mentor_question__position", "mentee_question__position", "pk")
    )
    context = {"program": program, "pairs": pairs, "form": form, "can_change": can_change}
    return render(request, "programs/coordinator/setup/question_pairs.html", context)


@login_required
@require_POST
def question_pair_delete(request, code, mentor_question, mentee_question):
    program = get_program_to_manage(request.user, code)
    pair = get_object_or_404(
        program.question_pairs,
        mentor_question__code=mentor_question,
        mentee_question__code=mentee_question,
    )
    builder.delete_question_pair(pair, by=request.user)
    messages.success(request, _("Matching no longer compares these two questions."))
    return redirect("programs:question_pairs", code=program.code)


# --- training -------------------------------------------------------------------


@login_required
def training_modules(request, code):
    program, can_change = _program_for(request, code)
    context = {
        "program": program,
        "modules": program.training_modules.order_by("position", "pk"),
        "can_change": can_change,
    }
    return render(request, "programs/coordinator/setup/training_modules.html", context)


@login_required
def training_create(request, code):
    program = get_program_to_manage(request.user, code)
    form = TrainingModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            module = builder.create_training_module(
                program, by=request.user, **form.module_fields()
            )
        except (ProgramError, ValidationError) as error:
            add_program_error(form, error)
        else:
            messages.success(request, _("The module is added. Check how it reads below."))
            return redirect("programs:training_edit", code=program.code, module=module.code)
    context = {"program": program, "form": form, "can_change": True}
    return render(request, "programs/coordinator/setup/training_form.html", context)


@login_required
def training_edit(request, code, module):
    program, can_change = _program_for(request, code)
    module = get_object_or_404(program.training_modules, code=module)
    form = TrainingModuleForm(request.POST or None, instance=copy(module))
    if request.method == "POST" and form.is_valid():
        try:
            builder.update_training_module(module, by=request.user, **form.module_fields())
        except (ProgramError, ValidationError) as error:
            add_program_error(form, error)
        else:
            messages.success(request, _("The module is saved. Check how it reads below."))
            return redirect("programs:training_edit", code=program.code, module=module.code)
    if not can_change:
        form.make_read_only()
    context = {"program": program, "module": module, "form": form, "can_change": can_change}
    return render(request, "programs/coordinator/setup/training_form.html", context)


# --- resources ------------------------------------------------------------------


@login_required
def resource_list(request, code):
    program, can_change = _program_for(request, code)
    context = {
        "program": program,
        "resources": program.resources.order_by("position", "pk"),
        "can_change": can_change,
    }
    return render(request, "programs/coordinator/setup/resource_list.html", context)


@login_required
def resource_create(request, code):
    program = get_program_to_manage(request.user, code)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            resource = builder.create_resource(program, by=request.user, **form.resource_fields())
        except (ProgramError, ValidationError) as error:
            add_program_error(form, error)
        else:
            messages.success(request, _("The resource is added."))
            return redirect("programs:resource_edit", code=program.code, resource=resource.code)
    context = {"program": program, "form": form, "can_change": True}
    return render(request, "programs/coordinator/setup/resource_form.html", context)


@login_required
def resource_edit(request, code, resource):
    program, can_change = _program_for(request, code)
    resource = get_object_or_404(program.resources, code=resource)
    form = ResourceForm(request.POST or None, request.FILES or None, instance=copy(resource))
    if request.method == "POST" and form.is_valid():
        try:
            builder.update_resource(resource, by=request.user, **form.resource_fields())
        except (ProgramError, ValidationError) as error:
            add_program_error(form, error)
        else:
            messages.success(request, _("The resource is saved."))
            return redirect("programs:resource_edit", code=program.code, resource=resource.code)
    if not can_change:
        form.make_read_only()
    context = {"program": program, "resource": resource, "form": form, "can_change": can_change}
    return render(request, "programs/coordinator/setup/resource_form.html", context)


# --- the weekly guide -----------------------------------------------------------


@login_required
def weekly_prompts(request, code):
    program, can_change = _program_for(request, code)
    saved = {prompt.week: prompt for prompt in program.weekly_prompts.all()}
    initial = [
        {
            "title": saved[week].title,
            "prompts": saved[week].prompts,
            "activity": saved[week].activity,
        }
        if week in saved
        else {}
        for week in range(1, program.cycle_weeks + 1)
    ]
    formset = WeeklyPromptFormSet(request.POST or None, initial=initial, prefix="week")
    if request.method == "POST" and formset.is_valid():
        weeks = {
            number: (
                form.cleaned_data.get("title", ""),
                form.cleaned_data.get("prompts", ""),
                form.cleaned_data.get("activity", ""),
            )
            for number, form in enumerate(formset.forms[: program.cycle_weeks], start=1)
        }
        try:
            builder.save_weekly_prompts(program, by=request.user, weeks=weeks)
        except ProgramError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The weekly guide is saved."))
            return redirect("programs:weekly_prompts", code=program.code)
    if not can_change:
        formset.make_read_only()
    context = {"program": program, "formset": formset, "can_change": can_change}
    return render(request, "programs/coordinator/setup/weekly_prompts.html", context)
