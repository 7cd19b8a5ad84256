"""Who may try to sign in now: a lockout that protects without locking people out (docs/security.md).

- Failures count per (user name, address) pair (django-axes, AXES_LOCKOUT_PARAMETERS): AXES_FAILURE_LIMIT of them
  lock that name at that address for AXES_COOLOFF_MINUTES. Nobody else is affected: not the holder at the office,
  not a colleague behind the same proxy.
- A user name failing from addresses other than its holder's usual ones is slowed down (its SignInEpisode): each
  next attempt waits, longer with each failure, and the holder is emailed once.
- An address failing for SIGN_IN_SPRAY_NAMES user names or more (a spray) is slowed down the same way, on its own
  (its SignInEpisode too: django-axes forgets a pair after AXES_COOLOFF_MINUTES, shorter than the longest wait).
- From one of the holder's usual addresses only the pair's own failures count: a correct password and second factor
  from there always get in, whatever is tried elsewhere.

An attempt refused here is answered with 429 before its password or code is checked, and counts nowhere. The
password step asks through django-axes' backend (SignInHandler below), the second-factor step through its form
(portal/forms.py), the lockout page says why and how long (portal/accounts.py): all with `refusal`.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum

from portal import services
from portal.models import EpisodeKind, SignInEpisode, UsualAddress


class Reason:
    PAIR = "pair"  # this name failed too often from this address
    NAME = EpisodeKind.NAME  # this name failed too often from elsewhere
    ADDRESS = EpisodeKind.ADDRESS  # this address failed for too many names


@dataclass(frozen=True)
class Refusal:
    reason: str
    wait: timedelta

    @property
    def seconds(self):
        return math.ceil(self.wait.total_seconds())


def cooloff():
    return timedelta(hours=settings.AXES_COOLOFF_TIME)


def refusal(*, username, address, now):
    """Why an attempt for `username` from `address` at `now` is refused without being checked, and how long it must
    still wait (the longest of the reasons); None when it may be checked."""
    waits = [Refusal(Reason.PAIR, _pair_wait(username, address, now))]
    if not (username and address and UsualAddress.objects.of(username, address).exists()):
        episodes = SignInEpisode.objects.filter(Q(kind=EpisodeKind.NAME, key=username or "")
                                                | Q(kind=EpisodeKind.ADDRESS, key=address or ""))
        waits += [Refusal(episode.kind, episode.wait(now)) for episode in episodes]
    longest = max(waits, key=lambda refused: refused.wait)
    return longest if longest.wait > timedelta(0) else None


def _pair(username, address, now):
    """The pair's failures django-axes still counts, and the last one's time."""
    failed = AccessAttempt.objects.filter(username=username, ip_address=address, attempt_time__gte=now - cooloff())
    return failed.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))


def _pair_wait(username, address, now):
    """django-axes' own lockout, as it counts it (AXES_LOCKOUT_PARAMETERS: the pair), until it forgets the failures."""
    waits = [timedelta(0)]
    for filters in get_client_parameters(username, address, None, None):
        failed = AccessAttempt.objects.filter(**filters, attempt_time__gte=now - cooloff())
        counted = failed.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        if (counted["failures"] or 0) >= settings.AXES_FAILURE_LIMIT:
            waits.append(counted["last"] + cooloff() - now)
    return max(waits)


class SignInHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER), asking `refusal` before a password is checked, and counting a
    checked failure, password or second-factor code (portal/receivers.py), into the name's episode too."""

    def is_locked(self, request, credentials=None):
        return refusal(username=get_client_username(request, credentials), address=request.axes_ip_address,
                       now=request.axes_attempt_time) is not None

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        # Refused before it was checked (axes' backend marked it): it counts nowhere, as django-axes' own count.
        checked = request is not None and not request.axes_locked_out
        super().user_login_failed(sender, credentials, request, **kwargs)
        if checked:
            username, address, now = (get_client_username(request, credentials), request.axes_ip_address,
                                      request.axes_attempt_time)
            services.sign_in_failed(username=username, address=address, now=now,
                                    new_here=_pair(username, address, now)["failures"] == 1)
