from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from mentorship_site.accounts import services
from mentorship_site.accounts.forms import AccountForm
from mentorship_site.accounts.models import User


@login_required
def account_settings(request):
    # A fresh copy: a refused form must not leave half-applied values on request.user,
    # which the header and the time zone of the page read.
    form = AccountForm(request.POST or None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        user = services.update_account(request.user, **form.cleaned_data, by=request.user)
        translation.activate(user.preferred_language)
        messages.success(request, _("Your account details are saved."))
        response = redirect("accounts:settings")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return response
    return render(request, "accounts/settings.html", {"form": form})
