"""What every page's frame shows whoever reads it."""

from django.conf import settings

from portal.lib import fragments


def site(request):
    """The footer's accessibility feedback address; in a page rendered to keep, the stand-ins of what belongs to
    one request (portal.lib.fragments.kept_page; this runs after Django's CSRF context processor)."""
    return {"ACCESSIBILITY_CONTACT": settings.ACCESSIBILITY_CONTACT,
            **(fragments.STAND_INS if fragments.keeping(request) else {})}
