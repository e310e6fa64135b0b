"""URLs of the pair's mentoring agreement and private thread."""

from django.urls import path

from journals.views import messages as views

urlpatterns = [
    path("workspace/<uuid:code>/agreement/", views.agreement, name="agreement"),
    path(
        "workspace/<uuid:code>/agreement/confirm/",
        views.agreement_confirm,
        name="agreement_confirm",
    ),
    path("workspace/<uuid:code>/messages/", views.thread, name="thread"),
    path("workspace/<uuid:code>/messages/updates/", views.thread_updates, name="thread_updates"),
    path("workspace/<uuid:code>/messages/read/", views.thread_read, name="thread_read"),
]
