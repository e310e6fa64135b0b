"""The coordinator's people pages of one program."""

from django.urls import path

from programs.views import people as views

urlpatterns = [
    path("coordinate/<uuid:code>/", views.program_overview, name="program_overview"),
    path("coordinate/<uuid:code>/participants/", views.participants, name="participants"),
    path(
        "coordinate/<uuid:code>/participants.csv",
        views.participants_export,
        name="participants_export",
    ),
    path(
        "coordinate/<uuid:code>/participants/<uuid:participant>/",
        views.participant_detail,
        name="participant_detail",
    ),
    path(
        "coordinate/<uuid:code>/participants/<uuid:participant>/<str:action>/",
        views.participant_action,
        name="participant_action",
    ),
    path("coordinate/<uuid:code>/applications/", views.applications, name="applications"),
    path("coordinate/<uuid:code>/invitations/", views.invitations, name="invitations"),
    path(
        "coordinate/<uuid:code>/invitations/upload/",
        views.invitations_upload,
        name="invitations_upload",
    ),
    path(
        "coordinate/<uuid:code>/invitations/<uuid:token>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "coordinate/<uuid:code>/invitations/<uuid:token>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
