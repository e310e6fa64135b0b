"""The leadership report as a PDF file, drawn by WeasyPrint from its own HTML template.

WeasyPrint needs the Pango library of the operating system. Where it is missing, the
report stays available as a printable page and `PdfUnavailable` says so. The PDF is
tagged (PDF/UA), and never fetches anything: the charts are inline SVG and the styles
are in the page.
"""

from django.utils.translation import gettext as _


class PdfUnavailable(Exception):
    """The server cannot draw PDF files (WeasyPrint or Pango is missing)."""


def _no_fetching(url, *args, **kwargs):
    raise ValueError(_("The report fetches nothing: %(url)s") % {"url": url})


def render_pdf(html: str) -> bytes:
    """Return `html` drawn as a tagged PDF file."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: the Pango library is missing
        raise PdfUnavailable(str(error)) from error
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf(pdf_variant="pdf/ua-1")
