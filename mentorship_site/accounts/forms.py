from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mentorship_site.accounts import services
from mentorship_site.accounts.models import User, time_zone_choices

TIME_ZONE_HELP = _(
    "Meeting times are shown to you in this zone. We suggest the one your browser reports: "
    "check it before you continue."
)


class TimeZoneSelect(forms.Select):
    """A select whose value the page suggests from the browser's own time zone."""

    def __init__(self, attrs=None):
        super().__init__({"data-guess-time-zone": "true", "autocomplete": "off", **(attrs or {})})


class SignupDetailsForm(forms.Form):
    """The fields our sign-up adds to allauth's email and password."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("Shown to your mentor, mentee and coordinator."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        initial="UTC",
        help_text=TIME_ZONE_HELP,
        widget=TimeZoneSelect,
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial="en"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = (get_language() or "en")[:2]

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please tell us your name."))
        return name

    def signup(self, request, user: User) -> None:
        """Called by allauth once the account exists: store the details asked for here."""
        services.update_account(
            user,
            display_name=self.cleaned_data["display_name"],
            time_zone=self.cleaned_data["time_zone"],
            preferred_language=self.cleaned_data["preferred_language"],
            by=user,
        )


class AccountForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "preferred_language"]
        labels = {"display_name": _("Your name")}

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please tell us your name."))
        return name
