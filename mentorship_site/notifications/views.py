"""Email preferences, one-click unsubscribe and the clock page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mentorship_site.accounts.models import User
from mentorship_site.notifications import clock as clock_reads
from mentorship_site.notifications import services
from mentorship_site.notifications.forms import PreferencesForm
from mentorship_site.notifications.kinds import Category, Delivery


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your email choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def _token_owner(token: str):
    """Return (user, category) of a genuine, unexpired token; None for anything else."""
    found = services.read_unsubscribe_token(token)
    if found is None:
        return None
    user_id, category = found
    user = User.objects.filter(pk=user_id).first()
    return None if user is None else (user, Category(category))


# Mail clients post RFC 8058 one-click requests without cookies or a CSRF token; the
# signed token in the URL is what authorises the change.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    found = _token_owner(token)
    if found is None:
        # The same page for a forged, tampered, expired or unknown link: nothing leaks.
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    user, category = found
    done = request.method == "POST"
    if done:
        services.set_preference(user, category, Delivery.OFF)
    already_off = not done and services.delivery_for(user, category) == Delivery.OFF
    # In the language of the person the email went to, unless whoever opened the link
    # chose another one with the language switcher.
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    with translation.override(translation.get_language() if chosen else user.preferred_language):
        return render(
            request,
            "notifications/unsubscribe.html",
            {"category": category, "done": done or already_off, "token": token},
        )


@login_required
def clock(request):
    if not clock_reads.may_see_clock(request.user):
        raise Http404
    return render(
        request,
        "notifications/clock.html",
        {"jobs": clock_reads.job_rows(), "full_errors": request.user.is_superuser},
    )
