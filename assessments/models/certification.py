"""Certification: a person vouching for what is submitted, bound to the SHA-256 of the content they saw.

Before a draft becomes a version, a person who may submit it states that it is complete and accurate to the best of
their authority's knowledge (issue 32). The statement names the content by its SHA-256
(`assessments.services.submission.draft_content`): a change of the draft after certifying gives another digest, and
the certification no longer counts. A cycle may ask two certifiers (`ReportingCycle.certifiers_required`): the first
certification waits (`version` empty) until a second person certifies the same digest, and the version is made then.
A version's certifications are also written into its snapshot, so its own SHA-256 covers who vouched for it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import AssessmentVersion, NationalAssessment
from portal.models import Authority, Role


class CertificationQuerySet(models.QuerySet):
    def waiting(self):
        """Given on a draft and not yet part of a version."""
        return self.filter(version__isnull=True)

    def of_content(self, content_sha256):
        return self.filter(content_sha256=content_sha256)


class Certification(models.Model):
    assessment = models.ForeignKey(NationalAssessment, on_delete=models.CASCADE, related_name="certifications")
    version = models.ForeignKey(AssessmentVersion, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="certifications")
    content_sha256 = models.CharField(_("SHA-256 of the content certified"), max_length=64)
    certifier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # As they stood when the statement was made: a later change of name, role or authority does not rewrite it.
    name = models.CharField(_("name"), max_length=300)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(_("statement"))
    language = models.CharField(max_length=10)
    at = models.DateTimeField()

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(content_sha256__regex=r"^[0-9a-f]{64}$"),
                                   name="certification_sha256_hex"),
            models.CheckConstraint(condition=Q(role__in=[Role.LEAD_REPORTER]), name="certification_by_a_lead"),
            models.CheckConstraint(condition=~Q(statement=""), name="certification_has_its_statement"),
            # One person vouches once for one content, and once in a version.
            models.UniqueConstraint(fields=["assessment", "content_sha256", "certifier"],
                                    condition=Q(version__isnull=True), name="certification_waiting_once"),
            models.UniqueConstraint(fields=["version", "certifier"], name="certification_once_per_version"),
        ]

    def __str__(self):
        return f"{self.name}, {self.get_role_display()}: {self.content_sha256[:12]}"

    def as_json(self):
        """How the version's snapshot records it (hashed with the version)."""
        return {"name": self.name, "role": self.role, "authority": self.authority.name, "at": self.at.isoformat(),
                "content_sha256": self.content_sha256, "statement": self.statement, "language": self.language}
