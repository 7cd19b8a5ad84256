"""The base of every API view (kept apart from portal/api_auth.py, which DRF's settings import first)."""

from rest_framework.views import APIView

from portal import access


class PortalAPIView(APIView):
    """An API view: `access` names one of the gates of portal/access.py; the URL walk checks it as for pages, and
    portal/api_auth.Gate admits by the same predicate."""

    access = None

    @classmethod
    def as_view(cls, **initkwargs):
        assert cls.access in access.GATE_PREDICATES, f"{cls.__name__}.access must name a gate of portal/access.py"
        view = super().as_view(**initkwargs)
        view.access = cls.access
        return view
