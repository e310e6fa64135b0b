from django.contrib import admin
from django.urls import include, path

from mentorship_site import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("healthz", site_views.healthz, name="healthz"),
    path("language/", site_views.switch_language, name="switch_language"),
    path("accounts/", include("mentorship_site.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("programs/", include("programs.urls")),
    path("matching/", include("matching.urls")),
    path("journals/", include("journals.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("notifications/", include("mentorship_site.notifications.urls")),
    path("admin/", admin.site.urls),
]
