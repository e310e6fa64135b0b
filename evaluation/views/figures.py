"""The figure pages: a program's dashboard, its cycles side by side, its printable report
for leadership, their CSV exports, and the organization's page across programs.

They are read-only. A program's pages are for its coordinators, staff viewers and
administrators (anyone else gets 404); the organization's page lists the programs the
reader may see. Filters live in the address, so a view can be shared or bookmarked.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from evaluation import dashboard, exports, kpis, organization, report_pdf
from evaluation.forms import DateRangeForm, FiguresFilterForm
from evaluation.trends import weekly_trends
from programs.access import get_program_to_read
from programs.models import Program

TEMPLATES = "evaluation/figures/"
# The cycles page shows this many cycles side by side at most (the latest by default).
CYCLES_SHOWN = 4
PROGRAM_TABLES = ("recruitment", "funnel", "requests", "sources", "hours", "surveys", "reasons")


def _filtered(request, code):
    """Return the program `request.user` may read, the bound filter form and its scope."""
    program = get_program_to_read(request.user, code)
    form = FiguresFilterForm(request.GET or None, program=program)
    return program, form, form.scope()


def _figures(request, code) -> dict:
    """Return what a program's figures page and its report show, for the filters of
    the address."""
    program, form, scope = _filtered(request, code)
    figures = kpis.program_figures(program, **scope)
    tables = dashboard.program_tables(figures)
    return {
        "program": program,
        "form": form,
        "scope": scope,
        "query": form.data.urlencode() if form.is_bound else "",
        "headlines": dashboard.headlines(figures),
        "tables": tables,
        "sections": dashboard.sections(tables),
        "charts": [tables["funnel"], tables["requests"], tables["hours"]],
        "voices": [tables["surveys"], tables["reasons"]],
        "trends": dashboard.trend_tables(weekly_trends(program, **scope)),
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def program_dashboard(request, code):
    return render(request, TEMPLATES + "program.html", _figures(request, code))


@login_required
@require_http_methods(["GET", "HEAD"])
def program_report(request, code):
    return render(request, TEMPLATES + "report.html", _figures(request, code))


@login_required
@require_http_methods(["GET", "HEAD"])
def program_report_pdf(request, code):
    context = _figures(request, code)
    program = context["program"]
    try:
        pdf = report_pdf.render_pdf(render_to_string(TEMPLATES + "report_pdf.html", context))
    except report_pdf.PdfUnavailable:
        messages.error(
            request,
            _("This server cannot make PDF files. Print this page, or save it as a PDF."),
        )
        page = reverse("evaluation:program_report", kwargs={"code": program.code})
        return redirect(f"{page}?{context['query']}" if context["query"] else page)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = exports.filename(program, "report", "pdf", context["scope"])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def program_cycles(request, code):
    program = get_program_to_read(request.user, code)
    chosen = request.GET.getlist("cycle")
    cycles = program.cycles.order_by("-starts_on", "-pk")
    if chosen:
        cycles = cycles.filter(code__in=organization.valid_codes(chosen))
    cycles = list(cycles[:CYCLES_SHOWN])
    context = {
        "program": program,
        "all_cycles": program.cycles.order_by("-starts_on", "-pk"),
        "chosen": {str(cycle.code) for cycle in cycles},
        "comparison": organization.compare_cycles(program, cycles),
        "limit": CYCLES_SHOWN,
    }
    return render(request, TEMPLATES + "cycles.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def program_export(request, code, table):
    program, _form, scope = _filtered(request, code)
    name = exports.filename(program, table, scope=scope)
    if table == "pairs":
        rows = exports.pair_rows(exports.pairs(program, **scope))
        return exports.csv_response(name, exports.PAIR_COLUMNS, rows)
    if table == "trends":
        header, rows = exports.trend_rows(weekly_trends(program, **scope))
        return exports.csv_response(name, header, rows)
    if table == "figures":
        figures = kpis.program_figures(program, **scope)
        return exports.csv_response(name, ["figure", "value"], exports.figure_rows(figures))
    if table not in PROGRAM_TABLES:
        raise Http404
    shown = dashboard.program_tables(kpis.program_figures(program, **scope))[table]
    header = [column for column, _heading in shown.columns]
    return exports.csv_response(name, header, shown.csv_rows)


def _organization_programs(request):
    """Return the programs on the organization's page; 404 for people who read none."""
    user = request.user
    if not (user.is_staff_viewer or Program.objects.coordinated_by(user).exists()):
        raise Http404
    return Program.objects.visible_to_staff(user)


def _organization_rows(request):
    programs = _organization_programs(request)
    form = DateRangeForm(request.GET or None)
    return form, organization.organization_figures(programs, **form.scope())


@login_required
@require_http_methods(["GET", "HEAD"])
def organization_dashboard(request):
    form, rows = _organization_rows(request)
    definitions = [
        (name, label, kpis.DEFINITIONS[name]) for name, label, _unit in organization.COLUMNS
    ]
    context = {
        "form": form,
        "scope": form.scope(),
        "query": form.data.urlencode() if form.is_bound else "",
        "rows": rows,
        "columns": organization.COLUMNS,
        "definitions": definitions,
    }
    return render(request, TEMPLATES + "organization.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def organization_export(request):
    form, rows = _organization_rows(request)
    header = [
        "program",
        "program_code",
        "status",
        *[name for name, _label, _unit in organization.COLUMNS],
    ]
    return exports.csv_response(
        exports.filename(None, "", scope=form.scope()),
        header,
        ([row.name, row.code, row.status, *row.values] for row in rows),
    )
