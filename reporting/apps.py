from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Coordinated review")

    def ready(self):
        from reporting import receivers  # noqa: F401 -- connects the receivers; apps are ready only now
