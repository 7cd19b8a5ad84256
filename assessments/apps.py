from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("National risk assessments")

    def ready(self):
        from assessments.models import Questionnaire, Supplier
        from portal import audit

        audit.track(Questionnaire, m2m_fields={"threat_actors", "threats", "asset_classes", "criteria", "scenarios",
                                               "measures"})
        # A designation date sets every phase-out deadline of its supplier (models/phase_out.py): who changed it, when.
        audit.track(Supplier)
