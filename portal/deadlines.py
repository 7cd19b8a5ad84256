"""What a deadline means, in one place.

"By 15 July" is on time until 16 July 00:00:00 Brussels time, exclusive: a
submission at 23:59:59.999999 is on time, one at 00:00:00.000000 is late. A
deadline with a time of day ("by 12:00") is late from that instant on. Every
page, export, reminder and review compares instants through `Deadline`, never
dates or times by hand.
"""

import calendar
import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass(frozen=True, order=True)
class Deadline:
    day: datetime.date
    # None: the end of the day (the usual "by 15 July"); otherwise the instant it becomes late.
    time: datetime.time | None = None

    @property
    def ends_at(self):
        """The first instant that is late. Brussels midnight is never skipped or repeated by a clock change."""
        if self.time is None:
            return datetime.datetime.combine(self.day + datetime.timedelta(days=1), datetime.time(0), tzinfo=BRUSSELS)
        return datetime.datetime.combine(self.day, self.time, tzinfo=BRUSSELS)

    def is_met_by(self, instant):
        return instant < self.ends_at

    def has_passed(self, now):
        return now >= self.ends_at

    @property
    def is_end_of_day(self):
        return self.time is None

    @property
    def last_day(self):
        """The calendar day (Brussels) on which it falls: what reminders count days to."""
        return self.day


def months_after(day, months):
    """The day `months` calendar months after `day` (before it, if negative), "to the day".

    Where that month has no such day (36 months after 29 February 2024; one month after 31 January), the period
    ends on the month's last day, as Regulation (EEC, Euratom) No 1182/71, Art. 3(2)(c), counts periods in months.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))
