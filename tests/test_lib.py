"""The shared helpers in lms/lib: addresses, clock, charts, mail retries, lookups."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from smtplib import SMTPException

import pygal
import pytest
from django.utils import timezone

from lms.lib import clock
from lms.lib.charts import chart_options, chart_svg
from lms.lib.mail import MAIL_RETRY
from lms.lib.urls import absolute_url, site_url


def test_it_builds_full_addresses_from_site_url(settings):
    settings.SITE_URL = "https://learn.example.com"
    assert site_url("/certificates/") == "https://learn.example.com/certificates/"
    assert absolute_url("certificate_verify", "abc123").startswith(
        "https://learn.example.com/"
    )
    assert absolute_url("certificate_verify", "abc123").endswith("abc123/")


def test_it_reads_a_persons_zone_and_falls_back_to_the_sites(settings):
    settings.TIME_ZONE = "UTC"
    assert clock.zone("Europe/Berlin") == zoneinfo.ZoneInfo("Europe/Berlin")
    assert clock.zone("Not/A_Zone") == zoneinfo.ZoneInfo("UTC")
    assert clock.zone("") == zoneinfo.ZoneInfo("UTC")
    assert clock.zone(None) == zoneinfo.ZoneInfo("UTC")


def test_it_gives_today_on_the_persons_calendar(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC), tick=False)
    assert clock.today("UTC") == dt.date(2026, 3, 1)
    assert clock.today("Asia/Dhaka") == dt.date(2026, 3, 2)
    assert clock.today("America/Los_Angeles") == dt.date(2026, 3, 1)
    assert clock.now() == dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Asia/Dhaka")):  # a signed-in person's
        assert clock.today() == dt.date(2026, 3, 2)


def test_it_places_days_in_the_named_zone():
    day = dt.date(2026, 3, 29)  # Europe/Berlin moves to summer time that night
    end = clock.end_of_day(day, "Europe/Berlin")
    assert end.utcoffset() == dt.timedelta(hours=2)
    assert (end.hour, end.minute, end.second) == (23, 59, 59)
    start = clock.start_of_day(day, "Europe/Berlin")
    assert start.utcoffset() == dt.timedelta(hours=1)
    assert clock.local_date(end, "UTC") == day
    assert clock.local_date(None, "UTC") is None


def test_it_draws_charts_without_scripts():
    chart = pygal.Line(**chart_options(title="Scores <b>", range=(1, 5)))
    chart.x_labels = ["Jan", "Feb"]
    chart.add("Score", [3, 4])
    svg = chart_svg(chart)
    assert "<svg" in svg
    assert "<script" not in svg
    assert "Scores &lt;b&gt;" in svg


def test_charts_draw_bengali_labels_in_the_pages_bengali_face():
    chart = pygal.Line(**chart_options(title="স্কোর"))
    chart.add("স্কোর", [3, 4])

    svg = chart_svg(chart)

    # site.css's face, Bengali letters only: without it a system with no Bengali
    # font draws boxes (the SVG is placed in the page, so the page's fonts apply).
    assert 'font-family:"Onramp Bengali",system-ui,sans-serif' in svg


def test_it_retries_mail_jobs_on_transient_errors_only():
    assert set(MAIL_RETRY["autoretry_for"]) == {
        SMTPException,
        ConnectionError,
        TimeoutError,
    }
    assert MAIL_RETRY["retry_backoff"] is True


def test_it_gives_the_signed_in_person_of_a_request(rf, org):
    from django.contrib.auth.models import AnonymousUser

    from lms.lib.requests import signed_in_user

    request = rf.get("/")
    request.user = org.rep_east
    assert signed_in_user(request) == org.rep_east
    request.user = AnonymousUser()
    with pytest.raises(PermissionError):
        signed_in_user(request)


@pytest.mark.django_db
def test_any_of_selects_the_rows_whose_id_is_listed_in_one_parameter():
    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext

    from lms.accounts.models import User
    from lms.lib.lookups import AnyOf
    from tests.factories import RepFactory

    people = [RepFactory() for _ in range(3)]
    chosen = [people[0].pk, people[2].pk, 10**9]
    with CaptureQueriesContext(connection) as captured:
        found = set(User.objects.filter(AnyOf(F("pk"), chosen)).values_list("pk"))
    assert found == {(people[0].pk,), (people[2].pk,)}
    if connection.vendor == "postgresql":
        assert "= ANY(" in captured[0]["sql"]
    assert not User.objects.filter(AnyOf(F("pk"), [])).exists()
    in_a_join = User.objects.filter(AnyOf(F("team__id"), [people[1].team_id]))
    assert list(in_a_join) == [people[1]]
