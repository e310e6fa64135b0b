from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from programs.signals import participant_changed

        participant_changed.connect(_close_requests, dispatch_uid="matching_close_requests")


def _close_requests(sender, *, participant, by, change, **kwargs) -> None:
    from matching.services import close_requests_of

    close_requests_of(participant, change=change, by=by)
