"""The coordinator's people pages: overview, participants, applications, invitations.

Coordinators (and superusers) act; staff viewers read the same pages without the
forms, and any POST of theirs gets 404 like a stranger's.
"""

import csv
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from programs import invitations_csv, selectors, services
from programs.access import can_manage, get_program_to_manage, get_program_to_read
from programs.forms import people as forms
from programs.models import Invitation, Participant

PER_PAGE = 50
TEMPLATES = "programs/coordinator/people/"


def _program_for(request, code):
    """Reading is open to staff viewers; any change needs a coordinator."""
    if request.method == "POST":
        return get_program_to_manage(request.user, code)
    return get_program_to_read(request.user, code)


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _participant(program, code) -> Participant:
    return get_object_or_404(
        Participant.objects.in_program(program).select_related("user", "cycle"), code=code
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def program_overview(request, code):
    program = get_program_to_read(request.user, code)
    return render(
        request,
        TEMPLATES + "overview.html",
        {
            "program": program,
            "overview": selectors.program_overview(program),
            "manage": can_manage(request.user, program),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def participants(request, code):
    program = get_program_to_read(request.user, code)
    form = forms.ParticipantFilterForm(request.GET or None, program=program)
    page = _page(request, selectors.filter_participants(program, **form.filters()))
    return render(
        request,
        TEMPLATES + "participants.html",
        {"program": program, "form": form, "page": page},
    )


# --- the CSV export ---------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Return `value` as text a spreadsheet shows and never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _column(question) -> str:
    label = f"{question.get_role_display()}: {question.label}"
    return f"{label} ({_('sensitive')})" if question.sensitive else label


def _write_participants(writer, questions, people) -> None:
    """Write one row per person, then one column per question, answers made readable."""
    writer.writerow(
        [
            _("Name"), _("Email"), _("Role"), _("State"), _("Cycle"), _("Department or team"),
            _("Manager's email"), _("Mentees they can take"), _("Joined"),
            _("Questionnaire submitted"), *(_column(question) for question in questions),
        ]
    )  # fmt: skip
    for person in people:
        answers = {answer.question_id: answer.value for answer in person.answers.all()}
        writer.writerow(
            _cell(value)
            for value in [
                person.user.display_name, person.user.email, person.get_role_display(),
                person.get_state_display(), person.cycle.name if person.cycle else "",
                person.department, person.manager_email, person.capacity,
                _when(person.joined_at), _when(person.questionnaire_submitted_at),
                *(selectors.readable_answer(q, answers.get(q.pk)) for q in questions),
            ]
        )  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD"])
def participants_export(request, code):
    program = get_program_to_read(request.user, code)
    form = forms.ParticipantFilterForm(request.GET or None, program=program)
    questions = selectors.program_questions(
        program, include_sensitive=can_manage(request.user, program)
    )
    people = selectors.participants_for_export(
        selectors.filter_participants(program, **form.filters())
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="participants.csv"'
    response.write("\ufeff")  # lets spreadsheets recognise UTF-8
    _write_participants(csv.writer(response), questions, people)
    return response


# --- one participant --------------------------------------------------------


@dataclass(frozen=True)
class Action:
    label: str
    done: str  # the success message, with %(name)s
    button: str  # Bootstrap button style
    run: object


ACTIONS = {
    "approve": Action(
        gettext_lazy("Approve"),
        gettext_lazy("%(name)s's application is approved: they are enrolled."),
        "btn-success",
        lambda person, by, **form: services.approve_application(person, by=by),
    ),
    "decline": Action(
        gettext_lazy("Decline"),
        gettext_lazy("%(name)s's application is declined."),
        "btn-outline-danger",
        lambda person, by, message: services.decline_application(person, by=by, message=message),
    ),
    "pause": Action(
        gettext_lazy("Pause"),
        gettext_lazy("%(name)s is paused: they get no new match meanwhile."),
        "btn-outline-secondary",
        lambda person, by, reason: services.pause_participant(person, by=by, reason=reason),
    ),
    "resume": Action(
        gettext_lazy("Resume"),
        gettext_lazy("%(name)s is back in the program."),
        "btn-primary",
        lambda person, by, **form: services.resume_participant(person, by=by),
    ),
    "withdraw": Action(
        gettext_lazy("Withdraw from the program"),
        gettext_lazy("%(name)s is withdrawn from the program."),
        "btn-danger",
        lambda person, by, reason: services.withdraw_participant(person, by=by, reason=reason),
    ),
}


def _render_participant(request, program, person, *, bound=None):
    """Render the participant page; `bound` is (action, form) after a refused POST."""
    manage = can_manage(request.user, program)
    action_forms = {}
    if manage:
        action_forms = {
            name: forms.action_form(name) for name in selectors.participant_actions(person)
        }
        if bound:
            action_forms[bound[0]] = bound[1]
    return render(
        request,
        TEMPLATES + "participant_detail.html",
        {
            "program": program,
            "person": person,
            "file": selectors.participant_file(program, person, include_sensitive=manage),
            "manage": manage,
            "actions": [(name, ACTIONS[name], form) for name, form in action_forms.items()],
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def participant_detail(request, code, participant):
    program = get_program_to_read(request.user, code)
    return _render_participant(request, program, _participant(program, participant))


@require_POST
@login_required
def participant_action(request, code, participant, action):
    if action not in ACTIONS:
        raise Http404
    program = get_program_to_manage(request.user, code)
    person = _participant(program, participant)
    form = forms.action_form(action, request.POST)
    if form.is_valid():
        try:
            ACTIONS[action].run(person, request.user, **form.cleaned_data)
        except services.ProgramError as error:
            if error.field not in form.fields:
                messages.error(request, error.message)
                return redirect("programs:participant_detail", code=code, participant=participant)
            form.add_error(error.field, error.message)
        else:
            messages.success(request, ACTIONS[action].done % {"name": person.user.display_name})
            if request.POST.get("next") == "applications":
                return redirect("programs:applications", code=code)
            return redirect("programs:participant_detail", code=code, participant=participant)
    return _render_participant(request, program, person, bound=(action, form))


@login_required
@require_http_methods(["GET", "HEAD"])
def applications(request, code):
    program = get_program_to_read(request.user, code)
    page = _page(request, selectors.applications(program))
    manage = can_manage(request.user, program)
    rows = [
        (
            person,
            forms.action_form("decline", auto_id=f"id_{person.code.hex}_%s") if manage else None,
        )
        for person in page
    ]
    return render(
        request,
        TEMPLATES + "applications.html",
        {"program": program, "page": page, "rows": rows, "manage": manage},
    )


# --- invitations ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitations(request, code):
    program = _program_for(request, code)
    manage = can_manage(request.user, program)
    form = forms.InvitationForm(request.POST or None, program=program) if manage else None
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_person(program, by=request.user, **form.cleaned_data)
        except services.ProgramError as error:
            form.add_error(error.field if error.field in form.fields else "email", error.message)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("programs:invitations", code=code)
    return render(
        request,
        TEMPLATES + "invitations.html",
        {
            "program": program,
            "form": form,
            "manage": manage,
            "page": _page(request, selectors.invitations(program)),
            "now": timezone.now(),
        },
    )


def _change_invitation(request, code, token, change, done):
    program = get_program_to_manage(request.user, code)
    invitation = get_object_or_404(Invitation.objects.filter(program=program), token=token)
    try:
        change(invitation, by=request.user)
    except services.ProgramError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect("programs:invitations", code=code)


@require_POST
@login_required
def invitation_resend(request, code, token):
    return _change_invitation(
        request, code, token, services.resend_invitation, _("Invitation sent again to %(email)s.")
    )


@require_POST
@login_required
def invitation_revoke(request, code, token):
    return _change_invitation(
        request,
        code,
        token,
        services.revoke_invitation,
        _("The invitation of %(email)s is withdrawn: its link no longer works."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitations_upload(request, code):
    program = get_program_to_manage(request.user, code)
    if request.method == "POST" and "payload" in request.POST:
        return _import_invitations(request, program)
    form = forms.InvitationUploadForm(
        request.POST if request.method == "POST" else None, request.FILES or None, program=program
    )
    context = {"program": program, "form": form}
    if form.is_bound and form.is_valid():
        rows = form.cleaned_data["file"]
        context["rows"] = rows
        if not invitations_csv.has_errors(rows):
            context["confirm"] = forms.InvitationImportForm(
                initial={"payload": form.signed_rows(request.user)},
                program=program,
                user=request.user,
            )
            context["count"] = len(rows)
    return render(request, TEMPLATES + "invitations_upload.html", context)


def _import_invitations(request, program):
    confirm = forms.InvitationImportForm(request.POST, program=program, user=request.user)
    if confirm.is_valid():
        try:
            sent = services.import_invitations(
                program,
                confirm.cleaned_data["rows"],
                by=request.user,
                cycle=confirm.cleaned_data["cycle"],
            )
        except services.ProgramError as error:
            confirm.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", len(sent))
                % {"count": len(sent)},
            )
            return redirect("programs:invitations", code=program.code)
    context = {
        "program": program,
        "form": forms.InvitationUploadForm(program=program),
        "refused": confirm.non_field_errors(),
    }
    return render(request, TEMPLATES + "invitations_upload.html", context)
