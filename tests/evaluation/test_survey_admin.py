"""The surveys in the back office: lists that load, answers nobody can add or change."""

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import SurveyAnswer, SurveyInvitation, SurveyQuestion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [SurveyQuestion, SurveyInvitation, SurveyAnswer])
def test_every_list_loads_and_offers_no_addition(client, superuser, match, model):
    services.ensure_questions(match.program)
    invitation = SurveyInvitation.objects.create(
        match=match, user=match.mentee.user, role="mentee", kind="midpoint"
    )
    services.submit_answers(
        invitation,
        by=match.mentee.user,
        values={
            services.field_name(q): {"scale": "4", "yes_partly_no": "yes"}.get(q.answer_type, "")
            for q in services.questions_for(invitation)
        },
    )
    client.force_login(superuser)
    name = f"admin:evaluation_{model._meta.model_name}"
    assert client.get(reverse(f"{name}_changelist")).status_code == 200
    assert client.get(reverse(f"{name}_add")).status_code == 403
    row = model.objects.first()
    response = client.post(reverse(f"{name}_change", args=[row.pk]), {})
    assert response.status_code == 403
