"""The draft's history: every accepted change of a section, with who, when and what, never deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import SectionState


class RevisionKind(models.TextChoices):
    SAVE = "save", _("Saved")
    MERGE = "merge", _("Saved, merged with a colleague's changes")
    RESOLVE = "resolve", _("Saved after choosing between versions")
    RESTORE = "restore", _("An earlier value restored")
    IMPORT = "import", _("Workbook imported")
    SUPPLIER_ADDED = "supplier_added", _("Supplier added")
    SUPPLIER_REMOVED = "supplier_removed", _("Supplier removed")
    PREFILL = "prefill", _("Started from an earlier version")


class SectionRevision(models.Model):
    """The section as it stood after one accepted change: its values by stable key, and what changed.

    `values` is the base of a later three-way merge (assessments/filing/merge.py); `changes` ({key: [old, new]}) is what
    the history page shows, and what a restore takes an earlier value from.
    """

    section_state = models.ForeignKey(SectionState, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=RevisionKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    values = models.JSONField()
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["section_state", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["section_state", "number"], name="section_revision_unique"),
            models.CheckConstraint(condition=Q(kind__in=RevisionKind.values), name="section_revision_kind_valid"),
        ]
