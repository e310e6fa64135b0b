"""URLs of the pair workspace: the overview, messages, meetings and the learning journal."""

from journals.urls.journal import urlpatterns as journal_urls
from journals.urls.meetings import urlpatterns as meeting_urls
from journals.urls.messages import urlpatterns as message_urls
from journals.urls.workspace import urlpatterns as workspace_urls

app_name = "journals"

urlpatterns = [*workspace_urls, *message_urls, *meeting_urls, *journal_urls]
