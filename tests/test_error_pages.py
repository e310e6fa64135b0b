"""The 404 page explains itself, so a forwarded link tells a stranger it is not theirs."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_a_signed_in_stranger_following_someone_elses_link_reads_that_it_is_not_theirs(
    client, stranger, world
):
    from tests.matching.builders import matching_world

    request = matching_world(world).request
    client.force_login(stranger)
    response = client.get(reverse("matching:request", kwargs={"code": request.code}))
    assert response.status_code == 404
    html = response.content.decode()
    assert "not yours to see" in html
    assert "forwarded you a link" in html
    assert html.count("<h1") == 1


def test_an_unknown_address_shows_the_page_with_a_sign_in_link_to_visitors(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "?next=/no-such-page/" in html
