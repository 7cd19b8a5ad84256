"""A user's private iCalendar (RFC 5545) feed of the milestones that concern them."""

import datetime

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from portal.languages import language_for
from portal.models import Milestone, ReportingCycle, deadline_of, deadlines_in_force


def milestones_for(user):
    """The milestones of the cycles the user works in: for authority staff, those its member state files in now
    (open, or reopened for it); for reviewers and admins, every open cycle's."""
    cycles = ReportingCycle.objects.visible_to(user)
    cycles = cycles.current_for(user.member_state) if user.is_authority_staff else cycles.open()
    return list(Milestone.objects.filter(cycle__in=cycles).select_related("cycle").order_by("due_date"))


def calendar_for(user):
    """The feed, in the user's language (a calendar client asks without a session or a cookie)."""
    with translation.override(language_for(user)):
        return _calendar(user)


def _calendar(user):
    milestones = milestones_for(user)
    extensions = deadlines_in_force(milestones) if user.is_authority_staff else {}
    calendar = Calendar()
    calendar.add("prodid", "-//Coordinated 5G risk reporting portal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("5G risk reporting deadlines"))
    calendar.add("x-wr-timezone", "Europe/Brussels")
    stamp = datetime.datetime.now(datetime.UTC)
    host = settings.SITE_URL.split("://")[-1]
    for milestone in milestones:
        deadline, extension = milestone.deadline, None
        own = user.is_authority_staff and milestone.is_per_member_state
        if own:
            deadline, extension = deadline_of(milestone, user.member_state_id, extensions)
        event = Event()
        event.add("uid", f"milestone-{milestone.pk}-{user.member_state.eu_code if own else 'eu'}@{host}")
        event.add("dtstamp", stamp)
        if deadline.is_end_of_day:
            # An all-day event on the due day: "by 15 July" reads as 15 July in every calendar.
            event.add("dtstart", deadline.day)
            event.add("dtend", deadline.day + datetime.timedelta(days=1))
        else:
            event.add("dtstart", deadline.ends_at)
            event.add("dtend", deadline.ends_at)
        event.add("summary", f"{milestone.code}: {milestone.title}")
        description = [milestone.cycle.title, milestone.description]
        if extension:
            description.append(_("Extended from %(due)s: %(reason)s") % {
                "due": formats.date_format(milestone.due_date), "reason": extension.reason})
        event.add("description", "\n".join(part for part in description if part))
        event.add("url", f"{settings.SITE_URL}/")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
