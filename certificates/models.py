"""Certification: programs with requirements, certificates earned by evidence the
server holds, their PDFs, verification, expiry and renewal, and an audit log that
nobody can edit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from lms.lib.urls import absolute_url
from lms.pages import in_source_language_only


class CertificationProgram(ClusterableModel):
    """What it takes to be certified (a list of requirements, all of which must be
    met), how long the certificate stays valid, and what a holder does to renew it.
    Enablement admins edit programs in Wagtail."""

    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    validity_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Leave empty for certificates that never expire."),
    )
    renewal_window_days = models.PositiveSmallIntegerField(
        default=30, help_text=_("Renewal opens this many days before expiry.")
    )
    renewal_path = models.ForeignKey(
        "courses.LearningPath",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Assigned when renewal opens (or choose a course)."),
    )
    renewal_course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=in_source_language_only,
    )
    active = models.BooleanField(
        default=True, help_text=_("Inactive programs issue no new certificates.")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        InlinePanel(
            "requirements", heading=_("Requirements (all must be met)"), min_num=1
        ),
        MultiFieldPanel(
            [
                FieldPanel("validity_months"),
                FieldPanel("renewal_window_days"),
                FieldPanel("renewal_path"),
                FieldPanel("renewal_course"),
            ],
            heading=_("Validity and renewal"),
        ),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # A window as long as the validity would open renewal on the day of issue.
        if (
            self.validity_months
            and self.renewal_window_days >= self.validity_months * 28
        ):
            raise ValidationError(
                {
                    "renewal_window_days": _(
                        "Renewal must open after the certificate is issued: make "
                        "the window shorter than the validity period."
                    )
                }
            )


class ProgramRequirement(Orderable):
    """One piece of evidence a program asks for."""

    class Kind(models.TextChoices):
        PATH_COMPLETED = "path", _("Learning path completed")
        COURSE_COMPLETED = "course", _("Course completed")
        QUIZ_PASSED = "quiz", _("Quiz passed with at least X%")
        REVIEWS_APPROVED = "reviews", _("N approved coaching reviews on a rubric")

    program = ParentalKey(
        CertificationProgram, on_delete=models.CASCADE, related_name="requirements"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    path = models.ForeignKey(
        "courses.LearningPath",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=in_source_language_only,
    )
    quiz = models.ForeignKey(
        "quizzes.QuizPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=in_source_language_only,
    )
    min_percent = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Quiz: the lowest score that counts (empty: the quiz's pass mark)."
        ),
    )
    rubric = models.ForeignKey(
        "coaching.Rubric",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_reviews = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)]
    )
    min_score = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Reviews: the lowest weighted score (1–5) that counts."),
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("path"),
        FieldPanel("course"),
        FieldPanel("quiz"),
        FieldPanel("min_percent"),
        FieldPanel("rubric"),
        FieldPanel("min_reviews"),
        FieldPanel("min_score"),
    ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        needed: dict[str, tuple[str, int | None]] = {
            self.Kind.PATH_COMPLETED: ("path", self.path_id),
            self.Kind.COURSE_COMPLETED: ("course", self.course_id),
            self.Kind.QUIZ_PASSED: ("quiz", self.quiz_id),
            self.Kind.REVIEWS_APPROVED: ("rubric", self.rubric_id),
        }
        if self.kind in needed:
            field, value = needed[self.kind]
            if value is None:
                raise ValidationError({field: _("This requirement needs one.")})


class Certificate(models.Model):
    """A certificate issued to a person for a program, in one cycle (the first
    certification is cycle 1, each renewal the next). It keeps the name and program
    title as they were when issued; every cycle stays in the history."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", pgettext_lazy("certificate", "Revoked")

    program = models.ForeignKey(
        CertificationProgram, on_delete=models.PROTECT, related_name="certificates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    cycle = models.PositiveSmallIntegerField(default=1)
    serial = models.CharField(max_length=32, unique=True)
    verification_code = models.CharField(
        max_length=64, unique=True, help_text=_("Random; never the primary key.")
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    holder_name = models.CharField(max_length=255)
    program_title = models.CharField(max_length=200)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Set when an admin issued it by hand."),
    )
    issue_reason = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_reason = models.TextField(blank=True)
    renewal_opened_at = models.DateTimeField(null=True, blank=True)
    pdf = models.CharField(
        max_length=255, blank=True, help_text=_("Name in private storage.")
    )
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "cycle"], name="one_certificate_per_cycle"
            )
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.program_title} · {self.holder_name} · {self.serial}"

    @property
    def verification_url(self) -> str:
        """The public verification page's full address (PDF, QR code, e-mails)."""
        return absolute_url("certificate_verify", self.verification_code)


class CertificateEvent(models.Model):
    """The audit log: who issued, revoked, expired or renewed what, when and why.
    Rows are written once and never changed or deleted."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued (requirements met)")
        ISSUED_MANUALLY = "issued_manually", _("Issued manually")
        REVOKED = "revoked", pgettext_lazy("certificate", "Revoked")
        EXPIRED = "expired", _("Expired")
        RENEWAL_OPENED = "renewal_opened", _("Renewal opened")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.certificate}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Audit log entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("Audit log entries cannot be deleted."))


@register_setting(icon="doc-full")
class CertificateBranding(BaseSiteSetting):
    """What every certificate PDF shows of the organisation."""

    organisation_name = models.CharField(
        max_length=200, blank=True, help_text=_("Empty: the ORGANISATION_NAME setting.")
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signatory = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Name printed above the signature line."),
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("logo"),
        FieldPanel("signatory"),
    ]
