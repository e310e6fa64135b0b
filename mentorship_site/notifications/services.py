"""Send each notice once, the way its recipient asked for it, and keep the clock's log.

`notify` is the one door for every email the platform sends on its own. It records the
notice under a unique constraint (kind, thing, recipient, occasion) in the same
transaction that queues the email, so a task run twice, two workers racing, or a worker
killed halfway never sends a notice twice nor loses one.
"""

import functools
import logging
import zoneinfo
from datetime import datetime, time

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation

from mentorship_site.notifications.kinds import Category, Delivery, category_of
from mentorship_site.notifications.models import EmailPreference, JobRun, Notification

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# ---------------------------------------------------------------- preferences


def delivery_for(user, category: str) -> str:
    """Return how `user` wants emails of `category`: email (the default), digest or off."""
    if not user.is_active:
        return Delivery.OFF
    chosen = (
        EmailPreference.objects.filter(user=user, category=category)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or Delivery.EMAIL


def preferences_of(user) -> dict[str, str]:
    """Return every category's delivery for `user`, defaults included."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("category", "delivery"))
    return {category: chosen.get(category, Delivery.EMAIL) for category in Category.values}


def set_preference(user, category: str, delivery: str) -> EmailPreference:
    """Record how `user` wants emails of `category`."""
    if category not in Category.values:
        raise ValueError(f"unknown category {category!r}")
    if delivery not in Delivery.values or (
        category == Category.DIGEST and delivery == Delivery.DIGEST
    ):
        raise ValueError(f"{delivery!r} is not a choice for {category!r}")
    preference, _created = EmailPreference.objects.update_or_create(
        user=user, category=category, defaults={"delivery": delivery}
    )
    return preference


# ---------------------------------------------------------------- unsubscribe links


def unsubscribe_token(user, category: str) -> str:
    """Return a signed token that turns off `category` for `user`, and no one else."""
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign(f"{user.pk}.{category}")


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """Return (user id, category) from a genuine, unexpired token; None for anything else."""
    try:
        value = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).unsign(
            token, max_age=settings.UNSUBSCRIBE_LINK_MAX_AGE
        )
    except signing.BadSignature:  # tampered, forged or expired (SignatureExpired)
        return None
    user_id, _dot, category = value.partition(".")
    if not user_id.isdigit() or category not in Category.values:
        return None
    return int(user_id), category


def unsubscribe_url(user, category: str) -> str:
    return _absolute(
        reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user, category)})
    )


# ---------------------------------------------------------------- notify


def notify(
    kind: str,
    *,
    recipient,
    about: models.Model,
    occasion: str = "",
    email: str,
    context: dict,
    link: str = "",
    attachments: list | None = None,
) -> Notification | None:
    """Send `recipient` the email `email` about `about`, once per (kind, about, occasion).

    Honours the recipient's choice for the kind's category: email now, keep it for the
    weekly digest, or record it without sending. Return the new log row, or None when
    this notice was already recorded (the caller's work is then already done).

    The email is rendered in the recipient's language and time zone, and carries
    one-click unsubscribe headers (RFC 8058) for its category.
    """
    from mentorship_site.mail.compose import render_templated_email

    category = category_of(kind)
    delivery = delivery_for(recipient, category)
    leave_url = unsubscribe_url(recipient, category)
    full_context = {
        "recipient": recipient,
        "link": link,
        "unsubscribe_url": leave_url,
        "preferences_url": _absolute(reverse("notifications:preferences")),
        **context,
    }
    with timezone.override(recipient.time_zone):
        message = render_templated_email(
            email,
            to=recipient.email,
            language=recipient.preferred_language,
            context=full_context,
            attachments=attachments,
            headers={
                "List-Unsubscribe": f"<{leave_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    summary = str(message.subject)
    prefix = "] "
    if summary.startswith("[") and prefix in summary:
        summary = summary.split(prefix, 1)[1]
    try:
        with transaction.atomic():
            notice = Notification.objects.create(
                kind=kind,
                category=category,
                recipient=recipient,
                about_type=about._meta.label_lower,
                about_id=about.pk,
                occasion=occasion,
                delivery=delivery,
                summary=summary[:300],
                link=link[:500],
            )
            if delivery == Delivery.EMAIL:
                # The queued backend stores the message in this same transaction.
                message.send()
    except IntegrityError:
        return None  # already notified on this occasion
    return notice


def notified(kind: str, about: models.Model, *, recipient=None, occasion: str | None = None):
    """Return the log rows of `kind` about `about` (optionally for one recipient/occasion)."""
    rows = Notification.objects.about(about).filter(kind=kind)
    if recipient is not None:
        rows = rows.filter(recipient=recipient)
    if occasion is not None:
        rows = rows.filter(occasion=occasion)
    return rows


def told(kind: str, model: type[models.Model], *, about="pk", **conditions) -> models.QuerySet:
    """Return the notices of `kind` about the outer row, a `model`, for Exists subqueries.

    `about` names the outer row's key (an OuterRef of it) or is an expression, such as
    OuterRef(OuterRef("pk")) from a subquery nested one level deeper. `conditions` narrow
    the notices further and may be OuterRefs too: `recipient=OuterRef("mentor__user")`.
    Served by the notifications_by_kind index (kind, about_id).
    """
    if isinstance(about, str):
        about = models.OuterRef(about)
    return Notification.objects.filter(
        kind=kind, about_type=model._meta.label_lower, about_id=about, **conditions
    )


def not_notified(
    kind: str, model: type[models.Model], *, outer: str = "pk", occasion: str | None = None
) -> models.Exists:
    """Return a filter for scans: the outer row, a `model`, has no `kind` notice yet (on
    `occasion`).

    Use as `User.objects.filter(not_notified("weekly_digest", User))`; one subquery,
    whatever the number of rows scanned.
    """
    conditions = {} if occasion is None else {"occasion": occasion}
    return ~models.Exists(told(kind, model, about=outer, **conditions))


# ---------------------------------------------------------------- local time


def local_now(time_zone: str, now: datetime | None = None) -> datetime:
    """Return `now` (default: the current instant) in the zone `time_zone`."""
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(time_zone))


def local_moment(day, at: time, time_zone: str) -> datetime:
    """Return the instant it is `at` o'clock on `day` in `time_zone` (an aware datetime)."""
    return datetime.combine(day, at, tzinfo=zoneinfo.ZoneInfo(time_zone))


# ---------------------------------------------------------------- the clock's log


def periodic_job(function):
    """Record each run of a periodic task for the clock page: start, end, items handled,
    failure. The wrapped function returns how many items it handled (or dispatched)."""
    job = f"{function.__module__}.{function.__name__}"

    @functools.wraps(function)
    def run(*args, **kwargs):
        record = JobRun.objects.create(job=job)
        try:
            handled = function(*args, **kwargs)
        except Exception as error:
            JobRun.objects.filter(pk=record.pk).update(
                status=JobRun.Status.FAILED,
                finished_at=timezone.now(),
                error=f"{type(error).__name__}: {error}"[:4000],
            )
            raise
        JobRun.objects.filter(pk=record.pk).update(
            status=JobRun.Status.SUCCEEDED,
            finished_at=timezone.now(),
            handled=int(handled or 0),
        )
        return handled

    return run


def in_language(user):
    """Return a context manager rendering text in `user`'s language."""
    return translation.override(user.preferred_language)
