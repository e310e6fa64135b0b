"""Write an email from its three templates, in the recipient's language."""

from types import SimpleNamespace

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext


def send_templated_email(
    name: str,
    *,
    to: str,
    context: dict,
    language: str | None = None,
    attachments: list[tuple[str, str | bytes, str]] | None = None,
) -> None:
    """Send `emails/<name>_subject.txt`, `_body.txt` and `_body.html` to `to`.

    `attachments` are (filename, content, mimetype) triples, such as a calendar invitation.

    The message goes through the queued backend, so it leaves only after the
    current transaction commits.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        platform_name = settings.PLATFORM_NAME or gettext("Mentorship")
        full_context = {
            "platform_name": platform_name,
            "current_site": SimpleNamespace(name=platform_name, domain=settings.SITE_URL),
            "site_url": settings.SITE_URL.rstrip("/"),
            "LANGUAGE_CODE": translation.get_language(),
            **context,
        }
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", full_context).split())
        text = render_to_string(f"emails/{name}_body.txt", full_context)
        html = render_to_string(f"emails/{name}_body.html", full_context)
    message = EmailMultiAlternatives(
        subject=f"[{full_context['platform_name']}] {subject}", body=text, to=[to]
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or ():
        message.attach(filename, content, mimetype)
    message.send()
