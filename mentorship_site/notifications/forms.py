from django import forms
from django.db import transaction
from django.utils.translation import gettext as _

from mentorship_site.notifications import services
from mentorship_site.notifications.kinds import DIGEST_CHOICES, Category, Delivery


class PreferencesForm(forms.Form):
    """One choice per category of email: straight away, in the weekly digest, or off."""

    # Bare category names would shadow the form element's own properties in the browser
    # (an input named "matches" hides form.matches()).
    prefix = "choice"

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.current = services.preferences_of(user)
        super().__init__(*args, **kwargs)
        coordinates = user.is_superuser or user.coordinated_programs.exists()
        for category in Category:
            if category == Category.COORDINATION and not coordinates:
                continue  # alerts only coordinators get
            choices = DIGEST_CHOICES if category == Category.DIGEST else Delivery.choices
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=choices,
                initial=self.current[category.value],
                widget=forms.RadioSelect,
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(Category.DIGEST) == Delivery.OFF:
            kept = [
                str(Category(category).label)
                for category, delivery in cleaned.items()
                if delivery == Delivery.DIGEST
            ]
            if kept:
                self.add_error(
                    Category.DIGEST.value,
                    _(
                        "With the weekly digest off, nothing would reach you about: "
                        "%(categories)s. Keep the digest, or choose straight away or off "
                        "for them."
                    )
                    % {"categories": "; ".join(kept)},
                )
        return cleaned

    def save(self) -> None:
        """Record the categories whose choice changed."""
        with transaction.atomic():
            for category, delivery in self.cleaned_data.items():
                if delivery != self.current[category]:
                    services.set_preference(self.user, category, delivery)
