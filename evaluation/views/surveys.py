"""Survey pages: the survey a person was invited to, their list of surveys, and the
coordinators' editor of a program's questions.

A survey page is its invited person's alone: the partner, coordinators and strangers
get 404. Coordinators read the figures, never one person's answers, here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from evaluation import services
from evaluation.forms import SurveyForm, SurveyQuestionForm
from evaluation.models import (
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
    SurveyQuestion,
)
from programs.access import get_program_to_manage
from programs.services.errors import ProgramError

TEMPLATES = "evaluation/"


def get_own_invitation(user, code) -> SurveyInvitation:
    """Return one of `user`'s own survey invitations; 404 for anyone else's."""
    return get_object_or_404(
        SurveyInvitation.objects.filter(user=user).select_related(
            "match__program", "match__mentor__user", "match__mentee__user"
        ),
        code=code,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, code):
    invitation = get_own_invitation(request.user, code)
    context = {"invitation": invitation, "match": invitation.match}
    if invitation.is_answered:
        context["answers"] = SurveyAnswer.objects.filter(invitation=invitation)
        return render(request, TEMPLATES + "survey_answered.html", context)
    questions = services.questions_for(invitation)
    form = SurveyForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_answers(invitation, by=request.user, values=form.values())
        except services.SurveyError as error:
            form.show_error(error)
        else:
            messages.success(request, _("Thank you: your answers are recorded."))
            return redirect("evaluation:survey", code=invitation.code)
    return render(request, TEMPLATES + "survey.html", {**context, "form": form})


@login_required
@require_http_methods(["GET", "HEAD"])
def my_surveys(request):
    invitations = SurveyInvitation.objects.of_user(request.user)
    return render(request, TEMPLATES + "my_surveys.html", {"invitations": invitations})


# --- the coordinators' editor ------------------------------------------------------------


def _editor(request, code):
    return get_program_to_manage(request.user, code)


@login_required
@require_http_methods(["GET", "HEAD"])
def survey_questions(request, code):
    program = _editor(request, code)
    questions = list(SurveyQuestion.objects.filter(program=program).order_by("position", "pk"))
    surveys = [
        (kind, label, [q for q in questions if q.kind == kind])
        for kind, label in SurveyKind.choices
    ]
    return render(
        request, TEMPLATES + "survey_questions.html", {"program": program, "surveys": surveys}
    )


def _question_form_page(request, program, kind, question=None):
    form = SurveyQuestionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            if question is None:
                services.add_question(program, kind, by=request.user, **form.question_fields())
            else:
                fields = form.question_fields()
                services.change_question(question, by=request.user, **fields)
        except services.SurveyError as error:
            form.show_error(error)
        except ProgramError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The survey question is saved."))
            return redirect("evaluation:survey_questions", code=program.code)
    context = {
        "program": program,
        "kind_label": SurveyKind(kind).label,
        "question": question,
        "form": form,
    }
    return render(request, TEMPLATES + "survey_question_form.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_question_new(request, code, kind):
    program = _editor(request, code)
    if kind not in SurveyKind.values:
        raise Http404
    return _question_form_page(request, program, kind)


def _question_to_manage(request, code):
    question = get_object_or_404(SurveyQuestion.objects.select_related("program"), code=code)
    get_program_to_manage(request.user, question.program.code)
    return question


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_question_edit(request, code):
    question = _question_to_manage(request, code)
    return _question_form_page(request, question.program, question.kind, question)


@require_POST
@login_required
def survey_question_move(request, code):
    question = _question_to_manage(request, code)
    try:
        services.move_question(question, by=request.user, direction=request.POST.get("direction"))
    except (services.SurveyError, ProgramError) as error:
        messages.error(request, error.message)
    # Back at the moved question, so the keyboard goes on from there.
    page = reverse("evaluation:survey_questions", kwargs={"code": question.program.code})
    return redirect(f"{page}#question-{question.code}")


@require_POST
@login_required
def survey_question_remove(request, code):
    question = _question_to_manage(request, code)
    try:
        services.remove_question(question, by=request.user)
    except (services.SurveyError, ProgramError) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The question is removed. Past answers keep it."))
    return redirect("evaluation:survey_questions", code=question.program.code)
