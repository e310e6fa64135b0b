from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentorship_site.accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    """allauth's hooks for this platform.

    Its emails go through Django's mail API and so through the queued backend
    (stored, then delivered by the worker after commit); here they are written
    in the recipient's own language rather than the language of whoever's
    request triggered them, and signed with the platform's name rather than
    the server's host name.
    """

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        # The form field allows 320 characters; the account model stores 254 (RFC 5321).
        if len(email) > User._meta.get_field("email").max_length:
            raise ValidationError(_("An email address can have at most 254 characters."))
        return email

    def platform_name(self) -> str:
        return settings.PLATFORM_NAME or gettext("Mentorship")

    def format_email_subject(self, subject: str) -> str:
        return f"[{self.platform_name()}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        recipient = context.get("user")
        if not isinstance(recipient, User):
            recipient = User.objects.filter(email__iexact=email).only("preferred_language").first()
        language = getattr(recipient, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            site = SimpleNamespace(
                name=self.platform_name(),
                domain=self.request.get_host() if self.request else settings.SITE_URL,
            )
            super().send_mail(template_prefix, email, {"current_site": site, **context})
