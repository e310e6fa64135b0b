"""Pages of the program figures: see tests/pages.py for the format."""

from tests.pages import Page
from tests.pages_certificates import READERS, a_known_code, the_program

# The organization's page: anyone who reads some program's figures.
FIGURE_READERS = {
    "anonymous": 302,
    "participant": 404,
    "outsider": 404,
    "*": 200,
}


def a_table(table):
    def kwargs(world):
        return {**the_program(world), "table": table}

    return kwargs


PAGES: list = [
    Page("evaluation:dashboard", FIGURE_READERS, meant_for="staff_viewer", kwargs=a_known_code),
    Page("evaluation:dashboard", FIGURE_READERS, meant_for="other_coordinator"),
    Page(
        "evaluation:dashboard",
        FIGURE_READERS,
        meant_for="staff_viewer",
        query="?since=2020-01-01&until=soon",
        notes="a date range with a wrong end",
    ),
    Page("evaluation:organization_export", FIGURE_READERS, notes="CSV"),
    Page("evaluation:program_dashboard", READERS, meant_for="coordinator", kwargs=the_program),
    Page(
        "evaluation:program_dashboard",
        READERS,
        meant_for="staff_viewer",
        kwargs=the_program,
        query="?since=2020-01-01&until=2099-12-31",
        notes="a date range",
    ),
    Page(
        "evaluation:program_dashboard",
        READERS,
        meant_for="coordinator",
        kwargs=the_program,
        query="?cycle=not-a-cycle&since=yesterday&until=1999-01-01",
        notes="filters that cannot be used, reported on the page",
    ),
    Page("evaluation:program_cycles", READERS, meant_for="staff_viewer", kwargs=the_program),
    Page(
        "evaluation:program_cycles",
        READERS,
        meant_for="coordinator",
        kwargs=the_program,
        query="?cycle=garbage",
        notes="a garbled cycle is left out",
    ),
    Page("evaluation:program_report", READERS, meant_for="staff_viewer", kwargs=the_program),
    Page("evaluation:program_report_pdf", READERS, kwargs=the_program, notes="PDF"),
    *[
        Page("evaluation:program_export", READERS, kwargs=a_table(table), notes="CSV")
        for table in (
            "figures",
            "pairs",
            "trends",
            "recruitment",
            "funnel",
            "requests",
            "sources",
            "hours",
            "surveys",
            "reasons",
        )
    ],
    Page(
        "evaluation:program_export",
        {"anonymous": 302, "*": 404},
        kwargs=a_table("nothing"),
        notes="an unknown table",
    ),
]
