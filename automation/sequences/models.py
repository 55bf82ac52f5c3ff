"""Nudge sequences: messages that enablement admins write once and the engine sends
to each person a trigger brings in, step by step, until they meet the goal."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from automation.sequences.template import VARIABLES, template_check
from lms.pages import in_source_language_only


class Trigger(models.TextChoices):
    START_DATE = "start_date", _("A person starts (their start date)")
    ASSIGNMENT_CREATED = "assignment_created", _("Training is assigned")
    DUE_IN_DAYS = "due_in_days", _("N days before a due date")
    OVERDUE = "overdue", _("Training is overdue")
    QUIZ_FAILED = "quiz_failed", _("A quiz is failed")
    REVIEW_SUBMITTED = "review_submitted", _("A coach submits a review")
    CERTIFICATE_EXPIRING = "certificate_expiring", _("A certificate expires in N days")
    NO_ACTIVITY = "no_activity", _("No activity for N days")
    LIBRARY_UPDATED = "library_updated", _("A library item for them is updated")


class ExitCondition(models.TextChoices):
    NONE = "", _("None: every step is sent")
    TRAINING_COMPLETE = "training_complete", _("The training is complete")
    ACTIVE_AGAIN = "active_again", _("The person is active again")
    CERTIFICATE_RENEWED = "certificate_renewed", _("The certificate is renewed")


class Role(models.TextChoices):
    ANY = "", _("Anyone")
    REP = "rep", _("Reps")
    COACH = "coach", _("Coaches")
    MANAGER = "manager", _("Managers")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SLACK = "slack", _("Slack")
    TEAMS = "teams", _("Microsoft Teams")


class DelayUnit(models.TextChoices):
    BUSINESS_DAYS = "business_days", _("business days")
    DAYS = "days", _("days")
    HOURS = "hours", _("hours")


class Sequence(ClusterableModel):
    """A nudge sequence, written by enablement admins in the Wagtail admin: who it is
    for (trigger and audience), what it sends (steps), and when a person leaves it
    (exit condition). Only an active sequence enrols and sends; pausing holds every
    enrolment where it is, resuming carries on."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")

    name = models.CharField(_("name"), max_length=200, unique=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    trigger = models.CharField(_("trigger"), max_length=24, choices=Trigger.choices)
    trigger_days = models.PositiveSmallIntegerField(
        _("days (N)"),
        default=0,
        help_text=_(
            "N for “N days before a due date”, “expires in N days” and "
            "“no activity for N days”."
        ),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=in_source_language_only,
        verbose_name=_("course"),
        help_text=_("Only for this course's training (blank: any)."),
    )
    path = models.ForeignKey(
        "courses.LearningPath",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("path"),
        help_text=_("Only for this path's training, and people who hold it."),
    )
    teams = models.ManyToManyField(
        "accounts.Team",
        blank=True,
        related_name="+",
        verbose_name=_("teams"),
        help_text=_("Only people in these teams or their sub-teams (none: everyone)."),
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, blank=True)
    progress_below = models.PositiveSmallIntegerField(
        _("progress below"),
        null=True,
        blank=True,
        help_text=_(
            "Only people whose progress in the training is below this per cent."
        ),
    )
    exit_condition = models.CharField(
        _("exit condition"), max_length=24, choices=ExitCondition.choices, blank=True
    )
    quiet_from = models.TimeField(
        _("quiet from"),
        default=dt.time(20, 0),
        help_text=_("Nothing is sent from this time …"),
    )
    quiet_until = models.TimeField(
        _("quiet until"),
        default=dt.time(8, 0),
        help_text=_("… until this time, in the person's own time zone."),
    )
    counts_from = models.DateTimeField(
        _("counts from"),
        default=timezone.now,
        help_text=_("Only trigger occurrences from this moment on enrol people."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("status")],
            heading=_("Sequence"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("trigger"), FieldPanel("trigger_days")]),
                FieldPanel("counts_from"),
            ],
            heading=_("Trigger"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("course"),
                FieldPanel("path"),
                FieldPanel("teams"),
                FieldRowPanel([FieldPanel("role"), FieldPanel("progress_below")]),
            ],
            heading=_("Audience"),
        ),
        InlinePanel("steps", heading=_("Steps"), label=_("Step"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("exit_condition"),
                FieldRowPanel([FieldPanel("quiet_from"), FieldPanel("quiet_until")]),
            ],
            heading=_("Exit and quiet hours"),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("sequence")
        verbose_name_plural = _("sequences")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        needs_days = {
            Trigger.DUE_IN_DAYS,
            Trigger.CERTIFICATE_EXPIRING,
            Trigger.NO_ACTIVITY,
        }
        if self.trigger in needs_days and not self.trigger_days:
            raise ValidationError({"trigger_days": _("Say how many days.")})


class SequenceStep(Orderable):
    """One message of a sequence: when (a delay after the trigger, in business days,
    days or hours in the person's time zone), to whom, on which channel, and what."""

    sequence = ParentalKey(Sequence, on_delete=models.CASCADE, related_name="steps")
    delay = models.PositiveSmallIntegerField(
        _("delay"), default=0, help_text=_("After the trigger (0: at once).")
    )
    delay_unit = models.CharField(
        _("delay unit"),
        max_length=16,
        choices=DelayUnit.choices,
        default=DelayUnit.BUSINESS_DAYS,
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )
    to_person = models.BooleanField(default=True, verbose_name=_("To the person"))
    to_manager = models.BooleanField(default=False, verbose_name=_("To their manager"))
    to_coach = models.BooleanField(default=False, verbose_name=_("To their coach"))
    only_if_progress_below = models.PositiveSmallIntegerField(
        _("only if progress below"),
        null=True,
        blank=True,
        help_text=_(
            "Send only if their progress is below this per cent (blank: always)."
        ),
    )
    # The subject and the message are the admin's own words, sent as written: not
    # translated (one sequence per language, by its audience, if need be).
    subject = models.CharField(
        _("subject"), max_length=200, validators=[template_check]
    )
    message = models.TextField(
        _("message"),
        validators=[template_check],
        help_text=format_lazy(
            _("Variables: {variables}"),
            variables=", ".join(f"{{{{ {name} }}}}" for name in VARIABLES),
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("delay"), FieldPanel("delay_unit")]),
        FieldPanel("channel"),
        FieldRowPanel(
            [
                FieldPanel("to_person"),
                FieldPanel("to_manager"),
                FieldPanel("to_coach"),
            ]
        ),
        FieldPanel("only_if_progress_below"),
        FieldPanel("subject"),
        FieldPanel("message"),
    ]

    def __str__(self) -> str:
        return f"{self.sequence}: {self.subject}"

    def clean(self) -> None:
        if not (self.to_person or self.to_manager or self.to_coach):
            raise ValidationError(_("Choose at least one recipient."))


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def running(self) -> EnrolmentQuerySet:
        return self.filter(exited_at__isnull=True)


