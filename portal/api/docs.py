"""The API's published description (OpenAPI 3) and its documentation page: public, they hold no data.

The page's scripts and styles are served from the portal's own static files (drf-spectacular-sidecar's copy of
Swagger UI, collected like any other), and its start-up script from a URL of its own: the Content-Security-Policy
allows nothing inline and nothing from elsewhere.
"""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from portal import access
from portal.api.errors import problem


class PersonalToken(OpenApiAuthenticationExtension):
    """How the description names portal.api.auth.TokenAuthentication: a bearer token."""

    target_class = "portal.api.auth.TokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")


OPEN = {"authentication_classes": [], "permission_classes": [AllowAny], "throttle_classes": []}

schema = access.public(SpectacularAPIView.as_view(**OPEN), why="the API's description: no data, only its shape")
docs = access.public(SpectacularSwaggerSplitView.as_view(url_name="api_schema", **OPEN),
                     why="the API's documentation page: no data, only its shape")


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a problem+json 404, not the pages' HTML one (a script reads the answer)."""
    response = problem(404, "not_found", _("There is nothing at this address of the API."))
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = "application/problem+json"
    response.renderer_context = {}
    return response.render()


not_found = access.public(not_found, why="answers 404, always")
