"""The demo organisation: the cast of DEMO.md, its program and certificates,
idempotent, with printed logins. One seed serves the module (`seeded_demo`)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent, CertificationProgram
from certificates.services import program_progress
from courses.demo_content import ONBOARDING_COURSES
from courses.models import Assignment, CourseIndexPage, CoursePage
from courses.selectors import course_cards
from lms.accounts import visibility
from lms.accounts.models import Team, User
from media.models import MediaAsset

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.xdist_group("demo_seed"),  # one process, one seed (seeded_demo)
]


def _person(first_name: str) -> User:
    return User.objects.get(email=f"{first_name}@northwind.example")


def test_it_builds_the_northwind_cast_and_prints_the_logins(seeded_demo):
    output = seeded_demo
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
    assert titles[:6] == [course.title for course in ONBOARDING_COURSES]
    demo_skills = CoursePage.objects.get(title="Demo skills")
    assert demo_skills.lessons().first().video.status == "ready"
    outlines = {o.course.title: o.percent for o in course_cards(user=maya, index=index)}
    assert outlines["Northwind and its product"] == 100
    assert outlines["Discovery calls"] == 0
    assert (pitch.title, pitch.status) == ("Pricing objection practice", "ready")
    assert pitch.is_video


def test_it_can_run_again_without_duplicating_anything(seeded_demo):
    counts = (User.objects.count(), Team.objects.count(), MediaAsset.objects.count())
    serials = set(Certificate.objects.values_list("serial", flat=True))
    call_command("seed_demo", stdout=StringIO())
    assert (
        User.objects.count(),
        Team.objects.count(),
        MediaAsset.objects.count(),
    ) == counts
    assert set(Certificate.objects.values_list("serial", flat=True)) == serials
    assert CertificationProgram.objects.count() == 1


def test_it_seeds_the_program_and_certificates_in_every_state(seeded_demo):
    program = CertificationProgram.objects.get(title="Certified Discovery Seller")
    assert program.validity_months == 12
    assert program.renewal_window_days == 30
    assert [
        (r.kind, str(r.path or r.quiz or r.rubric), r.min_percent, r.min_reviews)
        for r in program.requirements.order_by("sort_order")
    ] == [
        ("path", "First 30 days", None, 1),
        ("quiz", "Discovery calls quiz", 80, 1),
        ("reviews", "Discovery call", None, 2),
    ]
    now = timezone.now()

    grace = Certificate.objects.get(user=_person("grace"))
    assert grace.status == Certificate.Status.ACTIVE
    assert grace.events.get().action == CertificateEvent.Action.ISSUED
    assert program_progress(user=_person("grace"), program=program).holds_valid

    jonas = Certificate.objects.get(user=_person("jonas"))
    assert jonas.status == Certificate.Status.ACTIVE
    assert now < jonas.expires_at <= now + dt.timedelta(days=30)
    assert jonas.renewal_opened_at is not None
    assert Assignment.objects.filter(
        user=_person("jonas"),
        reason=Assignment.Reason.RECERTIFICATION,
        course__title="Discovery calls",
    ).exists()

    sofia = Certificate.objects.get(user=_person("sofia"))
    assert sofia.status == Certificate.Status.REVOKED
    assert sofia.revoked_reason
    assert sofia.revoked_by == _person("priya")

    elena = Certificate.objects.get(user=_person("elena"))
    assert elena.status == Certificate.Status.EXPIRED
    assert elena.expires_at < now
