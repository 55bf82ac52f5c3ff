"""Calendar feeds: a private address per person with their due dates, review
deadlines and certificate expiries; a team feed for managers; parsed back with the
icalendar parser."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from automation.calendars import calendar_feed_for
from automation.models import CalendarFeed
from certificates.models import Certificate
from coaching.models import Submission
from courses import services
from courses.models import Assignment
from lms.lib.ics import event_uid
from tests.factories import (
    CoursePageFactory,
    LessonPageFactory,
    make_program,
    make_rubric,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def course():
    course = CoursePageFactory(title="Discovery calls")
    LessonPageFactory(parent=course, title="Why discovery")
    return course


def _assign(person, course, day: dt.date) -> Assignment:
    due = dt.datetime.combine(
        day, dt.time(23, 59, 59), tzinfo=zoneinfo.ZoneInfo(person.time_zone)
    )
    assignment, _ = services.assignment_create(
        user=person, course=course, reason=Assignment.Reason.MANUAL, due_at=due
    )
    return assignment


def _feed(client, person, *, team: bool = False):
    token = calendar_feed_for(user=person).token
    name = "calendar_team_feed" if team else "calendar_feed"
    return client.get(reverse(name, args=[token]))


def _events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_it_lists_a_persons_due_dates_as_whole_days_in_their_zone(client, org, course):
    org.rep_east.time_zone = "Pacific/Auckland"
    org.rep_east.save()
    assignment = _assign(org.rep_east, course, dt.date(2026, 12, 4))

    events = _events(_feed(client, org.rep_east))

    event = events[event_uid("assignment", assignment.pk)]
    assert event.decoded("DTSTART") == dt.date(2026, 12, 4)
    assert str(event["SUMMARY"]) == "Due: Discovery calls"
    assert int(event["SEQUENCE"]) == 0


def test_it_moves_the_event_and_raises_its_sequence_when_the_due_date_moves(
    client, org, course
):
    assignment = _assign(org.rep_east, course, dt.date(2026, 12, 4))
    uid = event_uid("assignment", assignment.pk)
    assert int(_events(_feed(client, org.rep_east))[uid]["SEQUENCE"]) == 0
    assert int(_events(_feed(client, org.rep_east))[uid]["SEQUENCE"]) == 0

    assignment.due_at = assignment.due_at + dt.timedelta(days=7)
    assignment.save()
    event = _events(_feed(client, org.rep_east))[uid]

    assert event.decoded("DTSTART") == dt.date(2026, 12, 11)
    assert int(event["SEQUENCE"]) == 1


def test_it_leaves_out_completed_and_withdrawn_training(client, org, course):
    done = _assign(org.rep_east, course, dt.date(2026, 12, 4))
    done.completed_at = NOW
    done.save()
    other = CoursePageFactory(title="Demo skills")
    withdrawn = _assign(org.rep_east, other, dt.date(2026, 12, 5))
    services.assignment_unassign(assignment=withdrawn)

    assert _events(_feed(client, org.rep_east)) == {}


def test_it_shows_certificate_expiries(client, org):
    program = make_program("Certified Discovery Seller", [])
    certificate = Certificate.objects.create(
        program=program,
        user=org.rep_east,
        serial="2026-0001",
        verification_code="abc",
        holder_name=org.rep_east.full_name,
        program_title=program.title,
        expires_at=dt.datetime(2027, 1, 15, 12, tzinfo=dt.UTC),
    )

    events = _events(_feed(client, org.rep_east))

    event = events[event_uid("certificate-expiry", certificate.pk)]
    assert event.decoded("DTSTART") == dt.date(2027, 1, 15)
    assert "Certified Discovery Seller" in str(event["SUMMARY"])


def test_it_shows_a_coach_the_deadlines_of_reviews_routed_to_them_only(client, org):
    rubric = make_rubric("Discovery call")
    due = dt.datetime(2026, 11, 25, 17, tzinfo=dt.UTC)
    mine = Submission.objects.create(
        kind=Submission.Kind.CALL,
        rep=org.rep_east,
        title="Acme call",
        rubric=rubric,
        state=Submission.State.REQUESTED,
        due_at=due,
    )
    Submission.objects.create(
        kind=Submission.Kind.CALL,
        rep=org.rep_north,
        title="Not for Cora",
        rubric=rubric,
        state=Submission.State.REQUESTED,
        due_at=due,
    )

    events = _events(_feed(client, org.east_coach))

    assert list(events) == [event_uid("review-deadline", mine.pk)]
    assert events[event_uid("review-deadline", mine.pk)].decoded("DTSTART") == due
    assert _events(_feed(client, org.rep_east)) == {}


def test_it_gives_a_manager_the_due_dates_of_their_subtree_only(client, org, course):
    east = _assign(org.rep_east, course, dt.date(2026, 12, 4))
    west = _assign(org.rep_west, course, dt.date(2026, 12, 5))
    _assign(org.rep_north, course, dt.date(2026, 12, 6))

    region = _events(_feed(client, org.region_manager, team=True))
    team = _events(_feed(client, org.east_manager, team=True))

    assert set(region) == {
        event_uid("team-assignment", east.pk),
        event_uid("team-assignment", west.pk),
    }
    assert set(team) == {event_uid("team-assignment", east.pk)}
    assert str(team[event_uid("team-assignment", east.pk)]["SUMMARY"]) == (
        "Rae East: Discovery calls"
    )


def test_it_has_no_team_feed_for_reps(client, org):
    assert _feed(client, org.rep_east, team=True).status_code == 404


def test_it_refuses_an_unknown_token(client, db):
    assert client.get(reverse("calendar_feed", args=["nope"])).status_code == 404


def test_it_refuses_the_feed_of_a_deactivated_person(client, org):
    token = calendar_feed_for(user=org.rep_east).token
    org.rep_east.is_active = False
    org.rep_east.save()
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404


def test_it_replaces_the_address_so_the_old_one_stops_working(client, org):
    old = calendar_feed_for(user=org.rep_east).token
    client.force_login(org.rep_east)

    response = client.post(reverse("calendar_reset"))

    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=org.rep_east).token
    assert new != old and len(new) >= 40
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 200


def test_it_resets_only_by_post_and_only_signed_in(client, org):
    assert client.post(reverse("calendar_reset")).status_code == 302
    assert not CalendarFeed.objects.exists()
    client.force_login(org.rep_east)
    assert client.get(reverse("calendar_reset")).status_code == 405


def test_the_settings_page_shows_the_team_address_to_managers_only(client, org):
    client.force_login(org.rep_east)
    page = client.get(reverse("calendar_settings"))
    assert page.status_code == 200
    assert b"/team.ics" not in page.content

    client.force_login(org.east_manager)
    page = client.get(reverse("calendar_settings"))
    token = CalendarFeed.objects.get(user=org.east_manager).token
    assert f"/calendar/{token}/team.ics".encode() in page.content


def test_the_profile_page_links_to_the_calendar_feed(client, org):
    client.force_login(org.rep_east)
    page = client.get(reverse("profile"))
    assert reverse("calendar_settings").encode() in page.content


def test_a_feeds_queries_do_not_grow_with_its_events(client, org, course):
    """Counted on the second fetch, once every event's revision is known."""

    def queries_for_feed() -> int:
        _feed(client, org.region_manager, team=True)
        with CaptureQueriesContext(connection) as queries:
            assert _feed(client, org.region_manager, team=True).status_code == 200
        return len(queries)

    _assign(org.rep_east, course, dt.date(2026, 12, 4))
    few = queries_for_feed()
    for number in range(6):
        person = org.rep_west if number % 2 else org.rep_east2
        _assign(
            person, CoursePageFactory(title=f"Course {number}"), dt.date(2026, 12, 5)
        )

    assert queries_for_feed() == few


def test_it_limits_feed_requests_per_address_before_looking_anything_up(
    client, org, settings
):
    settings.CALENDAR_FEED_RATE_PER_MINUTE = 2
    token = calendar_feed_for(user=org.rep_east).token
    url = reverse("calendar_feed", args=[token])
    assert client.get(url).status_code == 200
    assert client.get(reverse("calendar_feed", args=["guess"])).status_code == 404

    with CaptureQueriesContext(connection) as queries:
        limited = client.get(url)

    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert len(queries) == 0
    assert client.get(url, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_the_feed_keeps_to_rfc_5545_for_calendar_clients(client, org):
    """CRLF lines folded at 75 octets, the required properties, and text with
    commas, semicolons and non-Latin letters escaped and read back intact."""
    title = "Objections, pricing; and Żółć's “demo” " + "long " * 20
    _assign(org.rep_east, CoursePageFactory(title=title.strip()), dt.date(2026, 12, 4))

    response = _feed(client, org.rep_east)

    lines = response.content.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR"
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in response.content.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    (event,) = calendar.walk("VEVENT")
    for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY"):
        assert required in event
    assert str(event["SUMMARY"]) == f"Due: {title.strip()}"
