"""Forms of the workspace page: ending a match early and extending it."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import Match


class EndMatchForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you ending this match?"),
        max_length=Match.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your partner and the coordinators read it."),
        error_messages={"required": _("Give a reason: the other person will read it.")},
    )


class ExtendMatchForm(forms.Form):
    ends_on = forms.DateField(
        label=_("New end date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=Match.REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, match: Match, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser's date picker offers only the dates the service would accept.
        widget = self.fields["ends_on"].widget
        widget.attrs["min"] = (match.ends_on + timedelta(days=1)).isoformat()
        widget.attrs["max"] = match.latest_end_date().isoformat()
