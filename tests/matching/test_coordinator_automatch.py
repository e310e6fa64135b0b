"""Auto-match from the coordinator's pages: start, watch, review, change, send."""

import pytest
from django.urls import reverse

from matching import services
from matching.models import AutoMatchRun, MatchRequest, Side, Source
from mentorship_site.accounts.models import User
from programs.models import Participant
from tests.factories import UserFactory
from tests.matching.builders import make_ready, matching_program

pytestmark = pytest.mark.django_db


def url(name, run):
    return reverse(f"matching:{name}", kwargs={"code": run.code})


def automatch_url(program):
    return reverse("matching:automatch", kwargs={"code": program.code})


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def pool(coordinator):
    """Three mentees and three one-place mentors; Fleur and François speak only French."""
    program, cycle = matching_program(coordinator)

    def person(name, role="mentee", languages=("en",)):
        user = UserFactory(display_name=name)
        return make_ready(
            program, user, role=role, capacity=1 if role == "mentor" else None, languages=languages
        )

    people = {
        "fleur": person("Fleur", languages=("fr",)),
        "bea": person("Bea"),
        "cal": person("Cal"),
        "francois": person("François", "mentor", languages=("fr",)),
        "yann": person("Yann", "mentor"),
        "zoe": person("Zoe", "mentor"),
    }
    return program, cycle, people


@pytest.fixture
def done_run(coordinator_client, pool, django_capture_on_commit_callbacks):
    """Start a run through the page; the task runs eagerly once the request commits."""
    program, cycle, _people = pool
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(automatch_url(program), {"cycle": cycle.pk})
    run = AutoMatchRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("automatch_run", run)
    run.refresh_from_db()
    assert run.status == AutoMatchRun.Status.DONE, run.error
    return run


def mentor_of(run, mentee):
    run.refresh_from_db()
    return {pair["mentee"]: pair["mentor"] for pair in run.result["pairs"]}.get(mentee.pk)


def test_the_page_explains_and_lists_past_runs(coordinator_client, pool, coordinator):
    program, cycle, _people = pool
    services.start_automatch(program, cycle, by=coordinator)
    response = coordinator_client.get(automatch_url(program))
    assert response.status_code == 200
    page = response.content.decode()
    assert "first-come" in page
    assert "exact best" in page
    assert len(response.context["runs"]) == 1
    assert response.context["form"].fields["cycle"].initial == cycle.pk


def test_a_run_computes_every_pair_with_its_figures(coordinator_client, done_run, pool):
    _program, _cycle, people = pool
    figures = done_run.result["figures"]
    assert figures["mentees"] == 3
    assert figures["places"] == 3
    assert figures["matched"] == 3
    assert mentor_of(done_run, people["fleur"]) == people["francois"].pk
    response = coordinator_client.get(url("automatch_run", done_run))
    assert response.status_code == 200
    page = response.content.decode()
    for label in ["Mentees matched", "Total score", "Gain over first-come", "Worst-off score"]:
        assert label in page
    assert len(response.context["rows"]) == 3
    assert all(row.reasons for row in response.context["rows"])
    assert "Send 3 proposals" in page


def test_leaving_a_pair_out(coordinator_client, done_run, pool):
    _program, _cycle, people = pool
    response = coordinator_client.post(
        url("automatch_drop", done_run), {"mentee": people["cal"].pk}
    )
    assert response.status_code == 302
    assert mentor_of(done_run, people["cal"]) is None
    assert len(done_run.result["pairs"]) == 2
    again = coordinator_client.post(
        url("automatch_drop", done_run), {"mentee": people["cal"].pk}, follow=True
    )
    assert "not in this auto-match" in again.content.decode()
    crafted = coordinator_client.post(url("automatch_drop", done_run), {"mentee": "x"}, follow=True)
    assert crafted.status_code == 200


def test_exchanging_mentors(coordinator_client, done_run, pool):
    _program, _cycle, people = pool
    bea_mentor, cal_mentor = mentor_of(done_run, people["bea"]), mentor_of(done_run, people["cal"])
    response = coordinator_client.post(
        url("automatch_swap", done_run), {"first": people["bea"].pk, "second": people["cal"].pk}
    )
    assert response.status_code == 302
    assert mentor_of(done_run, people["bea"]) == cal_mentor
    assert mentor_of(done_run, people["cal"]) == bea_mentor


