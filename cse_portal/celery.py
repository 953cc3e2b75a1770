"""The Celery application. Tasks are discovered in each app's tasks.py; the beat schedule lives
in settings (CELERY_BEAT_SCHEDULE) so it is reviewed in git."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_portal.settings.base")

app = Celery("cse_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
