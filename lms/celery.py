"""The Celery application: configured from Django settings (CELERY_* names)."""

from __future__ import annotations

import os

from celery import Celery
from kombu.entity import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

app = Celery("onramp")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Two queues so that long transcodes never hold up e-mails and reminders: run
# `celery worker -Q media` on machines with CPU to spare and `-Q default` elsewhere.
app.conf.task_queues = (Queue("default"), Queue("media"))
app.autodiscover_tasks()
