"""Certificate pages: a person's own certificates and each one's printable page, a
program's certificates for its coordinators, and the public verification page, which
shows only what the certificate itself shows."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from evaluation import certificates, services
from evaluation.forms import VerifyCertificateForm
from evaluation.models import Certificate, normalise_code
from matching.models import Match
from programs.access import can_manage, get_program_to_manage, get_program_to_read
from programs.services.errors import ProgramError

TEMPLATES = "evaluation/"


def _unissued_of_user(user):
    """Return the certificates `user` has earned and not asked for yet."""
    matches = Match.objects.involving(user).with_people().order_by("-started_on", "-pk")
    issued = set(Certificate.objects.of_user(user).values_list("match_id", flat=True))
    return [
        earned
        for earned in certificates.earned_in(matches)
        if earned.participant.user_id == user.pk and earned.match.pk not in issued
    ]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_certificates(request):
    if request.method == "POST":
        try:
            match_code = uuid.UUID(request.POST.get("match", ""))
        except ValueError:
            raise Http404 from None
        match = get_object_or_404(
            Match.objects.involving(request.user).select_related("mentor", "mentee"),
            code=match_code,
        )
        participant = match.mentor if match.mentor.user_id == request.user.pk else match.mentee
        try:
            certificate = services.issue_certificate(participant, match, by=request.user)
        except services.CertificateError as error:
            messages.error(request, error.message)
            return redirect("evaluation:certificates")
        return redirect("evaluation:certificate", code=certificate.code)
    context = {
        "certificates": Certificate.objects.of_user(request.user),
        "unissued": _unissued_of_user(request.user),
    }
    return render(request, TEMPLATES + "my_certificates.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def certificate(request, code):
    certificate = get_object_or_404(
        Certificate.objects.filter(participant__user=request.user), code=normalise_code(code)
    )
    return render(request, TEMPLATES + "certificate.html", {"certificate": certificate})


@require_http_methods(["GET", "HEAD"])
def verify_certificate(request):
    form = VerifyCertificateForm(request.GET or None)
    certificate = None
    if form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        certificate = Certificate.objects.filter(code=code).first()
    context = {"form": form, "certificate": certificate, "checked": form.is_valid()}
    return render(request, TEMPLATES + "verify_certificate.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def program_certificates(request, code):
    program = get_program_to_read(request.user, code)
    context = {
        "program": program,
        "can_change": can_manage(request.user, program),
        "unissued": services.unissued_certificates(program),
        "certificates": Certificate.objects.of_program(program),
    }
    return render(request, TEMPLATES + "program_certificates.html", context)


@require_POST
@login_required
def issue_certificates(request, code):
    program = get_program_to_manage(request.user, code)
    try:
        issued = services.issue_certificates(program, by=request.user)
    except ProgramError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)d certificate issued.", "%(count)d certificates issued.", issued)
            % {"count": issued},
        )
    return redirect("evaluation:program_certificates", code=program.code)
