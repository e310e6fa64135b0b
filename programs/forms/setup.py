"""Forms of the coordinator's program set-up."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from programs.models import Cycle, Program, Question, QuestionPair, Resource, TrainingModule
from programs.models.program import Role
from programs.models.training import RESOURCE_EXTENSIONS, RESOURCE_MAX_BYTES
from programs.services.builder import MAX_CHOICES, check_upload, clean_lines
from programs.services.errors import ProgramError
from programs.services.programs import PROGRAM_SETTINGS

# Languages a program can offer; a program's other codes (set elsewhere) are kept as choices.
LANGUAGE_CODES = [
    "ar", "de", "en", "es", "fr", "hi", "it", "ja", "ko", "nl", "pl", "pt", "ru", "sv", "tr",
    "uk", "zh-hans",
]  # fmt: skip


def language_choices(extra=()) -> list[tuple[str, str]]:
    codes = sorted(set(LANGUAGE_CODES) | set(extra))
    choices = []
    for code in codes:
        try:
            name = get_language_info(code)["name_translated"]
        except KeyError:
            name = code
        choices.append((code, name))
    return sorted(choices, key=lambda choice: str(choice[1]).casefold())


def add_program_error(form: forms.BaseForm, error: ProgramError | ValidationError) -> None:
    """Show a refused change next to its field, or above the form."""
    if isinstance(error, ProgramError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
    elif hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class ReadOnlyMixin:
    """A form a staff viewer can read but not send."""

    def make_read_only(self) -> None:
        for field in self.fields.values():
            field.disabled = True


class LinesField(forms.CharField):
    """A text box holding one item per line, cleaned to a list."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, max_items=MAX_CHOICES, max_item_length=200, **kwargs):
        self.max_items, self.max_item_length = max_items, max_item_length
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def clean(self, value):
        lines = clean_lines(super().clean(value) or "")
        if len(lines) > self.max_items:
            raise forms.ValidationError(
                _("List at most %(count)d items, one per line."), params={"count": self.max_items}
            )
        if any(len(line) > self.max_item_length for line in lines):
            raise forms.ValidationError(
                _("Keep each line under %(length)d characters."),
                params={"length": self.max_item_length},
            )
        return lines


