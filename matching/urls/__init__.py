"""URLs of matching: the participant's side (suggestions, requests, matches) and the
coordinator's (requests, proposals, auto-match)."""

from matching.urls.coordinator import urlpatterns as coordinator_urls
from matching.urls.participant import urlpatterns as participant_urls

app_name = "matching"

urlpatterns = [*participant_urls, *coordinator_urls]
