from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mentorship_site.accounts.models import STAFF_VIEWERS_GROUP, User


def _sees_program_dashboard(user) -> bool:
    """Coordinators, staff viewers and administrators reach the programs dashboard (one query)."""
    if user.is_superuser:
        return True
    return (
        User.objects.filter(pk=user.pk)
        .filter(Q(groups__name=STAFF_VIEWERS_GROUP) | Q(coordinated_programs__isnull=False))
        .exists()
    )


def navigation(request):
    """Return the main navigation: only the places the signed-in person may use."""
    user = getattr(request, "user", None)
    items = [(_("Home"), reverse("home"))]
    if user is not None and user.is_authenticated:
        if _sees_program_dashboard(user):
            items.append((_("Programs"), reverse("programs:dashboard")))
        items.append((_("Account"), reverse("accounts:settings")))
        if user.is_staff:
            items.append((_("Back office"), reverse("admin:index")))
    current = request.path
    return {
        "navigation": [
            {
                "label": label,
                "url": url,
                "current": url == current or (url != "/" and current.startswith(url)),
            }
            for label, url in items
        ]
    }
