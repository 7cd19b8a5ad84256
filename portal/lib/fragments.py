"""HTML that cannot change, rendered once: a done review's charts and tables, a page's body for a cycle's state.

`cached(key, render)` keys the fragment by what the caller says it depends on, the active language and the
templates themselves (a new release renders afresh). The cache failing never fails the page: it renders.
"""

import functools
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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


def query_key(query):
    """A request's GET parameters as part of a key: the same choices in any order are the same page."""
    return tuple(sorted((name, tuple(values)) for name, values in query.lists()))


def remembered(key, compute, timeout=None):
    """`compute()` for `key` (a tuple of what it depends on), from the cache when it is there."""
    name = "memo:" + hashlib.sha256(repr((templates_digest(), get_language(), *key)).encode()).hexdigest()
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


def cached(key, render, timeout=None):
    """The HTML of `render()` for `key`, rendered once."""
    return mark_safe(remembered(key, render, timeout))
