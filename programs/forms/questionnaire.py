"""The questionnaire form, built from a program's questions, one field per question type."""

import re
import zoneinfo
from datetime import datetime, time, timedelta

from django import forms
from django.conf.locale import LANG_INFO
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from programs.models import Question

Kind = Question.Kind

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
SCALE = range(1, 6)
# The week grid offers hour slots starting 06:00 to 21:00, so it covers 06:00 to 22:00.
FIRST_HOUR, LAST_HOUR = 6, 21
HOURS = range(FIRST_HOUR, LAST_HOUR + 1)
SLOT = re.compile(r"^([0-6])-(\d{1,2})$")

# Languages people are most likely to mentor in; a program's own languages are added.
COMMON_LANGUAGES = [
    "ar", "bn", "de", "el", "en", "es", "fa", "fr", "he", "hi", "id", "it", "ja", "ko", "ms",
    "nl", "pl", "pt", "ro", "ru", "sv", "sw", "th", "tr", "uk", "ur", "vi", "zh-hans",
]  # fmt: skip


def language_choices(program_languages=()) -> list[tuple[str, str]]:
    """Return (code, "Name (own name)") for the common languages and the program's, by name."""
    choices = []
    for code in dict.fromkeys([*program_languages, *COMMON_LANGUAGES]):
        if code in LANG_INFO:
            info = get_language_info(code)
            name, local = str(info["name_translated"]), info["name_local"]
            label = name if name.casefold() == local.casefold() else f"{name} ({local})"
        else:
            label = code
        choices.append((code, label))
    return sorted(choices, key=lambda choice: choice[1].casefold())


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def convert_slots(slots, from_zone: str, to_zone: str) -> list[str]:
    """Return weekly "<weekday>-<hour>" slots moved from one time zone to another.

    Offsets are taken in the current week, so a slot lands where it falls now
    (daylight saving time included).
    """
    source, target = _zone(from_zone), _zone(to_zone)
    if source is None or target is None or source == target:
        return list(slots)
    today = timezone.now().date()
    monday = today - timedelta(days=today.weekday())
    moved = []
    for slot in slots:
        match = SLOT.match(str(slot))
        if not match:
            continue
        day, hour = int(match[1]), int(match[2])
        start = datetime.combine(monday + timedelta(days=day), time(hour % 24), tzinfo=source)
        local = start.astimezone(target)
        moved.append(f"{local.weekday()}-{local.hour}")
    return moved


class AvailabilityWidget(forms.Widget):
    """A week grid of hour checkboxes: one row per hour, one column per day."""

    use_fieldset = True

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # no ticked box means "no free hour", not "left out"

    def id_for_label(self, id_):
        return ""  # the grid is a group: its legend names it, each box has its own label

    def format_value(self, value):
        if isinstance(value, dict):
            value = value.get("slots") or []
        if not isinstance(value, list | tuple):
            return set()
        return {str(slot) for slot in value}

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        ticked = self.format_value(value)
        base_id = attrs.get("id") or f"id_{name}"
        days = [(day, WEEKDAYS[day]) for day in range(7)]
        rows = []
        for hour in HOURS:
            period = f"{hour:02d}:00–{hour + 1:02d}:00"
            rows.append(
                {
                    "period": period,
                    "cells": [
                        {
                            "id": f"{base_id}_{day}_{hour}",
                            "value": f"{day}-{hour}",
                            "checked": f"{day}-{hour}" in ticked,
                            "label": format_html("{}, {}", day_name, period),
                        }
                        for day, day_name in days
                    ],
                }
            )
        return render_to_string(
            "programs/participant/_availability_widget.html",
            {
                "name": name,
                "days": days,
                "rows": rows,
                "invalid": "is-invalid" in attrs.get("class", ""),
                "described_by": attrs.get("aria-describedby", ""),
            },
        )


