from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from mentorship_site.accounts import services
from mentorship_site.accounts.forms import AccountForm


@login_required
def account_settings(request):
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_account(request.user, **form.cleaned_data, by=request.user)
        translation.activate(request.user.preferred_language)
        messages.success(request, _("Your account details are saved."))
        response = redirect("accounts:settings")
        response.set_cookie(
            "django_language",
            request.user.preferred_language,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response
    return render(request, "accounts/settings.html", {"form": form})
