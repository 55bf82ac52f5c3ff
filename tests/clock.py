"""One switch that starts the whole test run at a chosen instant.

`ONRAMP_TEST_NOW` is an ISO 8601 instant with an offset, for example
`2026-12-06T03:05:00+00:00`. When it is set, the clock of every process of the run
(pytest, its live server and the Celery workers it starts) reads that instant at the
moment pytest started and ticks on from there, so a run can be placed on a Sunday
night, a DST change or a leap day. The workers start later than pytest; they inherit
pytest's real start time (`ONRAMP_TEST_REAL_START`) and so share its clock.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import time_machine

NOW_VARIABLE = "ONRAMP_TEST_NOW"
REAL_START_VARIABLE = "ONRAMP_TEST_REAL_START"

_traveller: time_machine.travel | None = None


def instant_from_env() -> dt.datetime | None:
    """The instant `ONRAMP_TEST_NOW` names, or None; a clear error if malformed."""
    text = os.environ.get(NOW_VARIABLE, "").strip()
    if not text:
        return None
    try:
        instant = dt.datetime.fromisoformat(text)
    except ValueError as error:
        raise SystemExit(
            f"{NOW_VARIABLE}={text!r} is not an ISO 8601 instant "
            "(for example 2026-12-06T03:05:00+00:00)."
        ) from error
    if instant.tzinfo is None:
        raise SystemExit(
            f"{NOW_VARIABLE}={text!r} needs an offset (e.g. +00:00) to name an instant."
        )
    return instant


def travel_from_env() -> dt.datetime | None:
    """Start this process's clock at the run's instant; idempotent. Returns "now"."""
    global _traveller
    instant = instant_from_env()
    if instant is None or _traveller is not None:
        return instant
    real_start = float(os.environ.setdefault(REAL_START_VARIABLE, repr(time.time())))
    elapsed = dt.timedelta(seconds=max(time.time() - real_start, 0))
    _traveller = time_machine.travel(instant + elapsed, tick=True)
    _traveller.start()
    return instant + elapsed
