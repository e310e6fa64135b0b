"""Demo matching: requests in every state, two active matches, and a pool for auto-match."""

from django.db.models import F
from django.utils import timezone

from matching import services
from matching.models import MatchRequest
from programs.models import Participant


def _person(program, user, role) -> Participant | None:
    return (
        Participant.objects.select_related("user", "program", "cycle")
        .filter(program=program, user=user, role=role)
        .first()
    )


def seed_matching(program, *, coordinator, mentors, mentees, extra) -> None:
    """Give `program` pending, declined, withdrawn, expired and superseded requests and two
    active matches, leaving most ready people unmatched for auto-match. Safe to run again."""
    if MatchRequest.objects.filter(program=program).exists():
        return

    def mentor(user):
        return _person(program, user, "mentor")

    def mentee(user):
        return _person(program, user, "mentee")

    def ask(sender, receiver, message=""):
        return services.send_request(sender, receiver, by=sender.user, message=message)

    # A match the mentor approved; the mentee's second request is superseded by it.
    first = ask(mentee(extra[10]), mentor(extra[0]), "Your negotiation experience is what I need.")
    ask(mentee(extra[10]), mentor(extra[5]), "I would love to learn about hiring.")
    services.approve_request(first, by=extra[0])
    # A coordinator's proposal both sides approved.
    proposal = services.propose_match(
        mentor(extra[1]), mentee(extra[11]), by=coordinator, message="You share three topics."
    )
    services.approve_request(proposal, by=extra[1])
    services.approve_request(proposal, by=extra[11])
    # Declined, withdrawn and expired requests.
    declined = ask(mentee(extra[12]), mentor(extra[2]), "Could you help me with public speaking?")
    services.decline_request(declined, by=extra[2], reason="My calendar is full this quarter.")
    withdrawn = ask(mentee(extra[14]), mentor(extra[4]))
    services.withdraw_request(withdrawn, by=extra[14])
    expired = ask(mentee(extra[13]), mentor(extra[3]), "Hello! Would you mentor me?")
    MatchRequest.objects.filter(pk=expired.pk).update(
        created_at=F("created_at") - timezone.timedelta(days=10),
        reply_due_at=timezone.now() - timezone.timedelta(days=3),
    )
    services.expire_request(expired.pk)
    # Requests waiting for the demo mentors, so their inboxes have something in them.
    ask(mentee(mentees[0]), mentor(mentors[0]), "I am preparing my first team lead role.")
    ask(mentee(mentees[2]), mentor(mentors[1]), "Your time zone suits me well.")
