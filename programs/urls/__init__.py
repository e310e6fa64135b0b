"""URLs of the programs app: the participant's side, program set-up, and people management."""

from programs.urls.participant import urlpatterns as participant_urls
from programs.urls.people import urlpatterns as people_urls
from programs.urls.setup import urlpatterns as setup_urls

app_name = "programs"

urlpatterns = [*participant_urls, *setup_urls, *people_urls]
