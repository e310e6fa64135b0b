"""The participant's side of matching: suggestions, requests and matches."""

from django.urls import path

from matching.views import participant as views

urlpatterns = [
    path("participation/<uuid:code>/suggestions/", views.suggestions, name="suggestions"),
    path("participation/<uuid:code>/ask/<uuid:other>/", views.request_new, name="request_new"),
    path("participation/<uuid:code>/requests/", views.requests_inbox, name="requests"),
    path("requests/<uuid:code>/", views.request_detail, name="request"),
    path("requests/<uuid:code>/approve/", views.request_approve, name="request_approve"),
    path("requests/<uuid:code>/decline/", views.request_decline, name="request_decline"),
    path("requests/<uuid:code>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<uuid:code>/seen/", views.request_seen, name="request_seen"),
    path("matches/<uuid:code>/", views.match_detail, name="match"),
]
