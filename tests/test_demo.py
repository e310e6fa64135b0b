import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluation.kpis import program_figures
from evaluation.models import Certificate, SurveyAnswer, SurveyInvitation
from journals.models import ActivityTally, JournalEntry, Meeting, Message
from journals.tallies import COLUMNS, rebuild_tallies
from matching.automatch import compute_outcome
from matching.models import Match, MatchRequest
from mentorship_site.accounts.models import User
from programs import milestones
from programs.models import Cycle, Invitation, Participant, Program


@pytest.mark.django_db
def test_the_demo_can_be_loaded_twice_and_shows_every_state(django_capture_on_commit_callbacks):
    def counts():
        return (
            User.objects.count(),
            Participant.objects.count(),
            Invitation.objects.count(),
            MatchRequest.objects.count(),
            Match.objects.count(),
            Cycle.objects.count(),
            Message.objects.count(),
            SurveyAnswer.objects.count(),
            Certificate.objects.count(),
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
    current = program.enrolling_cycle()
    outcome = compute_outcome(program, current.pk)
    assert outcome.figures["mentees"] >= 5 and outcome.figures["matched"] >= 5
    # Live workspaces, and a match that ended early, read-only.
    assert Match.objects.filter(cycle=current, status="ended").count() == 1
    assert Message.objects.exists() and Meeting.objects.filter(status="held").exists()
    assert set(JournalEntry.objects.values_list("status", flat=True)) == {"submitted", "reviewed"}
    # The demo mentors have someone waiting in their inbox.
    amara = Participant.objects.get(program=program, user__email="amara.mentor@example.org")
    assert MatchRequest.objects.awaiting(amara).exists()


@pytest.mark.django_db
def test_the_demo_program_has_finished_cohorts_with_figures_worth_showing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    program = Program.objects.get(name="Leading with confidence")
    cycles = list(program.cycles.order_by("starts_on"))
    assert len(cycles) >= 3
    today = timezone.localdate()
    finished = [cycle for cycle in cycles if cycle.matching_closes_on < today]
    assert len(finished) >= 2
    for cycle in finished:
        matches = Match.objects.filter(cycle=cycle)
        assert not matches.active().exists()
        assert matches.filter(status="completed").count() >= 5
        assert matches.filter(status="ended").exists()
        assert max(matches.values_list("ended_at", flat=True)) < timezone.now()
        assert SurveyAnswer.objects.filter(invitation__match__cycle=cycle).exists()
        assert Certificate.objects.filter(match__cycle=cycle).exists()
        figures = program_figures(program, cycle=cycle)
        assert [step["total"] for step in figures["recruitment"]["funnel"]][1] > 0
        assert 60 <= figures["matching"]["match_rate"]["value"] <= 90
        assert figures["matching"]["median_days_to_match"] > 0
        assert figures["activity"]["meetings_held"] > 0
        assert figures["activity"]["median_review_hours"] > 0
        assert 6 <= figures["hours"]["average_hours"]["value"] <= 12
        assert 3.5 <= figures["outcomes"]["satisfaction"]["overall"]["value"] <= 4.7
        assert figures["outcomes"]["early_end_reasons"]
    figures = program_figures(program)
    assert figures["hours"]["hours_total"] > 0
    assert figures["outcomes"]["satisfaction"]["overall"]["respondents"] > 0
    assert figures["outcomes"]["satisfaction_midpoint"]["overall"]["respondents"] > 0
    # History is not news: the finished cohorts leave the clock no survey reminder to send.
    alumni = User.objects.filter(participations__cycle__in=finished)
    assert not SurveyInvitation.objects.due_for_reminder().filter(user__in=alumni).exists()


@pytest.mark.django_db
def test_the_demo_keeps_the_stored_figures_as_a_rebuild_from_its_rows_finds_them(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    people = Participant.objects.order_by("pk")
    tallies = ActivityTally.objects.order_by("program", "cycle", "slot")

    def stored():
        counted = tallies.values_list("program", "cycle", "slot", *COLUMNS)
        return (
            list(people.values_list("pk", *milestones.FIELDS)),
            [row for row in counted if any(row[3:])],
        )

    seeded = stored()
    assert seeded[1], "the demo has activity"
    milestones.rebuild(people)
    rebuild_tallies(Program.objects.values_list("pk", flat=True))
    assert stored() == seeded
