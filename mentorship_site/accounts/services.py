"""Changes of state for people's accounts."""

from django.conf import settings
from django.db import transaction

from mentorship_site.accounts.models import User


@transaction.atomic
def update_account(
    user: User, *, display_name: str, time_zone: str, preferred_language: str, by: User
) -> User:
    """Record a person's name, time zone and language, as set by `by` (themselves or an admin)."""
    user.display_name = display_name.strip()
    user.time_zone = time_zone
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "time_zone", "preferred_language"])
    return user


def set_preferred_language(user: User, language: str, *, by: User) -> bool:
    """Remember the language a person picked in the switcher; ignore one the site lacks."""
    if language not in dict(settings.LANGUAGES):
        return False
    User.objects.filter(pk=user.pk).update(preferred_language=language)
    user.preferred_language = language
    return True