class AvailabilityField(forms.Field):
    """Hours a person is free each week, in their own time zone."""

    widget = AvailabilityWidget
    default_error_messages = {"invalid": _("Choose hours from the grid.")}

    def __init__(self, *, time_zone: str, **kwargs):
        self.time_zone = time_zone
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return convert_slots(value.get("slots") or [], value.get("time_zone"), self.time_zone)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        slots = set()
        for slot in value:
            match = SLOT.match(str(slot))
            if not match or int(match[2]) not in HOURS:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            slots.add((int(match[1]), int(match[2])))
        return [f"{day}-{hour}" for day, hour in sorted(slots)]

    def clean(self, value):
        return {"time_zone": self.time_zone, "slots": super().clean(value)}


def field_name(question: Question) -> str:
    return f"question_{question.pk}"


def _help_text(question: Question, time_zone: str):
    notes = []
    if question.kind == Kind.AVAILABILITY:
        notes.append(_("Hours are in your time zone, %(zone)s.") % {"zone": time_zone})
    if question.sensitive:
        notes.append(_("Only coordinators see this answer."))
    # crispy-forms prints help text as HTML: escape what the coordinator wrote.
    return format_html_join(
        " ",
        "{}",
        [(question.help_text,)] * bool(question.help_text)
        + [(format_html("<strong>{}</strong>", note),) for note in notes],
    )


def build_field(question: Question, *, topics, languages, time_zone) -> forms.Field:
    """Return the form field asking `question`."""
    common = {
        "label": question.label,
        "help_text": _help_text(question, time_zone),
        "required": question.required,
    }
    kind = question.kind
    if kind == Kind.SHORT_TEXT:
        return forms.CharField(max_length=SHORT_TEXT_MAX, **common)
    if kind == Kind.LONG_TEXT:
        return forms.CharField(
            max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}), **common
        )
    if kind == Kind.SINGLE_CHOICE:
        choices = [(str(choice), str(choice)) for choice in question.choices]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == Kind.MULTIPLE_CHOICE:
        choices = [(str(choice), str(choice)) for choice in question.choices]
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == Kind.SCALE:
        return forms.TypedChoiceField(
            choices=[(step, str(step)) for step in SCALE],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if kind == Kind.TOPICS:
        return forms.MultipleChoiceField(
            choices=[(topic, topic) for topic in topics],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == Kind.LANGUAGES:
        return forms.MultipleChoiceField(
            choices=language_choices(languages), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == Kind.AVAILABILITY:
        return AvailabilityField(time_zone=time_zone, **common)
    raise ValueError(f"unknown question type: {kind}")


class QuestionnaireForm(forms.Form):
    """Every shown question of a participant's questionnaire.

    A draft is checked for well-formed answers only; a submission also requires
    the required questions.
    """

    use_required_attribute = False  # "Save draft" must work with required questions empty

    def __init__(
        self, data=None, *, questions, answers, topics, languages, time_zone, submitting=False
    ):
        initial = {}
        for question in questions:
            answer = answers.get(question.pk)
            if answer is not None:
                value = answer.next_value if answer.next_value is not None else answer.value
                if value is not None:
                    initial[field_name(question)] = value
        super().__init__(data, initial=initial)
        self.questions = list(questions)
        self.submitting = submitting
        for question in self.questions:
            self.fields[field_name(question)] = build_field(
                question, topics=topics, languages=languages, time_zone=time_zone
            )

    def full_clean(self):
        if self.submitting:
            return super().full_clean()
        required = {name: field.required for name, field in self.fields.items()}
        for field in self.fields.values():
            field.required = False
        try:
            super().full_clean()
        finally:
            # Keep the required marks on the page shown again.
            for name, field in self.fields.items():
                field.required = required[name]

    def answers(self) -> dict[int, object]:
        """Return {question id: value} for the service."""
        return {question.pk: self.cleaned_data[field_name(question)] for question in self.questions}

    def add_missing(self, question_ids) -> None:
        names = {question.pk: field_name(question) for question in self.questions}
        for question_id in question_ids:
            if question_id in names and names[question_id] not in self.errors:
                self.add_error(names[question_id], _("Answer this question before you submit."))
