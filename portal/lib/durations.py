"""A duration as people say it, in the reader's language: "1 day", "60 days", "3 months", "45 minutes".

The one rule for every page and email that says how long is left, how late a submission came or how long to wait
(template filters `duration_words` and `time_left_words` in portal/templatetags/portal_tags.py). One unit, the
largest that reads naturally, counted in whole units: 60 days is "60 days", never "1 month, 4 weeks" (Django's
`timeuntil`, which counts a month as 30 days and adds weeks); 2 days and 23 hours left is "2 days", so that
what is left is never overstated.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Up to this many days a duration is said in days ("45 days", "60 days"): deadlines are set and
# counted in days; beyond, in months of 30 days, and from 365 days in years.
MAX_DAYS = 60


def duration_in_words(delta):
    """`delta` (a timedelta; its sign is left to the sentence around it) in words, pluralised."""
    seconds = abs(int(delta.total_seconds()))
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes < 1:
        return _("less than a minute")
    if hours < 1:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    if days < 1:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    if days <= MAX_DAYS:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if days < 365:
        return ngettext("%(n)d month", "%(n)d months", days // 30) % {"n": days // 30}
    return ngettext("%(n)d year", "%(n)d years", days // 365) % {"n": days // 365}


def time_left_in_words(instant, now=None):
    """How long until `instant` (from `now`), in words."""
    return duration_in_words(instant - (now or timezone.now()))


def wait_in_words(seconds):
    """A wait before the next attempt: "8 seconds" under two minutes (the first waits of a slowdown are seconds),
    else in whole minutes or more, rounded up ("15 minutes"): a wait is never understated."""
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    return duration_in_words(timedelta(minutes=-(-seconds // 60)))
