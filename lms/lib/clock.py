"""The clock, and dates on a person's calendar.

Code asks this clock for "now" and "today". Dates people read (a due date, a
certificate's issue date, "today" for a start date) are dates in their own time zone,
from their profile; the site's zone (TIME_ZONE) stands in where their zone is unknown.
Tests set the instant with time-machine, which this clock follows.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone


def now() -> dt.datetime:
    """This instant (aware, UTC)."""
    return timezone.now()


def zone(name: str | None = None) -> zoneinfo.ZoneInfo:
    """The named time zone (a person's `time_zone`), else the site's."""
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def today(zone_name: str | None = None) -> dt.date:
    """Today's date in the named zone (a person's); without one, in the zone in force
    (the signed-in person's during their request, else the site's)."""
    if zone_name is None:
        return timezone.localdate()
    return timezone.localdate(timezone=zone(zone_name))


def local_date(moment: dt.datetime | None, zone_name: str | None) -> dt.date | None:
    """The date of this moment on the calendar of the named zone; None for none."""
    return timezone.localtime(moment, zone(zone_name)).date() if moment else None


def start_of_day(day: dt.date, zone_name: str | None) -> dt.datetime:
    """The first instant of this day in the named zone."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone(zone_name))


def end_of_day(day: dt.date, zone_name: str | None) -> dt.datetime:
    """The last second of this day in the named zone: when something due that day
    falls due (DST and far-away teams included)."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone(zone_name))
