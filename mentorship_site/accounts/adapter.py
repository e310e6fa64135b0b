from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from mentorship_site.accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    """allauth's hooks for this platform.

    Its emails go through Django's mail API and so through the queued backend
    (stored, then delivered by the worker after commit); here they are written
    in the recipient's own language rather than the language of whoever's
    request triggered them.
    """

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        recipient = context.get("user")
        if not isinstance(recipient, User):
            recipient = User.objects.filter(email__iexact=email).only("preferred_language").first()
        language = getattr(recipient, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
