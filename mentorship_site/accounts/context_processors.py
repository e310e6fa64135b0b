from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from journals.models import JournalEntry
from journals.services.messages import unread_messages
from mentorship_site.accounts.models import STAFF_VIEWERS_GROUP, User


def _count(queryset):
    """Return a subquery counting `queryset`'s rows (it may refer to the outer user)."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(total=Count("pk"))
            .values("total")[:1]
        ),
        0,
    )


def _navigation_facts(user) -> tuple[bool, int, object, int]:
    """Return, in one query: may `user` see the programs dashboard (coordinators, staff
    viewers and administrators), how many messages of their active matches they have not
    read, the code of the newest active match holding some of them, and how many journal
    entries of the programs they coordinate wait for review."""
    if user.is_superuser:
        # Administrators see the dashboard without a query; their counts are left out so
        # the pages they use keep running no query for the navigation.
        return True, 0, None, 0
    unread = unread_messages(user).filter(match__status="active")
    facts = (
        User.objects.filter(pk=user.pk)
        .annotate(
            sees_dashboard=Exists(
                User.objects.filter(pk=user.pk).filter(
                    Q(groups__name=STAFF_VIEWERS_GROUP) | Q(coordinated_programs__isnull=False)
                )
            ),
            unread=_count(unread),
            thread_code=Subquery(
                unread.order_by("-match__started_at", "-match_id").values("match__code")[:1]
            ),
            reviews=_count(
                JournalEntry.objects.waiting_for_review().filter(
                    match__program__coordinators=OuterRef("pk")
                )
            ),
        )
        .values_list("sees_dashboard", "unread", "thread_code", "reviews")
        .first()
    )
    return facts or (False, 0, None, 0)


def navigation(request):
    """Return the main navigation: only the places the signed-in person may use."""
    user = getattr(request, "user", None)
    items = [(_("Home"), reverse("home"))]
    if user is not None and user.is_authenticated:
        sees_dashboard, unread, thread_code, reviews = _navigation_facts(user)
        if unread:
            url = (
                reverse("journals:thread", kwargs={"code": thread_code})
                if thread_code
                else reverse("home")
            )
            items.append((_("Messages (%(count)d)") % {"count": unread}, url))
        if sees_dashboard:
            items.append((_("Programs"), reverse("programs:dashboard")))
            items.append((_("Figures"), reverse("evaluation:dashboard")))
            items.append((_("Clock"), reverse("notifications:clock")))
        if reviews:
            items.append(
                (_("Reviews (%(count)d)") % {"count": reviews}, reverse("journals:review_queue"))
            )
        items.append((_("Account"), reverse("accounts:settings")))
        if user.is_staff:
            items.append((_("Back office"), reverse("admin:index")))
    current = request.path
    return {
        "navigation": [
            {
                "label": label,
                "url": url,
                "current": url == current or (url != "/" and current.startswith(url)),
            }
            for label, url in items
        ]
    }
