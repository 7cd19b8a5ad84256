"""A refusal as the API words it: an RFC 9457 problem+json body (`type`, `title`, `status`, `detail`, and any extra
members). Plain data, with nothing of DRF, so that what answers before a view runs (a middleware, the 503 when the
database did not answer) words it as the API's views do (portal/api/errors.py)."""

from django.utils.translation import gettext_lazy as _

PROBLEM_TYPE = "urn:5g-portal:problem:"
TITLES = {
    400: _("Invalid input"), 401: _("Not signed in"), 403: _("Forbidden"), 404: _("Not found"),
    405: _("Method not allowed"), 406: _("Not acceptable"), 409: _("Conflict"), 413: _("Too large"),
    415: _("Unsupported media type"), 423: _("Locked"), 429: _("Too many requests"), 503: _("Unavailable"),
}

CODES = {400: "invalid", 401: "not_authenticated", 403: "permission_denied", 404: "not_found",
         405: "method_not_allowed", 415: "unsupported_media_type", 429: "throttled"}


def problem_body(status_code, code, detail, **extra):
    return {"type": PROBLEM_TYPE + code, "title": str(TITLES.get(status_code, _("Error"))), "status": status_code,
            "detail": str(detail), **extra}