class Enrolment(models.Model):
    """A person in a sequence for one occurrence of its trigger (their start date,
    one assignment, one expiry…): one row per person, sequence and occurrence, so
    enrolling again is a no-op. `next_index` is the step to send next, due at
    `next_due_at`."""

    class Exit(models.TextChoices):
        GOAL = "goal", _("Reached the goal")
        FINISHED = "finished", _("Sent every step")

    sequence = models.ForeignKey(
        Sequence, on_delete=models.CASCADE, related_name="enrolments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    occurrence = models.CharField(max_length=100)
    anchor_at = models.DateTimeField(help_text="When the trigger happened.")
    assignment = models.ForeignKey(
        "courses.Assignment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    certificate = models.ForeignKey(
        "certificates.Certificate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    enrolled_at = models.DateTimeField(default=timezone.now)
    next_index = models.PositiveSmallIntegerField(default=0)
    next_due_at = models.DateTimeField(null=True, blank=True)
    exited_at = models.DateTimeField(null=True, blank=True)
    exit_reason = models.CharField(max_length=8, choices=Exit.choices, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sequence", "user", "occurrence"],
                name="one_enrolment_per_person_sequence_occurrence",
            )
        ]
        indexes = [
            models.Index(
                fields=["next_due_at"],
                condition=models.Q(exited_at__isnull=True),
                name="enrolment_running_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.sequence} ({self.occurrence})"


class StepSend(models.Model):
    """One step's message to one recipient: sent, failed, or skipped (a condition
    said no, or the recipient has none, e.g. no manager). Read by the analytics."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="sends"
    )
    step = models.ForeignKey(SequenceStep, on_delete=models.CASCADE, related_name="+")
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=8, choices=Status.choices)
    error = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "step", "recipient"],
                name="one_send_per_enrolment_step_recipient",
            )
        ]
        indexes = [models.Index(fields=["sequence", "step", "status"])]

    def __str__(self) -> str:
        return f"{self.step} to {self.recipient}: {self.status}"


class LinkClick(models.Model):
    """A click on a tracked link in a sequence message (the link is signed; this
    row records that it was followed)."""

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(SequenceStep, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(
        Enrolment, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField(max_length=500)
    clicked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Click on {self.path} ({self.step})"
