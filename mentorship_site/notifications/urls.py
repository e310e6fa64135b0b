from django.urls import path

from mentorship_site.notifications import views

app_name = "notifications"

urlpatterns = [
    path("email/", views.preferences, name="preferences"),
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("clock/", views.clock, name="clock"),
]