def test_an_exchange_a_hard_rule_forbids_is_refused(coordinator_client, done_run, pool):
    _program, _cycle, people = pool
    response = coordinator_client.post(
        url("automatch_swap", done_run),
        {"first": people["fleur"].pk, "second": people["bea"].pk},
        follow=True,
    )
    assert "no language in common" in response.content.decode()
    assert mentor_of(done_run, people["fleur"]) == people["francois"].pk
    crafted = coordinator_client.post(
        url("automatch_swap", done_run), {"first": people["fleur"].pk, "second": 10**9}, follow=True
    )
    assert "Choose two different pairs" in crafted.content.decode()


def test_sending_makes_proposals_both_sides_must_approve(
    coordinator_client, done_run, pool, coordinator, django_capture_on_commit_callbacks
):
    _program, _cycle, people = pool
    coordinator_client.post(url("automatch_drop", done_run), {"mentee": people["cal"].pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url("automatch_send", done_run), follow=True)
    assert "2 proposals sent" in response.content.decode()
    done_run.refresh_from_db()
    assert done_run.status == AutoMatchRun.Status.SENT
    assert done_run.result["sent"] == 2
    proposals = MatchRequest.objects.all()
    assert {p.mentee_id for p in proposals} == {people["fleur"].pk, people["bea"].pk}
    for proposal in proposals:
        assert (proposal.source, proposal.sender, proposal.sent_by) == (
            Source.AUTOMATCH,
            Side.COORDINATOR,
            coordinator,
        )
        assert proposal.awaits(Side.MENTOR) and proposal.awaits(Side.MENTEE)
    fleur = proposals.get(mentee=people["fleur"])
    services.approve_request(fleur, by=people["fleur"].user)
    fleur.refresh_from_db()
    assert fleur.is_pending
    assert services.approve_request(fleur, by=people["francois"].user).match is not None
    # The page now shows the outcome and no more forms.
    page = coordinator_client.get(url("automatch_run", done_run))
    assert page.context["editable"] is False
    assert "Proposals sent" in page.content.decode()


def test_sending_twice_is_refused(coordinator_client, done_run):
    coordinator_client.post(url("automatch_send", done_run))
    count = MatchRequest.objects.count()
    response = coordinator_client.post(url("automatch_send", done_run), follow=True)
    assert "proposals sent: it can no longer be changed" in response.content.decode()
    assert MatchRequest.objects.count() == count
    dropped = coordinator_client.post(url("automatch_drop", done_run), {"mentee": 1}, follow=True)
    assert "can no longer be changed" in dropped.content.decode()


def test_problems_at_sending_are_reported(coordinator_client, done_run, pool, coordinator):
    _program, _cycle, people = pool
    from programs import services as programs

    programs.pause_participant(people["bea"], by=coordinator, reason="Away")
    response = coordinator_client.post(url("automatch_send", done_run), follow=True)
    page = response.content.decode()
    assert "2 proposals sent" in page
    assert "1 pair could not be proposed" in page
    assert "Bea" in page


# --- progress ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, progress, stage",
    [("queued", 0, ""), ("running", 30, "scoring"), ("running", 55, "solving")],
)
def test_the_progress_partial_while_computing(
    coordinator_client, pool, coordinator, status, progress, stage
):
    program, cycle, _people = pool
    run = AutoMatchRun.objects.create(
        program=program,
        cycle=cycle,
        started_by=coordinator,
        status=status,
        progress=progress,
        stage=stage,
    )
    response = coordinator_client.get(url("automatch_progress", run), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "HX-Refresh" not in response
    partial = response.content.decode()
    assert f'aria-valuenow="{progress}"' in partial
    assert 'hx-trigger="every 1s"' in partial
    assert url("automatch_progress", run) in partial
    assert f"{progress}% done" in partial
    if stage == "scoring":
        assert "Scoring every pair" in partial
    page = coordinator_client.get(url("automatch_run", run)).content.decode()
    assert 'role="progressbar"' in page
    assert "Refresh" in page
    run.refresh_from_db()
    assert (run.status, run.progress) == (status, progress)  # a GET changes nothing


def test_the_progress_partial_asks_for_a_reload_when_done(coordinator_client, done_run):
    response = coordinator_client.get(url("automatch_progress", done_run), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()


def test_a_failed_run_says_so_politely(coordinator_client, pool, coordinator):
    program, cycle, _people = pool
    run = AutoMatchRun.objects.create(
        program=program,
        cycle=cycle,
        started_by=coordinator,
        status=AutoMatchRun.Status.FAILED,
        error="ValueError: boom",
    )
    response = coordinator_client.get(url("automatch_run", run))
    assert response.status_code == 200
    assert "could not finish" in response.content.decode()
    assert coordinator_client.post(url("automatch_send", run), follow=True).status_code == 200


# --- who may do what -----------------------------------------------------------------------


def test_staff_viewers_read_but_never_act(client, done_run, pool, staff_viewer):
    program, cycle, people = pool
    client.force_login(staff_viewer)
    response = client.get(url("automatch_run", done_run))
    assert response.status_code == 200
    assert response.context["editable"] is False
    assert "/send/" not in response.content.decode()
    assert client.get(automatch_url(program)).context["form"] is None
    assert client.post(automatch_url(program), {"cycle": cycle.pk}).status_code == 404
    for name, data in [
        ("automatch_drop", {"mentee": people["bea"].pk}),
        ("automatch_swap", {"first": people["bea"].pk, "second": people["cal"].pk}),
        ("automatch_send", {}),
    ]:
        assert client.post(url(name, done_run), data).status_code == 404
    done_run.refresh_from_db()
    assert done_run.status == AutoMatchRun.Status.DONE
    assert len(done_run.result["pairs"]) == 3


def test_another_coordinator_gets_404(client, done_run, other_coordinator, pool):
    program, _cycle, _people = pool
    client.force_login(other_coordinator)
    assert client.get(url("automatch_run", done_run)).status_code == 404
    assert client.get(url("automatch_progress", done_run)).status_code == 404
    assert client.get(automatch_url(program)).status_code == 404
    assert client.post(url("automatch_send", done_run)).status_code == 404


def test_a_cycle_of_another_program_is_a_form_error(coordinator_client, pool, world):
    program, _cycle, _people = pool
    response = coordinator_client.post(automatch_url(program), {"cycle": world.cycle.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["cycle"]
    assert not AutoMatchRun.objects.exists()


# --- queries ------------------------------------------------------------------------------


def run_with_pairs(program, cycle, coordinator, count):
    users = User.objects.bulk_create(
        User(email=f"pair{n}-{count}@example.org", display_name=f"Pair {n:04d}")
        for n in range(2 * count)
    )
    people = Participant.objects.bulk_create(
        Participant(
            user=user,
            program=program,
            cycle=cycle,
            role="mentor" if n % 2 else "mentee",
            capacity=1 if n % 2 else None,
            state="ready",
        )
        for n, user in enumerate(users)
    )
    pairs = [
        {"mentee": people[2 * n].pk, "mentor": people[2 * n + 1].pk, "score": 50.0}
        for n in range(count)
    ]
    return AutoMatchRun.objects.create(
        program=program,
        cycle=cycle,
        started_by=coordinator,
        status=AutoMatchRun.Status.DONE,
        result={"pairs": pairs, "figures": {"matched": count, "mentees": count}},
    )


@pytest.mark.parametrize("size", [2, 30])
def test_the_run_page_runs_a_fixed_number_of_queries(
    coordinator_client, pool, coordinator, size, django_assert_max_num_queries
):
    program, cycle, _people = pool
    run = run_with_pairs(program, cycle, coordinator, size)
    with django_assert_max_num_queries(12):
        response = coordinator_client.get(url("automatch_run", run))
    assert len(response.context["rows"]) == size


def test_many_pairs_share_one_swap_form(coordinator_client, pool, coordinator):
    program, cycle, _people = pool
    run = run_with_pairs(program, cycle, coordinator, 61)
    response = coordinator_client.get(url("automatch_run", run))
    assert response.context["per_pair_swap"] is False
    assert response.content.decode().count('id="swap-first"') == 1
