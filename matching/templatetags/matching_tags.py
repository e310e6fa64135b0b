"""Template helpers of matching: the requests waiting for someone's answer."""

from django import template
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from matching.models import MatchRequest
from programs.models import Participant

register = template.Library()


def waiting_for(user):
    """Return `user`'s participations with requests waiting for their answer, with the
    count in `awaiting` (one query)."""
    awaiting = (
        MatchRequest.objects.pending()
        .filter(
            Q(mentor=OuterRef("pk"), mentor_approved_at=None)
            | Q(mentee=OuterRef("pk"), mentee_approved_at=None)
        )
        .order_by()
        .values("status")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        Participant.objects.filter(user=user)
        .annotate(awaiting=Coalesce(Subquery(awaiting, output_field=IntegerField()), 0))
        .filter(awaiting__gt=0)
        .select_related("program")
        .order_by("program__name", "role")
    )


@register.inclusion_tag("matching/participant/_home_inbox.html")
def home_inbox(user):
    """Tell `user` which match requests wait for their answer, with a link to each inbox."""
    return {"participations": list(waiting_for(user))}
