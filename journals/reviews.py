"""When a coordinator first answered an entry's latest submission.

`JournalEntry.first_reviewed_at` is set by the review service and cleared when the
entry is sent again; `store_first_reviews` computes it from the reviews for rows written
in bulk (demo history, data migrations): the first review or reopening at or after
the entry's `submitted_at`, as the median review time has always counted it.
"""

from django.db.models import DateTimeField, Min, OuterRef, QuerySet, Subquery


def first_review(review_model=None) -> Subquery:
    """Return, for an entry (OuterRef "pk"), its first review at or after its submission."""
    if review_model is None:
        from journals.models import Review as review_model
    return Subquery(
        review_model.objects.filter(entry=OuterRef("pk"), created_at__gte=OuterRef("submitted_at"))
        .order_by()
        .values("entry")
        .annotate(first=Min("created_at"))
        .values("first"),
        output_field=DateTimeField(),
    )


def store_first_reviews(entries: QuerySet, review_model=None) -> int:
    """Store the first review after submission of every entry of `entries`, in one UPDATE."""
    return entries.update(first_reviewed_at=first_review(review_model))
