"""URLs of the learning journal and the coordinators' review queue."""

from django.urls import path

from journals.views import journal as views

urlpatterns = [
    path("workspace/<uuid:code>/journal/", views.journal, name="journal"),
    path("workspace/<uuid:code>/journal/new/", views.entry_new, name="entry_new"),
    path("journal/<uuid:code>/edit/", views.entry_edit, name="entry_edit"),
    path("journal/<uuid:code>/review/", views.entry_review, name="entry_review"),
    path("journal/<uuid:code>/reopen/", views.entry_reopen, name="entry_reopen"),
    path("review/", views.review_queue, name="review_queue"),
]
