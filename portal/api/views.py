"""The base of every API view (kept apart from portal/api/auth.py, which DRF's settings import first)."""

from rest_framework import exceptions
from rest_framework.views import APIView

from portal import access


class PortalAPIView(APIView):
    """An API view: `access` names one of the gates of portal/access.py; the URL walk checks it as for pages, and
    portal.api.auth.Gate admits by the same predicate."""

    access = None

    @classmethod
    def as_view(cls, **initkwargs):
        assert cls.access in access.GATE_PREDICATES, f"{cls.__name__}.access must name a gate of portal/access.py"
        view = super().as_view(**initkwargs)
        view.access = cls.access
        return view

    def gate(self, name):
        """A narrower gate for one method of the view (the list is for everyone, asking for reviewers): passed by
        the same predicate as the page of that action, refused with 404 as portal.api.auth.Gate refuses."""
        if not access.GATE_PREDICATES[name](self.request.user):
            raise exceptions.NotFound


class FileAPIView(PortalAPIView):
    """A view that answers with a file (portal/downloads.send_file) or, refused, problem+json: whatever the client
    accepts, the refusal is rendered as JSON, never a 406 (a file is what it asked for, not a format to choose)."""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)
