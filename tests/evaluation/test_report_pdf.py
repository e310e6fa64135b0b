"""The leadership report as a PDF: the known history's figures, tagged for screen
readers, in the reader's language, and a clear way out where PDF cannot be made."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from evaluation import report_pdf
from tests.evaluation.kpi_builders import START

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(kpi_history, client, staff_viewer):
    with time_machine.travel(START + timedelta(weeks=11), tick=False):
        client.force_login(staff_viewer)
        yield kpi_history


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


def test_the_pdf_holds_the_key_figures_of_the_program(client, history):
    response = client.get(reverse("evaluation:program_report_pdf", args=[history.program.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="leaders-of-tomorrow-report.pdf"' in response["Content-Disposition"]
    text = text_of(response.content)
    assert "Leaders of tomorrow: report for leadership" in text
    assert "Matches completed" in text
    assert "Hours of mentoring 12.0" in text
    assert "Match rate 50.0 % 80.0 % not reached" in text
    assert "Language buddies" not in text


def test_the_pdf_is_tagged_for_screen_readers(client, history):
    response = client.get(reverse("evaluation:program_report_pdf", args=[history.program.code]))
    catalog = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"


def test_the_pdf_speaks_the_readers_language_and_keeps_the_filters(client, history, staff_viewer):
    staff_viewer.preferred_language = "fr"
    staff_viewer.save()
    url = reverse("evaluation:program_report_pdf", args=[history.program.code])
    response = client.get(f"{url}?cycle={history.cycle.code}", HTTP_ACCEPT_LANGUAGE="fr")
    text = text_of(response.content)
    assert "rapport" in text.lower()
    assert history.cycle.name in text


def test_without_pdf_support_the_printable_page_is_offered(client, history, monkeypatch):
    # The Pango library cannot be removed from this machine: its absence is simulated.
    def unavailable(html):
        raise report_pdf.PdfUnavailable("no Pango")

    monkeypatch.setattr(report_pdf, "render_pdf", unavailable)
    url = reverse("evaluation:program_report_pdf", args=[history.program.code])
    response = client.get(f"{url}?since=2027-03-01", follow=True)
    assert response.redirect_chain[-1][0].endswith("/report/?since=2027-03-01")
    assert "This server cannot make PDF files." in response.content.decode()
