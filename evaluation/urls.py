"""URLs of the surveys (a person's surveys, the coordinators' question editor), of the
certificates (a person's, a program's, and the public verification page) and of the
figure pages (a program's dashboard, cycles, report and exports; the organization's)."""

from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("surveys/", views.my_surveys, name="surveys"),
    path("surveys/<uuid:code>/", views.survey, name="survey"),
    path(
        "programs/<uuid:code>/survey-questions/",
        views.survey_questions,
        name="survey_questions",
    ),
    path(
        "programs/<uuid:code>/survey-questions/<str:kind>/new/",
        views.survey_question_new,
        name="survey_question_new",
    ),
    path(
        "survey-questions/<uuid:code>/edit/",
        views.survey_question_edit,
        name="survey_question_edit",
    ),
    path(
        "survey-questions/<uuid:code>/move/",
        views.survey_question_move,
        name="survey_question_move",
    ),
    path(
        "survey-questions/<uuid:code>/remove/",
        views.survey_question_remove,
        name="survey_question_remove",
    ),
    path("certificates/", views.my_certificates, name="certificates"),
    path("certificates/verify/", views.verify_certificate, name="verify"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path(
        "programs/<uuid:code>/certificates/",
        views.program_certificates,
        name="program_certificates",
    ),
    path(
        "programs/<uuid:code>/certificates/issue/",
        views.issue_certificates,
        name="issue_certificates",
    ),
    path("figures/", views.organization_dashboard, name="dashboard"),
    path("figures/programs.csv", views.organization_export, name="organization_export"),
    path("programs/<uuid:code>/figures/", views.program_dashboard, name="program_dashboard"),
    path("programs/<uuid:code>/figures/cycles/", views.program_cycles, name="program_cycles"),
    path(
        "programs/<uuid:code>/figures/<slug:table>.csv",
        views.program_export,
        name="program_export",
    ),
    path("programs/<uuid:code>/report/", views.program_report, name="program_report"),
    path("programs/<uuid:code>/report.pdf", views.program_report_pdf, name="program_report_pdf"),
]
