"""When steps fall due on the person's clock: working days, quiet hours across
time zones and changes to and from summer time."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from automation.sequences.schedule import (
    add_business_days,
    after_quiet_hours,
    in_quiet_hours,
    step_due_at,
)

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
QUIET = {"quiet_from": dt.time(20, 0), "quiet_until": dt.time(8, 0)}


def test_working_days_skip_the_weekend():
    friday = dt.date(2026, 11, 27)
    assert add_business_days(friday, 1) == dt.date(2026, 11, 30)
    assert add_business_days(friday, 5) == dt.date(2026, 12, 4)


def test_a_working_day_step_keeps_its_local_time_across_the_end_of_summer_time():
    # Friday 30 October 2026, 09:00 in New York (EDT, UTC-4); summer time ends on
    # Sunday 1 November.
    anchor = dt.datetime(2026, 10, 30, 13, 0, tzinfo=dt.UTC)

    due = step_due_at(anchor, delay=1, unit="business_days", zone=NEW_YORK)

    assert due.astimezone(NEW_YORK).time() == dt.time(9, 0)
    assert due == dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.UTC)  # EST, UTC-5


def test_an_hours_step_counts_real_hours_through_the_change():
    anchor = dt.datetime(2026, 3, 28, 22, 0, tzinfo=dt.UTC)  # 23:00 in Berlin
    due = step_due_at(anchor, delay=10, unit="hours", zone=BERLIN)
    assert due.astimezone(BERLIN) == dt.datetime(2026, 3, 29, 10, 0, tzinfo=BERLIN)


def test_quiet_hours_end_at_the_persons_8_oclock_on_either_side_of_the_change():
    # 02:00 in Berlin on the night summer time begins (29 March 2026) and on the
    # night it ends (25 October 2026): the message waits for 08:00 local each time.
    spring = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)
    autumn = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)

    assert after_quiet_hours(spring, zone=BERLIN, **QUIET) == dt.datetime(
        2026, 3, 29, 6, 0, tzinfo=dt.UTC
    )
    assert after_quiet_hours(autumn, zone=BERLIN, **QUIET) == dt.datetime(
        2026, 10, 25, 7, 0, tzinfo=dt.UTC
    )


def test_the_same_instant_is_quiet_in_one_zone_and_not_in_another():
    instant = dt.datetime(2026, 11, 23, 13, 0, tzinfo=dt.UTC)
    assert not in_quiet_hours(instant, zone=NEW_YORK, **QUIET)  # 08:00
    assert in_quiet_hours(instant, zone=zoneinfo.ZoneInfo("Asia/Tokyo"), **QUIET)
    evening = dt.datetime(2026, 11, 23, 20, 30, tzinfo=dt.UTC)  # 21:30 in Berlin
    assert after_quiet_hours(evening, zone=BERLIN, **QUIET) == dt.datetime(
        2026, 11, 24, 7, 0, tzinfo=dt.UTC
    )


def test_a_window_within_the_day_and_no_window():
    lunch = {"quiet_from": dt.time(12, 0), "quiet_until": dt.time(13, 0)}
    noon = dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.UTC)  # 12:30 in New York
    assert after_quiet_hours(noon, zone=NEW_YORK, **lunch) == dt.datetime(
        2026, 11, 23, 18, 0, tzinfo=dt.UTC
    )
    never = {"quiet_from": dt.time(8, 0), "quiet_until": dt.time(8, 0)}
    assert not in_quiet_hours(noon, zone=NEW_YORK, **never)
