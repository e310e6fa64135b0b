import pytest
from django.core.management import call_command

from mentorship_site.accounts.models import User
from programs.models import Invitation, Participant


@pytest.mark.django_db
def test_the_demo_can_be_loaded_twice_and_shows_every_state(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        counts = (User.objects.count(), Participant.objects.count(), Invitation.objects.count())
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (User.objects.count(), Participant.objects.count(), Invitation.objects.count()) == counts
    assert Participant.objects.count() >= 40
    states = set(Participant.objects.values_list("state", flat=True))
    assert {"applied", "enrolled", "ready", "paused", "withdrawn"} <= states
    coordinator = User.objects.get(email="coordinator@example.org")
    assert coordinator.check_password("mentoring-demo")
    assert coordinator.coordinated_programs.count() == 2
