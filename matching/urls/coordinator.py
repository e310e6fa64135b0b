"""The coordinator's side of matching: every request, proposals, and auto-match runs."""

from django.urls import path

from matching.views import coordinator as views

urlpatterns = [
    path("programs/<uuid:code>/requests/", views.requests_list, name="coordinator_requests"),
    path(
        "programs/<uuid:code>/requests/<uuid:request_code>/close/",
        views.request_close,
        name="coordinator_request_close",
    ),
    path("programs/<uuid:code>/propose/", views.propose, name="propose"),
    path("programs/<uuid:code>/automatch/", views.automatch, name="automatch"),
    path("automatch/<uuid:code>/", views.automatch_run, name="automatch_run"),
    path("automatch/<uuid:code>/progress/", views.automatch_progress, name="automatch_progress"),
    path("automatch/<uuid:code>/drop/", views.automatch_drop, name="automatch_drop"),
    path("automatch/<uuid:code>/swap/", views.automatch_swap, name="automatch_swap"),
    path("automatch/<uuid:code>/send/", views.automatch_send, name="automatch_send"),
]
