"""Write an email from its three templates, in the recipient's language."""

from types import SimpleNamespace

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext


def render_templated_email(
    name: str,
    *,
    to: str,
    context: dict,
    language: str | None = None,
    attachments: list[tuple[str, str | bytes, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """Return `emails/<name>_subject.txt`, `_body.txt` and `_body.html` as one message to `to`.

    `attachments` are (filename, content, mimetype) triples, such as a calendar invitation.
    When the context holds `unsubscribe_url` and `preferences_url`, both parts end with
    them.
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
        if full_context.get("unsubscribe_url"):
            text = (
                text.rstrip("\n")
                + "\n\n-- \n"
                + render_to_string("emails/_preferences_footer.txt", full_context)
            )
        html = render_to_string(f"emails/{name}_body.html", full_context)
    message = EmailMultiAlternatives(
        subject=f"[{full_context['platform_name']}] {subject}",
        body=text,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or ():
        message.attach(filename, content, mimetype)
    return message


def send_templated_email(name: str, **kwargs) -> None:
    """Render the email `name` (see render_templated_email) and send it.

    The message goes through the queued backend, so it leaves only after the
    current transaction commits.
    """
    render_templated_email(name, **kwargs).send()
