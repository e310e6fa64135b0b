from django.urls import path

from programs.views import participant as views

urlpatterns = [
    path("join/<uuid:join_code>/", views.join, name="join"),
    path("invitation/<uuid:token>/", views.invitation, name="invitation"),
    path("me/<uuid:code>/", views.participation, name="participation"),
    path("me/<uuid:code>/capacity/", views.capacity, name="capacity"),
    path("me/<uuid:code>/pause/", views.pause, name="pause"),
    path("me/<uuid:code>/resume/", views.resume, name="resume"),
    path("me/<uuid:code>/leave/", views.leave, name="leave"),
    path("me/<uuid:code>/questionnaire/", views.questionnaire, name="questionnaire"),
    path("me/<uuid:code>/training/<uuid:module>/", views.training, name="training"),
    path("me/<uuid:code>/resources/", views.resources, name="resources"),
    path("me/<uuid:code>/resources/<uuid:resource>/", views.resource, name="resource"),
]
