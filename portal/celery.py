"""The Celery application. Configuration lives in settings (CELERY_* names)."""

import os
import re

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _no_statement_timeout(**kwargs):
    """The web's statement timeout (DB_STATEMENT_TIMEOUT) is not the worker's: a build at 10,000 member states runs
    statements longer than any page may, and the task's time limits bound it. Before the pool starts, so that every
    pool process connects without it."""
    from django.conf import settings

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if "options" in options:
        options["options"] = re.sub(r"\s*-c statement_timeout=\d+", "", options["options"]).strip()
