"""The coordinator's side of matching: every request of a program, proposals, auto-match.

Coordinators (and superusers) act; staff viewers read the request list and the
auto-match results without the forms, and any POST of theirs gets 404.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from matching import automatch as automatch_module
from matching import forms_coordinator as forms
from matching import pool as pool_module
from matching import reasons, scoring, services
from matching.models import AutoMatchRun, Match, MatchRequest, RequestEvent
from programs.access import can_manage, get_program_to_manage, get_program_to_read
from programs.forms.participant import show_error
from programs.models import Participant, Program
from programs.services import ProgramError

PER_PAGE = 50
RUNS_SHOWN = 50
# Above this many pairs, one swap form replaces the per-pair ones (whose lists grow as n²).
PER_PAIR_SWAP_LIMIT = 60
TEMPLATES = "matching/coordinator/"
ACTIVE_RUN = {AutoMatchRun.Status.QUEUED, AutoMatchRun.Status.RUNNING}


def _program_for(request, code) -> Program:
    """Reading is open to staff viewers; any change needs a coordinator."""
    if request.method == "POST":
        return get_program_to_manage(request.user, code)
    return get_program_to_read(request.user, code)


def _run_for(request, code) -> AutoMatchRun:
    programs = Program.objects.visible_to_staff(request.user)
    if request.method == "POST":
        programs = Program.objects.coordinated_by(request.user)
    runs = AutoMatchRun.objects.filter(program__in=programs).select_related(
        "program", "cycle", "started_by", "sent_by"
    )
    return get_object_or_404(runs, code=code)


# --- every request of a program -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def requests_list(request, code):
    program = get_program_to_read(request.user, code)
    form = forms.RequestFilterForm(request.GET or None, program=program)
    filters = form.filters()
    status = filters.pop("status", "")
    requests = forms.filter_requests(MatchRequest.objects.filter(program=program), **filters)
    counts = dict(requests.order_by().values_list("status").annotate(total=Count("pk")))
    events = RequestEvent.objects.select_related("actor")
    listed = (
        forms.filter_requests(requests, status=status)
        .with_people()
        .prefetch_related(Prefetch("events", queryset=events))
    )
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    manage = can_manage(request.user, program)
    rows = [
        (
            match_request,
            _history(match_request),
            forms.CloseRequestForm(auto_id=f"id_{match_request.code.hex}_%s")
            if manage and match_request.is_pending
            else None,
        )
        for match_request in page
    ]
    return render(
        request,
        TEMPLATES + "requests.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "rows": rows,
            "manage": manage,
            "status": status,
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in MatchRequest.Status.choices
            ],
            "total": sum(counts.values()),
            "active_matches": Match.objects.filter(program=program).active().count(),
            "query": request.GET.urlencode(),
        },
    )


EVENT_LABELS = {
    "sent": gettext_lazy("Asked"),
    "proposed": gettext_lazy("Proposed"),
    "approved": gettext_lazy("Approved"),
    MatchRequest.Status.DECLINED: gettext_lazy("Declined"),
    MatchRequest.Status.WITHDRAWN: gettext_lazy("Withdrawn"),
    MatchRequest.Status.EXPIRED: gettext_lazy("Expired"),
    MatchRequest.Status.SUPERSEDED: gettext_lazy("Closed by the platform"),
    MatchRequest.Status.CLOSED: gettext_lazy("Closed by a coordinator"),
}


def _history(match_request) -> list[RequestEvent]:
    events = list(match_request.events.all())
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return events


def _back_to_list(program, query: str):
    url = reverse("matching:coordinator_requests", kwargs={"code": program.code})
    query = QueryDict(query).urlencode()
    return redirect(f"{url}?{query}" if query else url)


@require_POST
@login_required
def request_close(request, code, request_code):
    program = get_program_to_manage(request.user, code)
    match_request = get_object_or_404(
        MatchRequest.objects.filter(program=program).with_people(), code=request_code
    )
    form = forms.CloseRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            services.close_request(
                match_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ProgramError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The request between %(mentee)s and %(mentor)s is closed; both are told why.")
                % {
                    "mentee": match_request.mentee.user.display_name,
                    "mentor": match_request.mentor.user.display_name,
                },
            )
    return _back_to_list(program, request.POST.get("query", ""))


# --- a coordinator's proposal -------------------------------------------------------------


@dataclass
class Preview:
    score: float | None
    reasons: list
    refusal: str = ""


def _preview(program, mentee, mentor, *, viewer) -> Preview:
    """Score a pair and say why, without proposing it."""
    pool, people = pool_module.build_pool(program, [mentee], [mentor])
    rule = pool_module.hard_rule_broken(pool, 0, 0)
    if rule is not None:
        return Preview(None, [], services.refusal_message(rule, mentor, people.pairs))
    contributions = scoring.explain(pool, 0, 0)
    return Preview(
        float(scoring.score_matrix(pool)[0, 0]),
        reasons.describe(contributions, viewer=viewer, as_mentor=False, pairs=people.pairs),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def propose(request, code):
    program = get_program_to_manage(request.user, code)
    data = request.POST if request.method == "POST" else None
    form = forms.ProposeForm(data, program=program)
    preview = None
    if request.method == "POST" and form.is_valid():
        mentee, mentor = form.cleaned_data["mentee"], form.cleaned_data["mentor"]
        if "preview" in request.POST:
            preview = _preview(program, mentee, mentor, viewer=request.user)
        else:
            try:
                services.propose_match(
                    mentor, mentee, by=request.user, message=form.cleaned_data["message"]
                )
            except ProgramError as error:
                show_error(form, error)
            else:
                messages.success(
                    request,
                    _("Match proposed to %(mentee)s and %(mentor)s: it starts when both approve.")
                    % {"mentee": mentee.user.display_name, "mentor": mentor.user.display_name},
                )
                return redirect("matching:coordinator_requests", code=program.code)
    return render(
        request, TEMPLATES + "propose.html", {"program": program, "form": form, "preview": preview}
    )


# --- auto-match ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def automatch(request, code):
    program = _program_for(request, code)
    manage = can_manage(request.user, program)
    form = None
    if manage:
        data = request.POST if request.method == "POST" else None
        form = forms.StartAutoMatchForm(data, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.start_automatch(program, form.cleaned_data["cycle"], by=request.user)
        except ProgramError as error:
            show_error(form, error)
        else:
            return redirect("matching:automatch_run", code=run.code)
    runs = AutoMatchRun.objects.filter(program=program).select_related("cycle", "started_by")
    return render(
        request,
        TEMPLATES + "automatch.html",
        {"program": program, "form": form, "manage": manage, "runs": runs[:RUNS_SHOWN]},
    )


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    definition: str
    greedy_key: str = ""
    percent: bool = False


FIGURES = [
    Figure(
        "mentees",
        gettext_lazy("Mentees"),
        gettext_lazy("Mentees of the cycle who are ready and waiting for a mentor."),
    ),
    Figure(
        "mentors",
        gettext_lazy("Mentors"),
        gettext_lazy("Mentors of the cycle with at least one free place."),
    ),
    Figure("places", gettext_lazy("Places"), gettext_lazy("The free places those mentors offer.")),
    Figure(
        "matched",
        gettext_lazy("Mentees matched"),
        gettext_lazy("Mentees who get a mentor: auto-match makes this as high as possible first."),
        "greedy_matched",
    ),
    Figure(
        "total_score",
        gettext_lazy("Total score"),
        gettext_lazy("The sum of the pairs' scores (0 to 100 each), then made as high as it goes."),
        "greedy_total_score",
    ),
    Figure(
        "gain_over_greedy_pct",
        gettext_lazy("Gain over first-come"),
        gettext_lazy("How much higher the total score is than with the first-come method."),
        percent=True,
    ),
    Figure(
        "p10_score",
        gettext_lazy("10th percentile score"),
        gettext_lazy("Nine pairs in ten score at least this."),
        "greedy_p10_score",
    ),
    Figure(
        "worst_score",
        gettext_lazy("Worst-off score"),
        gettext_lazy("The score of the least well-matched pair."),
        "greedy_worst_score",
    ),
    Figure(
        "blocking_pair_share",
        gettext_lazy("Mentees in a blocking pair"),
        gettext_lazy(
            "Share of mentees who would score higher with another mentor who has a free place "
            "or a mentee scoring lower with them: such pairs may arrange things themselves."
        ),
        "greedy_blocking_pair_share",
        percent=True,
    ),
]


@dataclass
class PairRow:
    mentee: Participant
    mentor: Participant
    score: float
    reasons: list


def _pair_rows(run: AutoMatchRun, *, viewer) -> list[PairRow]:
    """Return the run's pairs with the people and the reasons, in a fixed number of queries."""
    pairs = run.result.get("pairs", [])
    people = Participant.objects.select_related("user", "cycle").in_bulk(
        [pair["mentee"] for pair in pairs] + [pair["mentor"] for pair in pairs]
    )
    pairs = [pair for pair in pairs if pair["mentee"] in people and pair["mentor"] in people]
    mentees = [people[pair["mentee"]] for pair in pairs]
    mentors = list({pair["mentor"]: people[pair["mentor"]] for pair in pairs}.values())
    column = {mentor.pk: j for j, mentor in enumerate(mentors)}
    pool, pool_people = pool_module.build_pool(run.program, mentees, mentors)
    rows = []
    for i, pair in enumerate(pairs):
        contributions = scoring.explain(pool, i, column[pair["mentor"]])
        rows.append(
            PairRow(
                mentee=mentees[i],
                mentor=people[pair["mentor"]],
                score=pair["score"],
                reasons=reasons.describe(
                    contributions, viewer=viewer, as_mentor=False, pairs=pool_people.pairs
                ),
            )
        )
    rows.sort(key=lambda row: (row.mentee.user.display_name.casefold(), row.mentee.pk))
    return rows


