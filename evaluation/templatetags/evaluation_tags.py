from django import template

from evaluation.models import SurveyInvitation

register = template.Library()

# The home page names this many waiting surveys; "My surveys" lists them all.
SHOWN = 3


@register.inclusion_tag("evaluation/_home_surveys.html")
def home_surveys(user):
    """Tell `user` which surveys wait for their answer (one query)."""
    waiting = list(SurveyInvitation.objects.of_user(user).unanswered()[: SHOWN + 1])
    return {"invitations": waiting[:SHOWN], "more": len(waiting) > SHOWN}
