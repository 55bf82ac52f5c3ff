"""SCORM packages and the lesson steps that play them. A package keeps every version
uploaded; a step plays its package's newest version, and each attempt stays tied to
the version it was started on (with its SCOs), so updating a package never mixes
one version's tracking data into another's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from courses.models import LessonPage
from courses.scorm.packaging import STANDARD_NAMES


class ScormPackage(models.Model):
    """A SCORM package as enablement admins know it ("Objection handling, Storyline
    export"): uploaded in the admin or with `manage.py import_scorm`, updated by
    uploading a new version."""

    title = models.CharField(max_length=255, verbose_name=_("title"))
    created_at = models.DateTimeField(
        default=timezone.now, verbose_name=pgettext_lazy("SCORM package", "created at")
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")

    def __str__(self) -> str:
        return self.title

    @property
    def current_version(self) -> ScormPackageVersion | None:
        return self.versions.order_by("-number").first()


class ScormPackageVersion(models.Model):
    """One upload of a package: its files (in the private storage, under
    `scorm/<folder>/`), the files that may be served, and its SCOs."""

    class Standard(models.TextChoices):
        SCORM_12 = "1.2", STANDARD_NAMES["1.2"]
        SCORM_2004 = "2004", STANDARD_NAMES["2004"]

    package = models.ForeignKey(
        ScormPackage, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    standard = models.CharField(max_length=8, choices=Standard.choices)
    schema_version = models.CharField(max_length=64, blank=True)
    manifest_identifier = models.CharField(max_length=255, blank=True)
    folder = models.CharField(max_length=64, unique=True)
    served_files = models.JSONField(default=list)
    size_bytes = models.PositiveBigIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["package", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "number"], name="one_scorm_version_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.package} v{self.number} ({self.get_standard_display()})"

    def storage_name(self, path: str) -> str:
        return f"scorm/{self.folder}/{path}"


class Sco(models.Model):
    """A launchable item of a version's default organisation, in manifest order.
    `mastery_score` (SCORM 1.2, 0-100) and `scaled_passing_score` (SCORM 2004,
    -1..1) come from the manifest and decide passing when the SCO reports a score."""

    version = models.ForeignKey(
        ScormPackageVersion, on_delete=models.CASCADE, related_name="scos"
    )
    position = models.PositiveSmallIntegerField()
    identifier = models.CharField(max_length=255)
    title = models.CharField(max_length=255)
    launch = models.CharField(max_length=2000)
    mastery_score = models.DecimalField(
        max_digits=7, decimal_places=4, null=True, blank=True
    )
    scaled_passing_score = models.DecimalField(
        max_digits=7, decimal_places=4, null=True, blank=True
    )
    launch_data = models.TextField(blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="one_sco_per_position"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ScormPage(LessonPage):
    """A lesson step that plays a SCORM package in the browser. It is complete once
    every required SCO of the package reports completed or passed (per the mastery
    score from the manifest, when the SCO reports a score)."""

    package = models.ForeignKey(
        ScormPackage,
        on_delete=models.PROTECT,
        related_name="pages",
        verbose_name=_("SCORM package"),
    )

    content_panels = [
        *LessonPage.content_panels,
        MultiFieldPanel([FieldPanel("package")], heading=_("SCORM package")),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("SCORM page")
        verbose_name_plural = _("SCORM pages")

    def how_to_complete(self) -> str:
        return str(_("This step is complete once you finish its course package."))

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        from courses.scorm.selectors import scorm_page_context
        from lms.lib.requests import signed_in_user

        context = super().get_context(request, *args, **kwargs)
        context.update(scorm_page_context(user=signed_in_user(request), page=self))
        return context


class ScormAttempt(models.Model):
    """One go at a SCORM step, created when the person launches it, on the version
    current then. Its `token` (random, per attempt) is what the player must present
    with every commit: a client that never launched has none."""

    page = models.ForeignKey(
        ScormPage, null=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    page_title = models.CharField(max_length=255)
    version = models.ForeignKey(
        ScormPackageVersion, on_delete=models.PROTECT, related_name="attempts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="scorm_attempts",
    )
    number = models.PositiveSmallIntegerField()
    token = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "user", "number"], name="one_scorm_attempt_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.page_title} · attempt {self.number}"


class ScoState(models.Model):
    """What one SCO reported in one attempt: the CMI values Onramp keeps (checked
    field by field, see cmi.py), and the statuses read from them."""

    attempt = models.ForeignKey(
        ScormAttempt, on_delete=models.CASCADE, related_name="sco_states"
    )
    sco = models.ForeignKey(Sco, on_delete=models.PROTECT, related_name="+")
    cmi = models.JSONField(default=dict)
    completion_status = models.CharField(max_length=16, default="not attempted")
    success_status = models.CharField(max_length=16, default="unknown")
    score_scaled = models.DecimalField(
        max_digits=8, decimal_places=7, null=True, blank=True
    )
    # Time spent in earlier sessions, and in the current one (a session is one
    # launch of the player: it sends its own key; a SCO may report its session time
    # in several commits, and only the last report of a session counts).
    earlier_seconds = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0")
    )
    session_key = models.CharField(max_length=64, blank=True)
    session_seconds = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0")
    )
    done = models.BooleanField(default=False)
    commits = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "sco"], name="one_state_per_attempt_sco"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.sco}"

    @property
    def total_seconds(self) -> Decimal:
        return self.earlier_seconds + self.session_seconds
