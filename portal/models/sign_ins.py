"""What the sign-in remembers so that it protects without locking people out (the rule: portal/throttling.py).

django-axes keeps the failures per (user name, address) pair, for AXES_COOLOFF_MINUTES; these keep each user's usual
addresses, from which a correct sign-in always gets in, and the episodes that slow down a user name failing from
elsewhere, or an address failing for many user names, for as long as they go on.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


def slowdown(excess):
    """The wait before the next attempt once a name or an address is `excess` failures past its allowance (0: at
    it): SIGN_IN_FIRST_WAIT_SECONDS, doubling with each failure, at most SIGN_IN_MAX_WAIT_SECONDS."""
    seconds = settings.SIGN_IN_FIRST_WAIT_SECONDS * 2 ** min(max(excess, 0), 32)
    return timedelta(seconds=min(seconds, settings.SIGN_IN_MAX_WAIT_SECONDS))


class UsualAddressQuerySet(models.QuerySet):
    def of(self, username, address):
        """`address`, if it is one of the usual addresses of the account called `username` (any letter case)."""
        return self.filter(user__username__iexact=username, address=address)


class UsualAddress(models.Model):
    """An address the user completed a sign-in from (the password and, where their role needs one, the second
    factor). Only the SIGN_IN_USUAL_ADDRESSES latest are kept (`usual_address_record`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="usual_addresses")
    address = models.GenericIPAddressField()
    last_signed_in_at = models.DateTimeField()

    objects = UsualAddressQuerySet.as_manager()

    class Meta:
        constraints = [
            # Its index also answers each sign-in attempt's question: is this address one of this user's?
            models.UniqueConstraint(fields=["user", "address"], name="usual_address_once_per_user"),
        ]

    def __str__(self):
        return f"{self.address} ({self.user_id})"


def episode_quiet():
    return timedelta(minutes=settings.SIGN_IN_EPISODE_MINUTES)


class EpisodeKind(models.TextChoices):
    NAME = "name", _("User name failing from elsewhere")
    ADDRESS = "address", _("Address failing for many user names")


class SignInEpisodeQuerySet(models.QuerySet):
    def going_on(self, now):
        return self.filter(last_failed_at__gt=now - episode_quiet())

    def slowed(self, now):
        return self.going_on(now).filter(
            Q(kind=EpisodeKind.NAME, failures__gte=settings.SIGN_IN_SLOWDOWN_AFTER)
            | Q(kind=EpisodeKind.ADDRESS, failures__gte=settings.SIGN_IN_SPRAY_NAMES))


class SignInEpisode(models.Model):
    """Failed sign-ins (passwords or second-factor codes) that slow down a user name or an address, until
    SIGN_IN_EPISODE_MINUTES pass without one. Failures from the holder's usual addresses count in neither.

    - A user name counts each failure for it from addresses other than its holder's usual ones; from the
      SIGN_IN_SLOWDOWN_AFTER-th on, each next attempt for it waits, and its holder is told, once (`holder_told_at`).
      Names that belong to nobody have episodes too: the answer never says whether a name exists.
    - An address counts the failures for user names that had not failed from it lately (a spray); from
      SIGN_IN_SPRAY_NAMES names on, each next attempt from it waits.

    The episode outlasts the longest wait, so that nobody can wait it away.
    """

    kind = models.CharField(max_length=10, choices=EpisodeKind.choices)
    key = models.CharField(max_length=255)  # the user name as django-axes counts it (lower case), or the address
    failures = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_failed_at = models.DateTimeField()
    holder_told_at = models.DateTimeField(null=True, blank=True)

    objects = SignInEpisodeQuerySet.as_manager()

    class Meta:
        constraints = [
            # Its index also answers each sign-in attempt's question: is this name, or this address, slowed down?
            models.UniqueConstraint(fields=["kind", "key"], name="sign_in_episode_one_per_name_or_address"),
            models.CheckConstraint(condition=Q(kind__in=EpisodeKind.values), name="sign_in_episode_kind_valid"),
            models.CheckConstraint(condition=Q(failures__gte=1), name="sign_in_episode_has_a_failure"),
            models.CheckConstraint(condition=Q(last_failed_at__gte=F("started_at")),
                                   name="sign_in_episode_last_failure_after_start"),
            # Only a user name has a holder to tell, during the episode.
            models.CheckConstraint(
                condition=Q(holder_told_at__isnull=True)
                | Q(kind=EpisodeKind.NAME, holder_told_at__gte=F("started_at")),
                name="sign_in_episode_holder_told_during_it"),
            models.CheckConstraint(condition=Q(kind=EpisodeKind.ADDRESS) | Q(key=Lower("key")),
                                   name="sign_in_episode_name_lower_case"),
        ]
        indexes = [
            # Each failure deletes the episodes that ended; the Lockouts page lists those going on.
            models.Index(fields=["last_failed_at"], name="sign_in_episode_last_failed"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key}: {self.failures}"

    @property
    def allowance(self):
        """The failures counted before each next attempt waits."""
        return settings.SIGN_IN_SLOWDOWN_AFTER if self.kind == EpisodeKind.NAME else settings.SIGN_IN_SPRAY_NAMES

    @property
    def slows_down(self):
        return self.failures >= self.allowance

    def going_on(self, now):
        return self.last_failed_at > now - episode_quiet()

    def next_attempt_at(self):
        """When the next attempt for this name, or from this address, may be checked, once it is slowed down."""
        return self.last_failed_at + slowdown(self.failures - self.allowance)

    def wait(self, now):
        """How long an attempt at `now` must still wait; zero when it may be checked."""
        if not self.slows_down or not self.going_on(now):
            return timedelta(0)
        return max(self.next_attempt_at() - now, timedelta(0))
