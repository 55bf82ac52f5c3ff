"""The demo organisation: the cast of DEMO.md, idempotent, with printed logins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from courses.demo import load_catalogue
from courses.models import CourseIndexPage, CoursePage
from courses.selectors import course_cards
from lms.accounts import visibility
from lms.accounts.models import Team, User
from media.models import MediaAsset

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_builds_the_northwind_cast_and_prints_the_logins():
    output = _seed()
    assert "maya@northwind.example" in output
    assert "onramp-demo" in output
    assert Team.objects.count() == 6
    assert User.objects.filter(team__isnull=False).count() == 25  # 24 reps + Sofia

    maya = User.objects.get(email="maya@northwind.example")
    assert maya.check_password("onramp-demo")
    assert maya.team.name == "Americas East"
    assert maya.day_number == 11
    priya = User.objects.get(email="priya@northwind.example")
    assert priya.is_enablement_admin
    daniel = User.objects.get(email="daniel@northwind.example")
    assert {t.name for t in visibility.managed_teams(daniel)} == {
        "Americas",
        "Americas East",
        "Americas West",
    }
    aiko = User.objects.get(email="aiko@northwind.example")
    assert {t.name for t in aiko.coached_teams.all()} == {"EMEA North", "EMEA South"}
    assert User.objects.get(email="lucia@northwind.example").full_name == "Lucía García"
    pitch = MediaAsset.objects.get(owner=maya)
    index = CourseIndexPage.objects.get()
    titles = [c.title for c in CoursePage.objects.child_of(index).order_by("path")]
    assert titles[:6] == [course.title for course in load_catalogue().onboarding]
    demo_skills = CoursePage.objects.get(title="Demo skills")
    assert demo_skills.lessons().first().video.status == "ready"
    outlines = {o.course.title: o.percent for o in course_cards(user=maya, index=index)}
    assert outlines["Northwind and its product"] == 100
    assert outlines["Discovery calls"] == 0
    assert (pitch.title, pitch.status) == ("Pricing objection practice", "ready")
    assert pitch.is_video


def test_it_can_run_again_without_duplicating_anything():
    _seed()
    counts = (User.objects.count(), Team.objects.count(), MediaAsset.objects.count())
    _seed()
    assert (
        User.objects.count(),
        Team.objects.count(),
        MediaAsset.objects.count(),
    ) == counts
