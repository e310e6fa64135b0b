"""Forms of the participant's side of matching: asking for a match, declining one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import MatchRequest


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=MatchRequest.MESSAGE_MAX,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].help_text = _(
            "Optional, up to %(limit)d characters. Say what you hope to work on together: "
            "only this person and the program's coordinators read it."
        ) % {"limit": MatchRequest.MESSAGE_MAX}


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not? (optional)"),
        max_length=MatchRequest.REASON_MAX,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The other person reads it. A kind word helps."),
    )
