"""The participant's side: joining, invitations, their program page, questionnaire,
training and resources."""

from pathlib import PurePath
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import services
from programs.access import can_manage, get_own_participation
from programs.forms.participant import (
    CapacityForm,
    InvitationForm,
    JoinForm,
    LeaveForm,
    TrainingForm,
    show_error,
)
from programs.forms.questionnaire import QuestionnaireForm
from programs.models import (
    Invitation,
    Participant,
    Program,
    Question,
    Resource,
    TrainingCompletion,
    TrainingModule,
)
from programs.models.program import Role
from programs.services import ProgramError
from programs.services.questionnaire import MissingAnswers
from programs.templatetags.programs_tags import participation_checklist

# --- fetching: strangers get 404 ------------------------------------------


def _get_program_to_join(user, join_code) -> Program:
    """Return an open link's program; drafts and closed ones exist only for coordinators."""
    program = get_object_or_404(Program, join_code=join_code)
    if program.status in (Program.Status.OPEN, Program.Status.RUNNING):
        return program
    if user.is_authenticated and can_manage(user, program):
        return program
    raise Http404


def _get_invitation(token) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("program", "invited_by", "cycle"), token=token
    )


def _get_module(participant: Participant, code) -> TrainingModule:
    modules = TrainingModule.objects.filter(program_id=participant.program_id).for_role(
        participant.role
    )
    return get_object_or_404(modules, code=code)


def _library(participant: Participant):
    return Resource.objects.filter(program_id=participant.program_id).for_role(participant.role)


def _roles_open_to(program: Program, user) -> list[str]:
    """Return the roles `user` may still join `program` in (see Program.allow_dual_role)."""
    taken = set(
        Participant.objects.filter(program=program, user=user).values_list("role", flat=True)
    )
    if taken and not program.allow_dual_role:
        return []
    return [role for role in Role.values if role not in taken]


# --- joining ----------------------------------------------------------------


def join(request, join_code):
    program = _get_program_to_join(request.user, join_code)
    enrolling_cycle = program.enrolling_cycle()
    context = {
        "program": program,
        "next": request.path,
        "enrolling_cycle": enrolling_cycle,
        "enrolment_closed": enrolling_cycle is None and program.cycles.exists(),
    }
    if not request.user.is_authenticated:
        return render(request, "programs/participant/join.html", context)
    roles = _roles_open_to(program, request.user)
    form = JoinForm(
        request.POST if request.method == "POST" else None, program=program, roles=roles
    )
    if request.method == "POST" and roles and form.is_valid():
        try:
            participant = services.join_program(program, request.user, **form.cleaned_data)
        except ProgramError as error:
            show_error(form, error)
        else:
            if participant.state == Participant.State.APPLIED:
                messages.success(request, _("Your application is sent: a coordinator reviews it."))
            else:
                messages.success(request, _("Welcome to %(program)s!") % {"program": program})
            return redirect("programs:participation", code=participant.code)
    context.update(
        form=form,
        roles=roles,
        joined=Participant.objects.filter(program=program, user=request.user),
    )
    return render(request, "programs/participant/join.html", context)


def invitation(request, token):
    invitation = _get_invitation(token)
    context = {"invitation": invitation, "program": invitation.program, "next": request.path}
    if not request.user.is_authenticated:
        return render(request, "programs/participant/invitation.html", context)
    form = InvitationForm(request.POST if request.method == "POST" else None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.accept_invitation(invitation, request.user, **form.cleaned_data)
        except ProgramError as error:
            show_error(form, error)
        else:
            messages.success(
                request, _("Welcome to %(program)s!") % {"program": invitation.program}
            )
            return redirect("programs:participation", code=participant.code)
    context.update(
        form=form,
        own_participation=Participant.objects.filter(
            program=invitation.program, user=request.user, role=invitation.role
        ).first(),
    )
    return render(request, "programs/participant/invitation.html", context)


# --- the participant's page -------------------------------------------------


def _render_participation(request, participant, *, capacity_form=None, status=200):
    completed_at = TrainingCompletion.objects.filter(
        participant=participant, module=OuterRef("pk")
    ).values("completed_at")[:1]
    modules = list(
        TrainingModule.objects.filter(program_id=participant.program_id)
        .for_role(participant.role)
        .annotate(completed_at=Subquery(completed_at))
    )
    if participant.is_mentor and capacity_form is None:
        capacity_form = CapacityForm(
            program=participant.program, initial={"capacity": participant.capacity}
        )
    context = {
        "participant": participant,
        "program": participant.program,
        "checklist": participation_checklist(participant, modules),
        "optional_modules": [module for module in modules if not module.required],
        "handbook": _library(participant).filter(kind=Resource.Kind.HANDBOOK).first(),
        "capacity_form": capacity_form,
    }
    return render(request, "programs/participant/participation.html", context, status=status)


@login_required
def participation(request, code):
    participant = get_own_participation(request.user, code)
    return _render_participation(request, participant)


@require_POST
@login_required
def capacity(request, code):
    participant = get_own_participation(request.user, code)
    form = CapacityForm(request.POST, program=participant.program)
    if form.is_valid():
        try:
            services.set_capacity(participant, form.cleaned_data["capacity"], by=request.user)
        except ProgramError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Your number of mentees is saved."))
            return redirect("programs:participation", code=participant.code)
    return _render_participation(request, participant, capacity_form=form)


def _change_state(request, code, change, done_message):
    participant = get_own_participation(request.user, code)
    try:
        change(participant, by=request.user)
    except ProgramError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done_message)
    return redirect("programs:participation", code=participant.code)


