"""The notifications back office: the logs are read-only, preferences can be changed."""

import pytest
from django.urls import reverse

from mentorship_site.notifications.models import EmailPreference, JobRun, Notification

pytestmark = pytest.mark.django_db


def admin_url(model, action="changelist", *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", [Notification, JobRun], ids=lambda model: model.__name__)
def test_the_logs_list_loads_and_offer_no_addition(client, superuser, participant, model):
    Notification.objects.create(
        kind="match_started",
        category="matches",
        recipient=participant,
        about_type="accounts.user",
        about_id=participant.pk,
        delivery="email",
        summary="Your match started",
    )
    run = JobRun.objects.create(job="matching.tasks.remind_requests", handled=4)
    client.force_login(superuser)
    assert client.get(admin_url(model)).status_code == 200
    assert client.get(admin_url(model, "add")).status_code == 403
    row = Notification.objects.get() if model is Notification else run
    response = client.post(admin_url(model, "delete", row.pk), {"post": "yes"})
    assert response.status_code == 403


def test_the_notification_list_filters_by_kind_category_and_delivery(
    client, superuser, participant
):
    Notification.objects.create(
        kind="match_started",
        category="matches",
        recipient=participant,
        about_type="accounts.user",
        about_id=participant.pk,
        delivery="email",
        summary="Your match started",
    )
    client.force_login(superuser)
    page = client.get(admin_url(Notification)).content.decode()
    for parameter in ("kind", "category__exact", "delivery__exact"):
        assert f"?{parameter}=" in page


def test_preferences_list_loads(client, superuser, participant):
    EmailPreference.objects.create(user=participant, category="meetings", delivery="off")
    client.force_login(superuser)
    assert client.get(admin_url(EmailPreference)).status_code == 200
