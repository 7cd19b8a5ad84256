"""The API's published description (OpenAPI 3) and its documentation page: public, they hold no data.

The page's scripts and styles are served from the portal's own static files (drf-spectacular-sidecar's copy of
Swagger UI, collected like any other), and its start-up script from a URL of its own: the Content-Security-Policy
allows nothing inline and nothing from elsewhere.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from portal import access


class PersonalToken(OpenApiAuthenticationExtension):
    """How the description names portal/api_auth.TokenAuthentication: a bearer token."""

    target_class = "portal.api_auth.TokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")


OPEN = {"authentication_classes": [], "permission_classes": [AllowAny], "throttle_classes": []}

schema = access.public(SpectacularAPIView.as_view(**OPEN), why="the API's description: no data, only its shape")
docs = access.public(SpectacularSwaggerSplitView.as_view(url_name="api_schema", **OPEN),
                     why="the API's documentation page: no data, only its shape")