@require_POST
@login_required
def pause(request, code):
    return _change_state(
        request,
        code,
        services.pause_participant,
        _("Your participation is paused: nobody will be matched with you meanwhile."),
    )


@require_POST
@login_required
def resume(request, code):
    return _change_state(request, code, services.resume_participant, _("Welcome back!"))


@login_required
def leave(request, code):
    participant = get_own_participation(request.user, code)
    form = LeaveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_participant(
                participant, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ProgramError as error:
            show_error(form, error)
        else:
            messages.success(
                request, _("You have left %(program)s.") % {"program": participant.program}
            )
            return redirect("home")
    return render(
        request,
        "programs/participant/leave.html",
        {"participant": participant, "program": participant.program, "form": form},
    )


# --- questionnaire and training ----------------------------------------------


@login_required
def questionnaire(request, code):
    participant = get_own_participation(request.user, code)
    program = participant.program
    submitting = "submit" in request.POST
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None,
        questions=Question.objects.for_role(program, participant.role).shown(),
        answers={answer.question_id: answer for answer in participant.answers.all()},
        topics=list(program.topics.values_list("name", flat=True)),
        languages=program.languages,
        time_zone=request.user.time_zone,
        submitting=submitting,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_answers(participant, form.answers(), by=request.user, submit=submitting)
        except MissingAnswers as error:
            form.add_missing(error.missing)
            show_error(form, error)
        except ProgramError as error:
            show_error(form, error)
        else:
            if submitting:
                messages.success(request, _("Your answers are submitted."))
                return redirect("programs:participation", code=participant.code)
            messages.success(request, _("Your draft is saved. Come back to it at any time."))
            return redirect("programs:questionnaire", code=participant.code)
    return render(
        request,
        "programs/participant/questionnaire.html",
        {"participant": participant, "program": program, "form": form},
    )


@login_required
def training(request, code, module):
    participant = get_own_participation(request.user, code)
    module = _get_module(participant, module)
    completion = TrainingCompletion.objects.filter(participant=participant, module=module).first()
    form = TrainingForm(request.POST if request.method == "POST" else None, module=module)
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_training(
                participant, module, by=request.user, answer=form.cleaned_data["answer"]
            )
        except ProgramError as error:
            show_error(form, error)
        else:
            messages.success(
                request, _("Well done: “%(module)s” is complete.") % {"module": module}
            )
            return redirect("programs:participation", code=participant.code)
    return render(
        request,
        "programs/participant/training.html",
        {"participant": participant, "module": module, "completion": completion, "form": form},
    )


# --- resources --------------------------------------------------------------


@login_required
def resources(request, code):
    participant = get_own_participation(request.user, code)
    return render(
        request,
        "programs/participant/resources.html",
        {
            "participant": participant,
            "program": participant.program,
            "resources": _library(participant),
        },
    )


@login_required
def resource(request, code, resource):
    participant = get_own_participation(request.user, code)
    resource = get_object_or_404(_library(participant), code=resource)
    if resource.kind == Resource.Kind.LINK:
        if urlsplit(resource.url).scheme not in ("http", "https"):
            raise Http404
        return redirect(resource.url)
    if resource.kind == Resource.Kind.FILE:
        if not resource.file:
            raise Http404
        try:
            handle = resource.file.open("rb")
        except OSError:
            raise Http404 from None
        # FileResponse writes a Content-Disposition safe for any file name.
        return FileResponse(handle, as_attachment=True, filename=PurePath(resource.file.name).name)
    return render(
        request,
        "programs/participant/resource.html",
        {"participant": participant, "program": participant.program, "resource": resource},
    )
