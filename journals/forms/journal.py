"""Forms of the learning journal: an entry with its sharing switches, and the reviews."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from journals.models import JournalEntry, Meeting, Review

SHARE_LABEL = _("Shared with your partner (off: for the coordinator only)")
FEEDBACK_MAX = Review._meta.get_field("feedback").max_length


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        starts = formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
        return _("%(when)s (%(minutes)d minutes)") % {
            "when": starts,
            "minutes": meeting.held_minutes,
        }


def open_meetings(match, author, entry: JournalEntry | None = None):
    """Return the held meetings of `match` that `author` has not written about yet
    (the one `entry` is about stays on the list)."""
    written = JournalEntry.objects.filter(author=author, meeting=OuterRef("pk"))
    if entry is not None and entry.pk:
        written = written.exclude(pk=entry.pk)
    return (
        Meeting.objects.held().filter(match=match).exclude(Exists(written)).order_by("-starts_at")
    )


class EntryForm(forms.Form):
    """What the author types; the service decides what a draft or a submission needs."""

    meeting = MeetingChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Not about one meeting"),
        help_text=_(
            "Link the entry to a held meeting: your minutes then replace the meeting's time "
            "in your hours."
        ),
    )
    entry_date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    minutes = forms.IntegerField(
        label=_("Time spent, in minutes"),
        required=False,
        help_text=_("Between %(low)d and %(high)d minutes.")
        % {"low": JournalEntry.MINUTES_MIN, "high": JournalEntry.MINUTES_MAX},
    )
    discussed = forms.CharField(
        label=_("What you discussed"),
        required=False,
        max_length=JournalEntry.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    share_discussed = forms.BooleanField(label=SHARE_LABEL, required=False)
    next_topics = forms.CharField(
        label=_("Topics for next time"),
        required=False,
        max_length=JournalEntry.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    share_next_topics = forms.BooleanField(label=SHARE_LABEL, required=False)
    observations = forms.CharField(
        label=_("Observations"),
        required=False,
        max_length=JournalEntry.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    share_observations = forms.BooleanField(label=SHARE_LABEL, required=False)

    # Each text field and the switch that goes next to it.
    PAIRS = (
        ("discussed", "share_discussed"),
        ("next_topics", "share_next_topics"),
        ("observations", "share_observations"),
    )

    def __init__(self, *args, match, author, entry: JournalEntry | None = None, **kwargs):
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {
                    "meeting": entry.meeting_id,
                    "entry_date": entry.entry_date,
                    "minutes": entry.minutes,
                    "discussed": entry.discussed,
                    "next_topics": entry.next_topics,
                    "observations": entry.observations,
                    "share_discussed": entry.share_discussed,
                    "share_next_topics": entry.share_next_topics,
                    "share_observations": entry.share_observations,
                },
            )
        else:
            defaults = JournalEntry()
            kwargs.setdefault(
                "initial",
                {
                    "entry_date": timezone.localdate(),
                    "share_discussed": defaults.share_discussed,
                    "share_next_topics": defaults.share_next_topics,
                    "share_observations": defaults.share_observations,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = open_meetings(match, author, entry)

    def pairs(self):
        """Return (text field, its sharing switch) for the template."""
        return [(self[text], self[share]) for text, share in self.PAIRS]

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class ReviewForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback for the author"),
        max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The author reads it; their partner does not."),
    )


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("What should the author change?"),
        max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The entry goes back to its author, who can edit and submit it again."),
    )


class QueueFilterForm(forms.Form):
    """The review queue's filters, kept in the query string; codes, never primary keys."""

    program = forms.ChoiceField(label=_("Program"), required=False)
    cycle = forms.ChoiceField(label=_("Cycle"), required=False)
    pair = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, programs, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", _("All"))] + [
            (str(program.code), program.name) for program in programs
        ]
        self.fields["cycle"].choices = [("", _("Any"))] + [
            (str(cycle.code), f"{cycle.program.name} · {cycle.name}") for cycle in cycles
        ]

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
