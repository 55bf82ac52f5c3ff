"""The story the seeded demo must tell on any day (DEMO.md), checked by
tests/test_seed_demo.py at an awkward instant: progress that fits each rep's start
date, a few reps in trouble, and every cohort ramp analytics compares."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from dashboards.ramp import LATE, NOT_FINISHED, ON_TIME, ramp_analytics
from dashboards.team import TeamFilters, team_view
from lms.accounts.models import User
from media.demo import made_files_kept_in
from tests.parallel import RUN_DIR_VARIABLE


def person(first_name: str) -> User:
    return User.objects.get(email=f"{first_name}@northwind.example")


def seed_demo_output() -> str:
    """Seed the demo; its media files are made once per test run, and the seeds
    after the first (other instants, other test processes) reuse them."""
    out = StringIO()
    with made_files_kept_in(Path(os.environ[RUN_DIR_VARIABLE]) / "demo-media"):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def seeded_at(instant: dt.datetime, django_db_blocker: Any) -> Iterator[str]:
    """For a module fixture: the whole demo seeded once at `instant` (the clock
    ticks on from there while the module's tests run), rolled back afterwards.
    Yields what seed_demo printed."""
    with django_db_blocker.unblock(), time_machine.travel(instant, tick=True):
        with transaction.atomic():
            yield seed_demo_output()
            transaction.set_rollback(True)


def assert_story_holds() -> None:
    """My team and ramp analytics, for both regional managers, as DEMO.md tells."""
    for manager in ("daniel", "hannah"):
        view = team_view(viewer=person(manager), filters=TeamFilters())
        rows = {row.person.email.split("@")[0]: row for row in view.rows}
        overdue = [name for name, row in rows.items() if row.overdue]
        # A few people in trouble, not most of the team.
        assert 1 <= len(overdue) <= 3, (manager, overdue)
        assert view.tiles["on_track"] >= view.tiles["people"] - 3
        today = timezone.localdate()
        for name, row in rows.items():
            days = (today - row.person.start_date).days
            done = row.lessons_done / row.lessons_total
            if days > 60 and name not in overdue:
                assert done == 1, (name, days, done)  # veterans finished
            if days < 30:
                assert 0 < done < 1 or days < 3, (name, days, done)
                assert not row.overdue, name  # new hires are on track
        cohorts = {
            cohort.name: cohort
            for cohort in ramp_analytics(
                viewer=person(manager), filters=TeamFilters()
            ).cohorts
        }
        assert {ON_TIME, LATE, NOT_FINISHED} <= set(cohorts), (manager, cohorts)
        assert cohorts[ON_TIME].reps > cohorts[LATE].reps  # mostly on time
        assert (
            cohorts[ON_TIME].median_days_to_first_deal
            <= cohorts[LATE].median_days_to_first_deal
        )
    americas = team_view(viewer=person("daniel"), filters=TeamFilters())
    overdue_of = {row.person.email: row.overdue for row in americas.rows}
    assert overdue_of["luis@northwind.example"] == 2  # DEMO.md: two steps overdue
