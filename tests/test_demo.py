import pytest
from django.core.management import call_command

from journals.models import JournalEntry, Meeting, Message
from matching.automatch import compute_outcome
from matching.models import Match, MatchRequest
from mentorship_site.accounts.models import User
from programs.models import Invitation, Participant, Program


@pytest.mark.django_db
def test_the_demo_can_be_loaded_twice_and_shows_every_state(django_capture_on_commit_callbacks):
    def counts():
        return (
            User.objects.count(),
            Participant.objects.count(),
            Invitation.objects.count(),
            MatchRequest.objects.count(),
            Match.objects.count(),
        )

    with django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        first = counts()
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    assert Participant.objects.count() >= 40
    states = set(Participant.objects.values_list("state", flat=True))
    assert {"applied", "enrolled", "ready", "paused", "withdrawn"} <= states
    coordinator = User.objects.get(email="coordinator@example.org")
    assert coordinator.check_password("mentoring-demo")
    assert coordinator.coordinated_programs.count() == 2


@pytest.mark.django_db
def test_the_demo_has_requests_in_every_state_active_matches_and_a_pool_to_auto_match(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    statuses = set(MatchRequest.objects.values_list("status", flat=True))
    assert {"pending", "approved", "declined", "withdrawn", "expired", "superseded"} <= statuses
    assert Match.objects.active().count() == 2
    assert Match.objects.filter(source="coordinator").exists()
    program = Program.objects.get(name="Leading with confidence")
    outcome = compute_outcome(program, program.cycles.get().pk)
    assert outcome.figures["mentees"] >= 5 and outcome.figures["matched"] >= 5
    # Live workspaces, and a match that ended early, read-only.
    assert Match.objects.filter(status="ended").count() == 1
    assert Message.objects.exists() and Meeting.objects.filter(status="held").exists()
    assert set(JournalEntry.objects.values_list("status", flat=True)) == {"submitted", "reviewed"}
    # The demo mentors have someone waiting in their inbox.
    amara = Participant.objects.get(program=program, user__email="amara.mentor@example.org")
    assert MatchRequest.objects.awaiting(amara).exists()
