"""Forms of meetings: proposing one, answering it, moving it, and saying how it went.

Forms check what a form can (types, ranges, the scheme of a link); the services check
the rest (a time that exists, in the future, an agenda in time) and their messages are
shown next to the field they name.
"""

from datetime import datetime

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from journals.models import Meeting
from journals.services.meetings import HELD_MINUTES_MAX, HELD_MINUTES_MIN, REASON_MAX
from mentorship_site.accounts.models import time_zone_choices


class _TimeFields(forms.Form):
    """A wall-clock date and time in a chosen time zone, and how long."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of this date and time"),
        help_text=_("Your own zone is chosen; your partner sees the time in theirs."),
    )
    duration = forms.IntegerField(
        label=_("Duration in minutes"),
        min_value=Meeting.DURATION_MIN,
        max_value=Meeting.DURATION_MAX,
        initial=60,
        widget=forms.NumberInput(attrs={"step": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()

    @property
    def starts_at_local(self) -> datetime:
        return datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])


class MeetingForm(_TimeFields):
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=Meeting.AGENDA_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you want to talk about. Both of you can change it until the meeting."),
    )
    video_url = forms.URLField(
        label=_("Video link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A link starting with https://, for example to a video call room."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Where you meet in person. Give a video link, a place, or both."),
    )


class RescheduleForm(_TimeFields):
    pass


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not? (optional)"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Your partner reads it. Proposing another time is often kinder."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you cancel?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Your partner reads it."),
    )


class AgendaForm(forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=Meeting.AGENDA_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MarkForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Did the meeting take place?"),
        choices=[("held", _("Yes, we met")), ("missed", _("No, it was missed"))],
        widget=forms.RadioSelect,
    )
    minutes = forms.IntegerField(
        label=_("How long did you meet, in minutes?"),
        min_value=HELD_MINUTES_MIN,
        max_value=HELD_MINUTES_MAX,
        required=False,
        help_text=_("Leave empty if it lasted as planned."),
    )
