from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """Return the main navigation: only the places the signed-in person may use."""
    user = getattr(request, "user", None)
    items = [(_("Home"), reverse("home"))]
    if user is not None and user.is_authenticated:
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
