"""The programs back office: superusers look things up and assign coordinators only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from programs.models import Program


def admin_url(model, action="changelist", *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)


PROGRAM_MODELS = [model for model in admin.site._registry if model._meta.app_label == "programs"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", PROGRAM_MODELS, ids=lambda model: model.__name__)
def test_every_programs_model_has_a_searchable_list(client, world, model):
    client.force_login(world.users["superuser"])
    response = client.get(admin_url(model), {"q": "a"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_admin_registers_every_programs_model():
    from django.apps import apps

    assert set(apps.get_app_config("programs").get_models()) == set(PROGRAM_MODELS)


@pytest.mark.django_db
def test_a_superuser_assigns_coordinators_but_changes_nothing_else(client, world):
    client.force_login(world.users["superuser"])
    program = world.program
    url = admin_url(Program, "change", program.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "coordinators": [world.users["coordinator"].pk, world.users["other_coordinator"].pk],
            "name": "Renamed in the back office",
            **{
                f"{prefix}-{key}": "0"
                for prefix in ("cycles", "topics")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.name == "Leaders of tomorrow"
    assert program.coordinators.count() == 2
    assert client.get(admin_url(Program, "add")).status_code == 403