def _figures(run: AutoMatchRun) -> list:
    values = run.result.get("figures", {})
    return [
        (figure, values.get(figure.key), values.get(figure.greedy_key) if figure.greedy_key else "")
        for figure in FIGURES
    ]


@login_required
@require_http_methods(["GET", "HEAD"])
def automatch_run(request, code):
    run = _run_for(request, code)
    manage = can_manage(request.user, run.program)
    context = {
        "run": run,
        "program": run.program,
        "manage": manage,
        "active": run.status in ACTIVE_RUN,
        "stage": _stage_label(run),
    }
    if run.status in {AutoMatchRun.Status.DONE, AutoMatchRun.Status.SENT}:
        rows = _pair_rows(run, viewer=request.user)
        context.update(
            rows=rows,
            figures=_figures(run),
            kept_score=sum(row.score for row in rows),
            editable=manage and run.status == AutoMatchRun.Status.DONE,
            per_pair_swap=len(rows) <= PER_PAIR_SWAP_LIMIT,
        )
    return render(request, TEMPLATES + "automatch_run.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def automatch_progress(request, code):
    run = _run_for(request, code)
    response = render(
        request,
        TEMPLATES + "_run_progress.html",
        {"run": run, "active": run.status in ACTIVE_RUN, "stage": _stage_label(run)},
    )
    if run.status not in ACTIVE_RUN:
        response["HX-Refresh"] = "true"
    return response


def _stage_label(run) -> str:
    return str(automatch_module.STAGES.get(run.stage, ""))


def _back_to_run(run):
    return redirect("matching:automatch_run", code=run.code)


@require_POST
@login_required
def automatch_drop(request, code):
    run = _run_for(request, code)
    form = forms.DropForm(request.POST)
    try:
        if not form.is_valid():
            raise services.MatchingError(_("Choose a pair of this auto-match."))
        services.drop_automatch_pair(run, form.cleaned_data["mentee"], by=request.user)
    except ProgramError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("That pair is left out; it will not be proposed."))
    return _back_to_run(run)


@require_POST
@login_required
def automatch_swap(request, code):
    run = _run_for(request, code)
    form = forms.SwapForm(request.POST)
    try:
        if not form.is_valid():
            raise services.MatchingError(_("Choose two different pairs of this auto-match."))
        services.swap_automatch_mentors(
            run, form.cleaned_data["first"], form.cleaned_data["second"], by=request.user
        )
    except ProgramError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The two mentees now have each other's mentor."))
    return _back_to_run(run)


@require_POST
@login_required
def automatch_send(request, code):
    run = _run_for(request, code)
    try:
        sent, problems = services.send_automatch(run, by=request.user)
    except ProgramError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d proposal sent: each match starts when both people approve.",
                "%(count)d proposals sent: each match starts when both people approve.",
                sent,
            )
            % {"count": sent},
        )
        if problems:
            messages.warning(
                request,
                ngettext(
                    "%(count)d pair could not be proposed; see why below.",
                    "%(count)d pairs could not be proposed; see why below.",
                    len(problems),
                )
                % {"count": len(problems)},
            )
    return _back_to_run(run)
