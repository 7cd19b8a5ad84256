"""The edition of the reference texts: which version of the catalogue's and the member states' names a page shows."""

from django.db import models
from django.db.models import F, Q


class ReferenceTextsEdition(models.Model):
    """One row: a number that every change of a reference entry or of one of its texts raises, in the change's own
    transaction (`renew`, a receiver of their saves and deletes connected in PortalConfig.ready()). What is kept
    rendered with those texts names the edition it was rendered with, so an admin's correction shows on the next
    request."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="reference_texts_edition_is_one_row")]

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).values_list("number", flat=True).first() or 0

    @classmethod
    def renew(cls, raw=False, **kwargs):
        if raw:  # loading fixtures
            return
        if not cls.objects.filter(pk=1).update(number=F("number") + 1):
            cls.objects.get_or_create(pk=1, defaults={"number": 1})
