"""Member states, with their membership as a period, and their national authorities."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from parler.managers import TranslatableQuerySet
from parler.models import TranslatedFields

from portal.lib.translated import ReadInActiveLanguage


class MemberStateQuerySet(TranslatableQuerySet):
    def members_on(self, day):
        """Member states that belonged to the Union on `day` (membership is a period)."""
        return self.filter(Q(joined__lte=day), Q(left__isnull=True) | Q(left__gt=day))


class MemberState(ReadInActiveLanguage):
    # ISO 3166-1 and the EU's own codes differ for Greece (GR/EL) and the UK (GB/UK).
    iso_code = models.CharField(_("ISO 3166-1 code"), max_length=2, unique=True)
    eu_code = models.CharField(_("EU code"), max_length=2, unique=True)
    # The name in each language, as the EU's Interinstitutional Style Guide writes it (portal/lib/translated.py).
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=100),
        meta={"unique_together": [("language_code", "name")]},
    )
    # The EU's protocol order (by each state's name in its own language): the order of every EU text, the same in
    # every language, so that a list of member states does not reorder with the reader's language.
    protocol_order = models.PositiveSmallIntegerField(_("protocol order"), default=0)
    joined = models.DateField(_("member since"))
    left = models.DateField(_("member until (exclusive)"), null=True, blank=True)

    objects = MemberStateQuerySet.as_manager()

    class Meta:
        ordering = ["protocol_order", "eu_code"]
        verbose_name = _("member state")
        verbose_name_plural = _("member states")
        constraints = [
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gt=models.F("joined")),
                name="member_state_left_after_joined",
            ),
            models.CheckConstraint(condition=Q(iso_code__regex=r"^[A-Z]{2}$"), name="member_state_iso_code_format"),
            models.CheckConstraint(condition=Q(eu_code__regex=r"^[A-Z]{2}$"), name="member_state_eu_code_format"),
        ]

    def __str__(self):
        return self.name

    def is_member_on(self, day):
        return self.joined <= day and (self.left is None or day < self.left)


class ConcernsMemberState:
    """A row that belongs to one member state: its audit trail entries say which (portal/audit.py)."""

    def get_additional_data(self):
        member_state = self.member_state
        return {"member_state": member_state.eu_code} if member_state is not None else None


class AuthorityKind(models.TextChoices):
    CYBERSECURITY = "cybersecurity", _("National cybersecurity authority")
    REGULATOR = "regulator", _("National regulatory authority")
    MINISTRY = "ministry", _("Ministry")
    SECURITY_SERVICE = "security_service", _("Security or intelligence service")
    OTHER = "other", _("Other")


class Authority(models.Model):
    Kind = AuthorityKind

    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="authorities")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AuthorityKind.choices)

    class Meta:
        ordering = ["member_state__protocol_order", "name"]
        verbose_name = _("national authority")
        verbose_name_plural = _("national authorities")
        constraints = [
            models.UniqueConstraint(fields=["member_state", "name"], name="authority_unique_name_per_member_state"),
            models.CheckConstraint(condition=Q(kind__in=AuthorityKind.values), name="authority_kind_valid"),
        ]

    def __str__(self):
        return f"{self.name} ({self.member_state.eu_code})"