class ProgramForm(ReadOnlyMixin, forms.ModelForm):
    topics = LinesField(
        label=_("Topics"),
        max_item_length=80,
        max_items=100,
        help_text=_("The skills or themes mentors offer and mentees seek, one per line."),
    )
    coordinator_emails = LinesField(
        label=_("Other coordinators"),
        max_item_length=254,
        max_items=20,
        help_text=_(
            "Email addresses of people with an account who run this program with you, "
            "one per line. They see and manage everything in it."
        ),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages mentoring can take place in."),
    )

    SECTIONS = [
        (
            _("About the program"),
            ["name", "description", "objectives", "topics", "coordinator_emails"],
        ),
        (
            _("Cycle and rules"),
            [
                "cycle_weeks",
                "hours_target",
                "minimum_age",
                "enrolment_mode",
                "request_initiator",
                "max_open_requests",
                "reply_window_days",
                "default_mentor_capacity",
                "max_mentor_capacity",
                "allow_dual_role",
                "avoid_same_team",
                "journal_writers",
                "agenda_required_hours",
                "max_extension_weeks",
                "languages",
            ],
        ),
        (
            _("Reminders and alerts"),
            ["journal_nudge_days", "review_reminder_days", "quiet_days"],
        ),
        (
            _("Targets"),
            [
                "target_mentors",
                "target_mentees",
                "target_match_rate",
                "target_average_hours",
                "target_satisfaction",
            ],
        ),
        (_("Status"), ["status"]),
    ]
    # The clock's settings: each a number of days, 0 to turn it off.
    CLOCK_SETTINGS = ("journal_nudge_days", "review_reminder_days", "quiet_days")

    class Meta:
        model = Program
        fields = PROGRAM_SETTINGS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, topics=(), coordinator_emails=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices(self.instance.languages or [])
        if not self.is_bound:
            self.initial.setdefault("topics", list(topics))
            self.initial.setdefault("coordinator_emails", list(coordinator_emails))
            if not self.instance.pk:
                self.initial.setdefault("languages", ["en", "fr"])
        self.fields["objectives"].help_text = _(
            "The goals your organization sets for the program, one per line."
        )
        for name in self.CLOCK_SETTINGS:
            # Left empty, the setting keeps its value (the default for a new program).
            self.fields[name].required = False
            self.fields[name].widget.attrs.setdefault("min", 0)

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean(self):
        cleaned = super().clean()
        for name in self.CLOCK_SETTINGS:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        weeks = cleaned.get("cycle_weeks")
        if weeks:
            days = weeks * 7
            messages = {
                "journal_nudge_days": _(
                    "A match lasts %(days)d days: remind writers sooner, or enter 0 for no "
                    "reminders."
                ),
                "quiet_days": _(
                    "A match lasts %(days)d days: flag quiet pairs sooner, or enter 0 to never "
                    "flag them."
                ),
            }
            for name, message in messages.items():
                if (cleaned.get(name) or 0) >= days and name not in self.errors:
                    self.add_error(name, forms.ValidationError(message, params={"days": days}))
        return cleaned

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the program a name."))
        return name

    def program_settings(self) -> dict:
        """Return the cleaned values the program services take."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DuplicateProgramForm(forms.Form):
    name = forms.CharField(label=_("Name of the new program"), max_length=120)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the new program a name."))
        return name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CycleForm(ReadOnlyMixin, forms.ModelForm):
    class Meta:
        model = Cycle
        fields = [
            "name",
            "enrolment_opens_on",
            "enrolment_closes_on",
            "matching_opens_on",
            "matching_closes_on",
            "starts_on",
        ]
        widgets = {field: DateInput() for field in fields[1:]}
        help_texts = {
            "enrolment_closes_on": _("Enrolment stays open until this day has ended everywhere."),
            "matching_closes_on": _("Matching stays open until this day has ended everywhere."),
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the cycle a name, such as “Spring 2026”."))
        clash = self.program.cycles.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This program already has a cycle of that name."))
        return name

    def clean(self):
        cleaned = super().clean()
        enrolment_opens = cleaned.get("enrolment_opens_on")
        matching_opens = cleaned.get("matching_opens_on")
        starts = cleaned.get("starts_on")
        if enrolment_opens and matching_opens and matching_opens < enrolment_opens:
            self.add_error("matching_opens_on", _("Matching cannot open before enrolment opens."))
        if matching_opens and starts and starts < matching_opens:
            self.add_error("starts_on", _("Mentoring cannot start before matching opens."))
        return cleaned


class QuestionForm(ReadOnlyMixin, forms.ModelForm):
    choices = LinesField(
        label=_("Choices"),
        help_text=_("One per line. Required for the types with a list of choices."),
    )

    class Meta:
        model = Question
        fields = ["label", "help_text", "kind", "choices", "required", "sensitive", "hidden"]
        help_texts = {
            "hidden": _("Hidden questions are no longer asked; their answers are kept."),
        }

    def __init__(self, *args, answered: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.answered = answered
        if answered:
            self.fields["kind"].help_text = _(
                "People have answered this question: its type cannot change."
            )

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if self.answered and kind != self.instance.kind:
            raise forms.ValidationError(
                _(
                    "People have already answered this question, so its type cannot change. "
                    "Hide it and add a new question instead."
                )
            )
        return kind

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in Question.CHOICE_KINDS and len(cleaned.get("choices") or []) < 2:
            self.add_error(
                "choices",
                _("List at least two choices, one per line, for this type of question."),
            )
        return cleaned

    def question_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class QuestionPairForm(forms.Form):
    """Pair a mentor question with a mentee question; the service refuses duplicates."""

    mentor_question = forms.ModelChoiceField(label=_("Mentor question"), queryset=None)
    mentee_question = forms.ModelChoiceField(label=_("Mentee question"), queryset=None)
    rule = forms.ChoiceField(
        label=_("Rule"), choices=QuestionPair.Rule.choices, initial=QuestionPair.Rule.PREFER
    )
    weight = forms.TypedChoiceField(
        label=_("Weight"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        initial=3,
        help_text=_("From 1 (counts little) to 5 (counts most)."),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        questions = program.questions.order_by("position", "pk")
        self.fields["mentor_question"].queryset = questions.filter(role=Role.MENTOR)
        self.fields["mentee_question"].queryset = questions.filter(role=Role.MENTEE)

    def pair_fields(self) -> dict:
        return dict(self.cleaned_data)


class TrainingModuleForm(ReadOnlyMixin, forms.ModelForm):
    check_choices = LinesField(
        label=_("Quiz choices"),
        help_text=_("One per line. Leave empty for a simple acknowledgement."),
    )

    class Meta:
        model = TrainingModule
        fields = [
            "title",
            "audience",
            "content",
            "estimated_minutes",
            "check_question",
            "check_choices",
            "check_answer",
            "required",
        ]
        widgets = {"content": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "content": _("Markdown: **bold**, *italic*, lists, links and ## headings."),
            "check_answer": _("Counting from 1, among the quiz choices."),
        }

    def clean(self):
        cleaned = super().clean()
        choices, answer = cleaned.get("check_choices") or [], cleaned.get("check_answer")
        if "check_choices" not in cleaned or "check_answer" in self.errors:
            return cleaned
        if choices and len(choices) < 2:
            self.add_error("check_choices", _("A quiz needs at least two choices, one per line."))
        elif choices and answer is None:
            self.add_error("check_answer", _("Give the number of the right choice."))
        elif choices and not 1 <= answer <= len(choices):
            self.add_error(
                "check_answer",
                _("Choose a number from 1 to %(count)d: there are %(count)d choices.")
                % {"count": len(choices)},
            )
        elif not choices and answer is not None:
            self.add_error(
                "check_answer", _("Leave this empty, or list the quiz choices it counts in.")
            )
        return cleaned

    def module_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ResourceForm(ReadOnlyMixin, forms.ModelForm):
    url = forms.URLField(
        label=_("Address"),
        required=False,
        assume_scheme="https",
        help_text=_("Required for links, starting with https://."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(f".{e}" for e in RESOURCE_EXTENSIONS)}),
    )

    class Meta:
        model = Resource
        fields = ["kind", "title", "audience", "body", "url", "file"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "body": _("Required for handbook pages and guides. Markdown is allowed."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Required for files. Up to %(limit)s; allowed: %(extensions)s."
        ) % {
            "limit": filesizeformat(RESOURCE_MAX_BYTES),
            "extensions": ", ".join(RESOURCE_EXTENSIONS),
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                check_upload(upload)
            except ProgramError as error:
                raise forms.ValidationError(error.message) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if (
            kind in (Resource.Kind.HANDBOOK, Resource.Kind.GUIDE)
            and not cleaned.get("body", "").strip()
        ):
            self.add_error("body", _("Write the text of this page."))
        elif kind == Resource.Kind.LINK and not cleaned.get("url") and "url" not in self.errors:
            self.add_error("url", _("Give the address the link opens."))
        elif (
            kind == Resource.Kind.FILE
            and not cleaned.get("file")
            and not self.instance.file
            and "file" not in self.errors
        ):
            self.add_error("file", _("Choose the file to share."))
        return cleaned

    def resource_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class WeeklyPromptForm(ReadOnlyMixin, forms.Form):
    title = forms.CharField(label=_("Theme"), max_length=200, required=False)
    prompts = forms.CharField(
        label=_("Discussion prompts"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    activity = forms.CharField(
        label=_("Suggested activity"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: something the pair can do together this week."),
    )

    def clean(self):
        cleaned = super().clean()
        title, prompts = cleaned.get("title", "").strip(), cleaned.get("prompts", "").strip()
        if self.errors:
            return cleaned
        if cleaned.get("activity", "").strip() and not title and not prompts:
            self.add_error("title", _("Give this week a theme and prompts, or clear its activity."))
        elif title and not prompts:
            self.add_error("prompts", _("Write the prompts of this week, or clear its theme."))
        elif prompts and not title:
            self.add_error("title", _("Give this week a theme, or clear its prompts."))
        elif not title and not prompts and self.initial.get("title"):
            self.add_error("title", _("A week of the guide cannot be left empty."))
        return cleaned


class BaseWeeklyPromptFormSet(forms.BaseFormSet):
    def make_read_only(self) -> None:
        for form in self.forms:
            form.make_read_only()


WeeklyPromptFormSet = forms.formset_factory(
    WeeklyPromptForm,
    formset=BaseWeeklyPromptFormSet,
    extra=0,
    max_num=52,
    validate_max=True,
    absolute_max=52,
)
