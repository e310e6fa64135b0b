"""The Celery application: the platform's clock and its outbox."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship_site.settings")

app = Celery("mentorship_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
