"""HTML that cannot change, rendered once: a done review's charts and tables, a comparison of submitted versions.

Only what is made from immutable inputs is kept, keyed by the ids of those inputs (a review, the versions a
comparison shows), the active language, the edition of the reference texts (an admin's correction of a title renders
afresh: portal/models/editions.py) and the templates themselves (a release that edits one renders afresh). Every entry
expires after RENDERED_CACHE_SECONDS (0 keeps nothing). Whatever can change (a population, a lateness, a reader's
name, a form and its CSRF token) is rendered by each request: nothing here has to be invalidated.

The cache failing never fails the page: it renders.
"""

import functools
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.models.editions import ReferenceTextsEdition

log = logging.getLogger(__name__)


@functools.cache
def templates_digest():
    """A digest of every template's path, size and modification time: changes with any release that edits one."""
    digest = hashlib.sha256()
    for directory in [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]:
        for path in sorted(directory.rglob("*.html")):
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def remembered(key, compute):
    """`compute()` for `key` (a tuple of the ids of the immutable inputs it is made from), from the cache when it is
    there; kept for RENDERED_CACHE_SECONDS."""
    timeout = settings.RENDERED_CACHE_SECONDS
    if not timeout:
        return compute()
    name = "rendered:" + hashlib.sha256(
        repr((templates_digest(), get_language(), ReferenceTextsEdition.current(), *key)).encode()).hexdigest()
    try:
        value = cache.get(name)
    except Exception:  # noqa: BLE001 -- an unavailable cache costs speed, never the page
        log.warning("cache unavailable: computing %s", key[0], exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(name, value, timeout)
        except Exception:  # noqa: BLE001
            log.warning("cache unavailable: %s not kept", key[0], exc_info=True)
    return value


def cached(key, render):
    """The HTML of `render()` for `key`, rendered once (see `remembered`)."""
    return mark_safe(remembered(key, render))
