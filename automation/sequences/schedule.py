"""When a step falls due: delays in business days or hours, and quiet hours, on
the person's own clock (their time zone, daylight saving time included). Pure
functions: no database."""

from __future__ import annotations

import datetime as dt
import zoneinfo

SATURDAY = 5


def add_business_days(day: dt.date, count: int) -> dt.date:
    """The date `count` working days (Monday to Friday) after `day`."""
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < SATURDAY:
            count -= 1
    return day


def step_due_at(
    anchor: dt.datetime, *, delay: int, unit: str, zone: zoneinfo.ZoneInfo
) -> dt.datetime:
    """The step's moment: `delay` hours after the trigger, or the trigger's local time
    of day `delay` days (or working days) later on the person's calendar, so that a
    9:00 start stays at 9:00 across a change to or from summer time."""
    if unit == "hours":
        return anchor + dt.timedelta(hours=delay)
    if delay == 0:
        return anchor
    local = anchor.astimezone(zone)
    if unit == "days":
        day = local.date() + dt.timedelta(days=delay)
    else:
        day = add_business_days(local.date(), delay)
    return dt.datetime.combine(day, local.time(), tzinfo=zone).astimezone(dt.UTC)


def in_quiet_hours(
    moment: dt.datetime,
    *,
    quiet_from: dt.time,
    quiet_until: dt.time,
    zone: zoneinfo.ZoneInfo,
) -> bool:
    """Whether the moment falls in the quiet hours on the person's clock. The
    window may wrap midnight (20:00–08:00); equal times mean no quiet hours."""
    if quiet_from == quiet_until:
        return False
    local = moment.astimezone(zone).time()
    if quiet_from < quiet_until:
        return quiet_from <= local < quiet_until
    return local >= quiet_from or local < quiet_until


def after_quiet_hours(
    moment: dt.datetime,
    *,
    quiet_from: dt.time,
    quiet_until: dt.time,
    zone: zoneinfo.ZoneInfo,
) -> dt.datetime:
    """The moment itself, or, inside the quiet hours, the end of them: the next
    `quiet_until` on the person's clock."""
    if not in_quiet_hours(
        moment, quiet_from=quiet_from, quiet_until=quiet_until, zone=zone
    ):
        return moment
    local = moment.astimezone(zone)
    day = local.date() if local.time() < quiet_until else local.date() + dt.timedelta(1)
    return dt.datetime.combine(day, quiet_until, tzinfo=zone).astimezone(dt.UTC)
