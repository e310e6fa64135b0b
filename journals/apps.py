from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalsConfig(AppConfig):
    name = "journals"
    verbose_name = _("Pair workspaces")
