"""HTML that cannot change, rendered once: a done review's charts and tables, a page's body for a cycle's state,
the page header a user sees on every page.

`cached(key, render)` keys the fragment by what the caller says it depends on, the active language, the edition of
the catalogue's texts (an admin's edit renders afresh) and the templates themselves (a new release renders
afresh). The cache failing never fails the page: it renders.

`render_once(key, template, context, request)` is for HTML that holds forms: it is rendered with stand-ins for the
two things that belong to one request (its CSRF token and its path) and each request puts its own back in. A cached
fragment never carries one reader's token to another.
"""

import functools
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.lib import translated

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
    name = "memo:" + hashlib.sha256(
        repr((templates_digest(), get_language(), translated.edition(), *key)).encode()).hexdigest()
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


# Stand-ins no template writes by itself (letters and hyphens only: HTML escaping leaves them as they are).
CSRF_TOKEN = "csrf-token-of-the-request-kept-out-of-the-cache"
REQUEST_PATH = "path-of-the-request-kept-out-of-the-cache"


STAND_INS = {"csrf_token": CSRF_TOKEN, "request_path": REQUEST_PATH}


def for_request(html, request):
    """HTML rendered with the STAND_INS, with this request's own CSRF token and path put in their place (left as
    they are while the request renders a whole page to keep: the page puts them in when it is sent)."""
    if keeping(request):
        return mark_safe(html)
    if CSRF_TOKEN in html:
        html = html.replace(CSRF_TOKEN, _csrf_token(request))
    return mark_safe(html.replace(REQUEST_PATH, escape(request.get_full_path())))


def _csrf_token(request):
    """One masked CSRF token for all the fragments of a request (masking one costs more than reading it again)."""
    if not hasattr(request, "_fragments_csrf_token"):
        request._fragments_csrf_token = get_token(request)
    return request._fragments_csrf_token


def render_once(key, template_name, context, request):
    """`template_name` rendered once for `key` with `context()` and the STAND_INS (what `{% csrf_token %}`,
    `{{ csrf_token }}` and `{{ request_path }}` write); each request's own values put in their place."""
    html = remembered(key, lambda: render_to_string(template_name, {**context(), **STAND_INS}))
    return for_request(html, request)


def reader(user):
    """What a page's frame shows of its reader (the header: who they are, their roles and authority): pages kept
    whole are kept for each."""
    if not user.is_authenticated:
        return None
    return user.pk, user.get_full_name() or user.get_username(), tuple(sorted(user.roles)), user.authority_id


def keeping(request):
    """Whether `request` is rendering a whole page to keep (the STAND_INS stay in it)."""
    return getattr(request, "_fragments_keeping", False)


def kept_page(request, key, template_name, context):
    """The response of a whole page (`template_name` with `context()`, its frame included) rendered once for `key`,
    the request's query and its reader, with the CSRF token and path of each request put in. A request with a
    message to show (a flash after a change) renders afresh, and shows it once."""
    if len(get_messages(request)):
        return render(request, template_name, context())

    def page():
        request._fragments_keeping = True
        try:
            return render_to_string(template_name, context(), request)
        finally:
            request._fragments_keeping = False

    html = remembered(("page", template_name, *key, query_key(request.GET), reader(request.user)), page)
    return HttpResponse(for_request(html, request))
