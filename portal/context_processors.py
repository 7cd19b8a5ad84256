"""What every page's frame shows whoever reads it."""

from django.conf import settings


def site(request):
    """The footer's accessibility feedback address."""
    return {"ACCESSIBILITY_CONTACT": settings.ACCESSIBILITY_CONTACT}
