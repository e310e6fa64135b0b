"""The evaluation app's pages: surveys, certificates and the program figures."""

from evaluation.views.certificates import (
    certificate,
    issue_certificates,
    my_certificates,
    program_certificates,
    verify_certificate,
)
from evaluation.views.figures import (
    organization_dashboard,
    organization_export,
    program_cycles,
    program_dashboard,
    program_export,
    program_report,
    program_report_pdf,
)
from evaluation.views.surveys import (
    my_surveys,
    survey,
    survey_question_edit,
    survey_question_move,
    survey_question_new,
    survey_question_remove,
    survey_questions,
)

__all__ = [
    "certificate",
    "issue_certificates",
    "my_certificates",
    "my_surveys",
    "organization_dashboard",
    "organization_export",
    "program_certificates",
    "program_cycles",
    "program_dashboard",
    "program_export",
    "program_report",
    "program_report_pdf",
    "survey",
    "survey_question_edit",
    "survey_question_move",
    "survey_question_new",
    "survey_question_remove",
    "survey_questions",
    "verify_certificate",
]
