"""The navigation tells coordinators how many journal entries wait for their review."""

import pytest
from django.urls import reverse

from journals.services import journal
from tests.journals.builders import active_match

pytestmark = pytest.mark.django_db


def test_a_coordinator_sees_the_entries_waiting_for_review_in_the_navigation(
    client, coordinator, other_coordinator
):
    match = active_match(coordinator)
    client.force_login(coordinator)
    assert "Reviews (" not in client.get(reverse("home")).content.decode()
    journal.save_entry(
        match,
        by=match.mentee.user,
        entry_date=match.started_on,
        discussed="Goals for the ten weeks.",
        next_topics="",
        minutes=45,
        observations="",
        submit=True,
    )
    html = client.get(reverse("home")).content.decode()
    assert "Reviews (1)" in html
    assert reverse("journals:review_queue") in html
    client.force_login(other_coordinator)
    assert "Reviews (" not in client.get(reverse("home")).content.decode()
