"""A user's private iCalendar (RFC 5545) feed of the milestones that concern them."""

import datetime

from django.conf import settings
from icalendar import Calendar, Event

from portal.deadlines import due_for, effective_deadlines
from portal.models import Milestone, ReportingCycle


def milestones_for(user):
    """Open cycles' milestones: authority staff see their member state's cycles, reviewers and admins all."""
    cycles = ReportingCycle.objects.open()
    if user.is_authority_staff:
        cycles = cycles.covering(user.member_state)
    elif not (user.is_reviewer or user.is_portal_admin):
        return []
    return list(Milestone.objects.filter(cycle__in=cycles).select_related("cycle").order_by("due_date"))


def calendar_for(user):
    milestones = milestones_for(user)
    extensions = effective_deadlines(milestones) if user.is_authority_staff else {}
    calendar = Calendar()
    calendar.add("prodid", "-//Coordinated 5G risk reporting portal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "5G risk reporting deadlines")
    calendar.add("x-wr-timezone", "Europe/Brussels")
    stamp = datetime.datetime.now(datetime.timezone.utc)
    for milestone in milestones:
        extension = None
        due = milestone.due_at
        if user.is_authority_staff and milestone.is_per_member_state:
            due, extension = due_for(milestone, user.member_state, extensions)
        event = Event()
        scope = user.member_state.eu_code if user.is_authority_staff and milestone.is_per_member_state else "eu"
        event.add("uid", f"milestone-{milestone.pk}-{scope}@{settings.SITE_URL.split('://')[-1]}")
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due)
        event.add("summary", f"{milestone.code}: {milestone.title}")
        description = [milestone.cycle.title, milestone.description]
        if extension:
            description.append(f"Extended from {milestone.due_at:%d %B %Y}: {extension.reason}")
        event.add("description", "\n".join(part for part in description if part))
        event.add("url", f"{settings.SITE_URL}/")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


