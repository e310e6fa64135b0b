"""Site-wide pages: the home page, the language switcher and the health check."""

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language

from mentorship_site import health
from mentorship_site.accounts import services as account_services


def home(request):
    if request.user.is_authenticated:
        return render(request, "home/next_step.html")
    return render(request, "home/welcome.html")


@require_POST
def switch_language(request):
    """Set the interface language; a signed-in person's choice is also remembered on the account."""
    if request.user.is_authenticated:
        account_services.set_preferred_language(
            request.user, request.POST.get("language", ""), by=request.user
        )
    response = set_language(request)
    if not isinstance(response, HttpResponseRedirect) or not url_has_allowed_host_and_scheme(
        response.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect("/")
    return response


@never_cache
@require_safe
def healthz(request):
    checks = {
        "database": "ok" if health.database_is_up() else "unavailable",
        "broker": "ok" if health.broker_is_up() else "unavailable",
    }
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
