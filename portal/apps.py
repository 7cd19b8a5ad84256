from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from allauth.mfa.models import Authenticator
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from portal import audit, models, receivers  # noqa: F401 -- receivers connect on import
        from portal.lib import translated

        audit.track(models.ReportingCycle, exclude_fields=["is_demo"])  # set once, by the demo: nothing to answer for
        audit.track(models.CycleCoverage)
        audit.track(models.Milestone)
        audit.track(models.Extension)
        audit.track(models.Reopening)
        # Secrets (the password hash, the calendar feed's token) never enter the trail, masked or not; nor does the
        # links' counter (the deactivation or email change that moved it is there).
        audit.track(models.User, exclude_fields=["password", "last_login", "calendar_token", "notifications",
                                                 "credentials_changes", "is_demo"],
                    m2m_fields={"groups"})
        # A factor's secret never enters the trail; nor does each use of it (that is a sign-in). Its fields have no
        # names of their own (django-allauth's): the Activity page says these.
        audit.track(Authenticator, exclude_fields=["data", "last_used_at"],
                    mapping_fields={"type": _("kind"), "user": _("user"), "created_at": _("added at")})
        # An edited catalogue entry or member state name: what was kept rendered with the old text is not shown again.
        for model in translated.reference_models(apps.get_models()):
            renew, uid = models.ReferenceTextsEdition.renew, f"renew-{model._meta.label}"
            post_save.connect(renew, sender=model, dispatch_uid=uid)
            post_delete.connect(renew, sender=model, dispatch_uid=uid)
