"""Pages run a fixed number of SQL queries, whatever the amount of data."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import UserFactory

# Session, user, the navigation (may this person see the programs dashboard?), then the page.
SIGNED_IN_PAGES = {
    # + the person's programs with their checklist counts, + requests awaiting them,
    # + surveys awaiting them
    "home": 6,
    "accounts:settings": 4,  # + a fresh copy of the user for the form
    "account_email": 7,  # allauth: the address list, the primary address and the change form
    "account_change_password": 3,
}


def grow(participant, size):
    """Add `size` other people, and `size` extra (unverified) addresses of the participant's own."""
    UserFactory.create_batch(size)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=participant, email=f"pat.alias{n}@example.org") for n in range(size)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
@pytest.mark.parametrize("size", [1, 40])
def test_signed_in_pages_query_a_fixed_number_of_times(
    client, participant, django_assert_max_num_queries, name, size
):
    grow(participant, size)
    client.force_login(participant)
    with django_assert_max_num_queries(SIGNED_IN_PAGES[name]):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 40])
def test_public_pages_query_nothing(client, participant, django_assert_max_num_queries, size):
    grow(participant, size)
    for name in ["home", "account_login", "account_signup"]:
        with django_assert_max_num_queries(0):
            assert client.get(reverse(name)).status_code == 200
