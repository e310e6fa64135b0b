"""The workspace page, the weekly prompts, and the end of a match."""

from django.urls import path

from journals.views import workspace as views

urlpatterns = [
    path("workspace/<uuid:code>/", views.workspace, name="workspace"),
    path("workspace/<uuid:code>/prompts/", views.prompts, name="prompts"),
    path("workspace/<uuid:code>/end/", views.end_match, name="end_match"),
    path("workspace/<uuid:code>/extend/", views.extend_match, name="extend_match"),
]
