"""The weekly digest: on each person's Monday morning, the notices they kept for it and,
for coordinators, what waits for them in each program they coordinate."""

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import time, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from journals.models import JournalEntry
from journals.selectors import quiet_pairs
from matching.models import MatchRequest
from mentorship_site.accounts.models import User
from mentorship_site.notifications import services as notifications
from mentorship_site.notifications.kinds import Category, Delivery
from mentorship_site.notifications.models import EmailPreference, Notification
from programs.models import Participant, Program

KIND = "weekly_digest"
SENDS_AT = time(8, 0)  # Monday, in the person's own zone
# Pending requests whose reply window closes within this are "about to expire".
EXPIRY_HORIZON = timedelta(hours=48)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def iso_week(moment) -> str:
    year, week, _day = moment.isocalendar()
    return f"{year}-W{week:02d}"


def _due_week(time_zone: str, now) -> str | None:
    """Return the ISO week whose digest is due in `time_zone` at `now`: on Monday from
    08:00 local time until the day ends there (a clock down all Monday skips one digest;
    its items wait for the next). None on any other day or hour."""
    try:
        local = notifications.local_now(time_zone, now)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    if local.isoweekday() != 1 or local.time() < SENDS_AT:
        return None
    return iso_week(local)


def _at_risk_matches(now):
    """Active matches quiet for longer than their program's quiet_days (0: never flagged)."""
    return quiet_pairs(now=now)


def _expiring_requests(now):
    return MatchRequest.objects.pending().filter(reply_due_at__lte=now + EXPIRY_HORIZON)


def _has_coordination_news(now) -> Exists:
    """A filter for users: a program they coordinate has something for the digest."""
    program = OuterRef("pk")
    programs = Program.objects.filter(coordinators=OuterRef("pk")).filter(
        Exists(JournalEntry.objects.waiting_for_review().filter(match__program=program))
        | Exists(Participant.objects.filter(program=program, state=Participant.State.APPLIED))
        | Exists(_at_risk_matches(now).filter(program=program))
        | Exists(_expiring_requests(now).filter(program=program))
    )
    return Exists(programs)


@shared_task
@notifications.periodic_job
def send_weekly_digests() -> int:
    """Fan out this week's digest to each person whose Monday 08:00 has passed, who has
    something to read and has not had it yet. Two queries, whatever the number of people."""
    now = timezone.now()
    zones = User.objects.filter(is_active=True).values_list("time_zone", flat=True).distinct()
    zones_by_week = defaultdict(list)
    for zone in zones:
        week = _due_week(zone, now)
        if week is not None:
            zones_by_week[week].append(zone)
    if not zones_by_week:
        return 0
    due = Q()
    for week, week_zones in zones_by_week.items():
        due |= Q(notifications.not_notified(KIND, User, occasion=week), time_zone__in=week_zones)
    waiting = Notification.objects.waiting_for_digest().filter(recipient=OuterRef("pk"))
    digest_off = EmailPreference.objects.filter(
        user=OuterRef("pk"), category=Category.DIGEST, delivery=Delivery.OFF
    )
    people = (
        User.objects.filter(is_active=True)
        .filter(due)
        .filter(Exists(waiting) | _has_coordination_news(now))
        .exclude(Exists(digest_off))
        .values_list("pk", "time_zone")
    )
    week_of_zone = {zone: week for week, week_zones in zones_by_week.items() for zone in week_zones}
    handled = 0
    for user_id, zone in people:
        send_weekly_digest.delay(user_id, week_of_zone[zone])
        handled += 1
    return handled


@dataclass
class ProgramNews:
    program: Program
    link: str
    reviews: int = 0
    reviews_link: str = ""
    applications: int = 0
    applications_link: str = ""
    quiet_pairs: list = field(default_factory=list)
    expiring_requests: list = field(default_factory=list)
    requests_link: str = ""

    def __bool__(self) -> bool:
        return bool(self.reviews or self.applications or self.quiet_pairs or self.expiring_requests)


def coordination_news(user, now=None) -> list[ProgramNews]:
    """Return, per program `user` coordinates, what waits for them (programs with nothing
    are left out). Five queries, whatever the number of programs and rows."""
    now = now or timezone.now()
    programs = list(Program.objects.filter(coordinators=user).order_by("name"))
    if not programs:
        return []
    news = {
        program.pk: ProgramNews(
            program=program,
            link=_absolute(reverse("programs:dashboard")),
            reviews_link=_absolute(reverse("journals:review_queue")),
            applications_link=_absolute(
                reverse("programs:applications", kwargs={"code": program.code})
            ),
        )
        for program in programs
    }
    reviews = (
        JournalEntry.objects.waiting_for_review()
        .filter(match__program__in=programs)
        .values_list("match__program")
        .annotate(total=Count("pk"))
        .order_by()
    )
    for program_id, total in reviews:
        news[program_id].reviews = total
    applications = (
        Participant.objects.filter(program__in=programs, state=Participant.State.APPLIED)
        .values_list("program")
        .annotate(total=Count("pk"))
        .order_by()
    )
    for program_id, total in applications:
        news[program_id].applications = total
    quiet = (
        _at_risk_matches(now)
        .filter(program__in=programs)
        .select_related("mentor__user", "mentee__user")
        .order_by("last_activity_at")
    )
    for match in quiet:
        match.workspace_link = _absolute(reverse("journals:workspace", kwargs={"code": match.code}))
        news[match.program_id].quiet_pairs.append(match)
    expiring = (
        _expiring_requests(now)
        .filter(program__in=programs)
        .select_related("mentor_user", "mentee_user")
        .order_by("reply_due_at")
    )
    for request in expiring:
        news[request.program_id].expiring_requests.append(request)
    for item in news.values():
        if item.expiring_requests:
            item.requests_link = _absolute(
                reverse("matching:coordinator_requests", kwargs={"code": item.program.code})
            )
    return [item for item in news.values() if item]


@shared_task
def send_weekly_digest(user_id: int, week: str) -> None:
    """Email `user_id` the digest of `week` once, and mark the notices it carries as
    digested in the same transaction."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    if notifications.delivery_for(user, Category.DIGEST) == Delivery.OFF:
        return  # they switched the digest off: leave their notices as they are
    if notifications.notified(KIND, user, recipient=user, occasion=week).exists():
        return
    items = list(
        Notification.objects.waiting_for_digest().filter(recipient=user).order_by("-created_at")
    )
    programs = coordination_news(user)
    if not items and not programs:
        return  # nothing to say: no email
    with transaction.atomic():
        # Compare-and-set: a concurrent run that marked some of these first wins, and
        # this one sends nothing.
        marked = Notification.objects.filter(
            pk__in=[item.pk for item in items], digested_at=None
        ).update(digested_at=timezone.now())
        if marked != len(items):
            transaction.set_rollback(True)
            return
        notice = notifications.notify(
            KIND,
            recipient=user,
            about=user,
            occasion=week,
            email="weekly_digest",
            context={"items": items, "programs": programs, "week": week},
            link=_absolute(reverse("home")),
        )
        if notice is None:  # this week's digest already went out
            transaction.set_rollback(True)
