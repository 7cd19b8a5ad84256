"""What the sign-in records: a user's usual addresses, and the episodes of a user name failing from elsewhere (whose
holder is told once) or of an address failing for many names. The rule that reads them: portal/throttling.py."""

import logging
import smtplib

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from portal.lib import mail
from portal.models import EpisodeKind, SignInEpisode, User, UsualAddress
from portal.models.sign_ins import episode_quiet

log = logging.getLogger(__name__)


def usual_address_record(*, user, address, now):
    """`user` completed a sign-in from `address`: one of their usual addresses from now on. Only the latest
    SIGN_IN_USUAL_ADDRESSES are kept, so that one sign-in from a hotel years ago does not count for ever."""
    if not address:
        return
    UsualAddress.objects.update_or_create(user=user, address=address, defaults={"last_signed_in_at": now})
    kept = list(UsualAddress.objects.filter(user=user).order_by("-last_signed_in_at")
                .values_list("pk", flat=True)[:settings.SIGN_IN_USUAL_ADDRESSES])
    UsualAddress.objects.filter(user=user).exclude(pk__in=kept).delete()


def sign_in_failed(*, username, address, new_here, now):
    """A password or second-factor code for `username` was checked at `now`, from `address`, and was wrong.

    django-axes has counted it for the pair; `new_here` when the pair had not failed lately. From an address that
    is not one of the holder's usual ones it also counts into the name's episode and, for a name new there, into the
    address's. The failure that starts slowing a name down tells its holder, once an episode.
    """
    if not username or UsualAddress.objects.of(username, address).exists():
        return
    SignInEpisode.objects.filter(last_failed_at__lte=now - episode_quiet()).delete()  # ended: forgotten
    episode = _count(EpisodeKind.NAME, username, now)
    if episode.slows_down and episode.holder_told_at is None:
        _tell_holder(episode, now)
    if new_here and address:
        _count(EpisodeKind.ADDRESS, address, now)


def _count(kind, key, now):
    with transaction.atomic():
        # Locked, so that two failures at once both count, and one of them starts the episode.
        episode, created = SignInEpisode.objects.select_for_update().get_or_create(
            kind=kind, key=key, defaults={"failures": 1, "started_at": now, "last_failed_at": now})
        if not created:
            if not episode.going_on(now):  # ended since the clean-up above: a new one
                episode.failures, episode.started_at, episode.holder_told_at = 0, now, None
            episode.failures += 1
            episode.last_failed_at = max(episode.last_failed_at, now)
            episode.save(update_fields=["failures", "started_at", "last_failed_at", "holder_told_at"])
    return episode


def _tell_holder(episode, now):
    """Claim the episode's one email (a conditional UPDATE: of several failures at once, one sends), then send it in
    the holder's language. A send that fails gives the claim back: the next failure tries again."""
    holder = User.objects.filter(username__iexact=episode.key, is_active=True).exclude(email="").first()
    if holder is None or not SignInEpisode.objects.filter(
            pk=episode.pk, started_at=episode.started_at, holder_told_at__isnull=True).update(holder_told_at=now):
        return
    try:
        mail.send_templated("sign_in_attempts", {"recipient": holder, "failures": episode.failures}, holder.email)
    except (smtplib.SMTPException, OSError):
        log.exception("sign-in episode of %s: the email to its holder failed; the next failure tries again",
                      episode.key)
        SignInEpisode.objects.filter(pk=episode.pk, holder_told_at=now).update(holder_told_at=None)


def sign_in_episode_end(*, username=None, address=None):
    """An admin lifts the slowdown of a user name or an address (the Lockouts page); the number of episodes ended."""
    keys = Q(kind=EpisodeKind.NAME, key=(username or "").lower()) | Q(kind=EpisodeKind.ADDRESS, key=address or "")
    return SignInEpisode.objects.filter(keys).delete()[0]
