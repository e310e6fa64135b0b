"""The matching and workspace back office: lists that load, and nothing to add or change."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.matching.builders import matching_world

MODELS = [
    model for model in admin.site._registry if model._meta.app_label in ("matching", "journals")
]


def admin_url(model, action="changelist", *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_list_loads_for_a_superuser_and_offers_no_addition(client, world, model):
    matching_world(world)
    client.force_login(world.users["superuser"])
    response = client.get(admin_url(model))
    assert response.status_code == 200
    assert client.get(admin_url(model, "add")).status_code == 403


@pytest.mark.django_db
def test_the_admin_never_shows_a_message_body(client, world):
    from journals.models import Message

    match = matching_world(world).match
    message = Message.objects.create(match=match, author=match.mentee.user, body="Private words")
    client.force_login(world.users["superuser"])
    html = client.get(admin_url(Message, "change", message.pk)).content.decode()
    assert "Private words" not in html
