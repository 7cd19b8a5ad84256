"""The API's answers when something is refused, and its lists.

Every refusal is a problem+json body (RFC 9457): `type` (a stable URN a script can branch on), `title`, `status`,
`detail`, and `errors` ({field: [messages]}) when input was invalid. A view may add members of its own (a conflict
adds the current revision and both values of each field).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

from portal.lib.problems import CODES, problem_body


class Problem(exceptions.APIException):
    """A refusal with a type of its own and any extra members (`extra`) in its body."""

    def __init__(self, status_code, code, detail, **extra):
        self.status_code, self.code, self.extra = status_code, code, extra
        super().__init__(detail=detail, code=code)


def problem(status_code, code, detail, **extra):
    return Response(problem_body(status_code, code, detail, **extra), status=status_code,
                    content_type="application/problem+json")


def _field_errors(detail):
    """DRF's nested error detail as {field: [messages]} (nested fields joined with dots)."""
    if isinstance(detail, dict):
        found = {}
        for key, value in detail.items():
            for inner, messages in _field_errors(value).items():
                found[f"{key}.{inner}" if inner else str(key)] = messages
        return found
    if isinstance(detail, list) and detail and all(not isinstance(item, (dict, list)) for item in detail):
        return {"": [str(item) for item in detail]}
    if isinstance(detail, list):
        return {str(index): messages for index, item in enumerate(detail)
                for messages in [_field_errors(item).get("", [])] if messages}
    return {"": [str(detail)]}


def problem_response(exc, context):
    response = exception_handler(exc, context)  # DRF's: Http404 and PermissionDenied become theirs, headers set
    if response is None:
        return None
    code = getattr(exc, "code", None) or (exc.get_codes() if isinstance(exc, exceptions.APIException) else None)
    if not isinstance(code, str):  # Django's Http404 and PermissionDenied, which DRF answered
        code = CODES.get(response.status_code, "error")
    extra = getattr(exc, "extra", {})
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        body = problem(400, "invalid", _("Correct the fields named in “errors”."), errors=errors, **extra)
    else:
        detail = exc.detail if isinstance(getattr(exc, "detail", None), str) else response.data.get("detail", "")
        body = problem(response.status_code, code, detail, **extra)
    for header, value in response.items():
        if header.lower() not in ("content-type", "content-length"):
            body[header] = value
    return body


class ProblemSerializer(serializers.Serializer):
    """What every refusal holds (for the OpenAPI description)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


def page_of(serializer_class):
    """A page of a cursor-paginated list (for the description): its rows, and the next and previous pages."""
    return type(f"{serializer_class.__name__.removesuffix('Serializer')}PageSerializer", (serializers.Serializer,), {
        "next": serializers.URLField(allow_null=True), "previous": serializers.URLField(allow_null=True),
        "results": serializer_class(many=True)})


def refusals(*codes):
    """The problem+json answers of an operation for its description: 401, 404 and 429 always, and `codes`."""
    return {(code, "application/problem+json"): ProblemSerializer for code in sorted({401, 404, 429, *codes})}


class Cursor(CursorPagination):
    """Opaque cursors (`next`, `previous`): a list read page by page does not skip or repeat a row that was added
    meanwhile. A view orders by a unique column of its own with `cursor_ordering`."""

    page_size = 50
    ordering = "-pk"

    def get_ordering(self, request, queryset, view):
        return (getattr(view, "cursor_ordering", self.ordering),)


__all__ = ["Cursor", "Problem", "ProblemSerializer", "problem", "page_of", "problem_response", "refusals"]
