"""Forms of the coordinator's side of matching: filters, closing, proposing, auto-match."""

from functools import reduce
from operator import or_

from django import forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from matching import pool
from matching.models import MatchRequest, Source
from programs.models import Cycle, Participant, Program


def _cycles(program: Program):
    return Cycle.objects.filter(program=program).order_by("-matching_opens_on", "-pk")


class RequestFilterForm(forms.Form):
    """The filters of the coordinator's request list, all kept in the query string."""

    search = forms.CharField(label=_("Name or email"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    source = forms.ChoiceField(label=_("Asked by"), required=False)
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), *MatchRequest.Status.choices]
        self.fields["source"].choices = [("", _("Anyone")), *Source.choices]
        self.fields["cycle"].queryset = _cycles(program)

    def filters(self) -> dict:
        """Return the valid filters, ignoring any that do not validate (a stale link, say)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in self.errors
        }


def filter_requests(requests, *, search="", source="", cycle=None, status=""):
    """Apply the list's filters to a MatchRequest queryset."""
    if search:
        requests = requests.filter(
            Q(mentor__user__display_name__icontains=search)
            | Q(mentee__user__display_name__icontains=search)
            | Q(mentor__user__email__icontains=search)
            | Q(mentee__user__email__icontains=search)
        )
    if source:
        requests = requests.filter(source=source)
    if cycle is not None:
        requests = requests.filter(cycle=cycle)
    if status:
        requests = requests.filter(status=status)
    return requests


class CloseRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why close it (both people read this)"),
        max_length=MatchRequest.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason: both people will read it.")},
    )


def _in_pool(make_queryset, program: Program):
    """Return everyone `make_queryset` puts in the pool, over every cycle of `program`."""
    cycle_ids = [None, *Cycle.objects.filter(program=program).values_list("pk", flat=True)]
    querysets = [make_queryset(program.pk, cycle_id) for cycle_id in cycle_ids]
    return (
        reduce(or_, querysets)
        .select_related("user", "cycle")
        .order_by(Lower("user__display_name"), "pk")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Participant) -> str:
        cycle = person.cycle.name if person.cycle else _("no cycle")
        if person.is_mentor:
            return _("%(name)s (%(cycle)s, %(free)d of %(places)d places free)") % {
                "name": person.user.display_name,
                "cycle": cycle,
                "free": person.free_places,
                "places": person.places,
            }
        return _("%(name)s (%(cycle)s)") % {"name": person.user.display_name, "cycle": cycle}


class ProposeForm(forms.Form):
    """Choose a waiting mentee and a mentor with a free place; both will be asked."""

    mentee = PersonChoiceField(
        label=_("Mentee"),
        queryset=Participant.objects.none(),
        help_text=_("Only mentees ready and waiting for a match are listed."),
        error_messages={
            "invalid_choice": _("Choose a mentee of this program who is waiting for a match.")
        },
    )
    mentor = PersonChoiceField(
        label=_("Mentor"),
        queryset=Participant.objects.none(),
        help_text=_("Only mentors ready and with a free place are listed."),
        error_messages={
            "invalid_choice": _("Choose a mentor of this program who has a free place.")
        },
    )
    message = forms.CharField(
        label=_("Message to both of them (optional)"),
        max_length=MatchRequest.MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = _in_pool(pool.mentees_in_pool, program)
        self.fields["mentor"].queryset = _in_pool(pool.mentors_in_pool, program)

    def clean(self):
        cleaned = super().clean()
        mentee, mentor = cleaned.get("mentee"), cleaned.get("mentor")
        if mentee and mentor:
            if mentee.user_id == mentor.user_id:
                raise forms.ValidationError(_("A person cannot be their own mentor."))
            if mentee.cycle_id != mentor.cycle_id:
                raise forms.ValidationError(_("Choose a mentee and a mentor of the same cycle."))
        return cleaned


class StartAutoMatchForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.none())

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["cycle"]
        field.queryset = _cycles(program)
        if not field.queryset.exists():
            field.required = False
            field.empty_label = _("People who are in no cycle")
        else:
            open_now = next((c for c in field.queryset if c.matching_is_open()), None)
            field.initial = (open_now or field.queryset.first()).pk


class SwapForm(forms.Form):
    """Exchange the mentors of two pairs of a run; the service checks both are in the run."""

    first = forms.IntegerField(label=_("Pair of"))
    second = forms.IntegerField(label=_("Exchange mentors with"))


class DropForm(forms.Form):
    mentee = forms.IntegerField(widget=forms.HiddenInput)
