"""Coaching: a rep sends a recording (a real call, or a practice take for a prompt in
a lesson) to a coach, who reviews it on its timeline with time-stamped comments and a
weighted rubric, and approves it or asks for another take."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from courses.models import LessonPage
from library.models import DealStage

SCALE = range(1, 6)  # every criterion is scored on 1–5


class Rubric(ClusterableModel):
    """How enablement wants a kind of call scored: criteria with weights adding up
    to 100%, each scored 1–5 against a description per level, and the weighted score
    that passes."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    pass_threshold = models.DecimalField(
        _("pass threshold"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
        help_text=_("The weighted score (1–5) a review needs to pass."),
    )
    # Targets for the conversation analytics of calls scored on this rubric.
    talk_ratio_min = models.PositiveSmallIntegerField(
        _("lowest rep talk ratio (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("E.g. 30: a rep who talks less than this is below target."),
    )
    talk_ratio_max = models.PositiveSmallIntegerField(
        _("highest rep talk ratio (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("E.g. 45: a rep who talks more than this is above target."),
    )
    monologue_max_seconds = models.PositiveIntegerField(
        _("longest rep monologue (seconds)"),
        null=True,
        blank=True,
        help_text=_("E.g. 90: a longer monologue is above target."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("pass_threshold"),
        MultiFieldPanel(
            [
                FieldPanel("talk_ratio_min"),
                FieldPanel("talk_ratio_max"),
                FieldPanel("monologue_max_seconds"),
            ],
            heading=_("Call targets (conversation analytics)"),
        ),
        InlinePanel("criteria", heading=_("Criteria"), min_num=1),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        low, high = self.talk_ratio_min, self.talk_ratio_max
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"talk_ratio_max": _("The highest talk ratio is below the lowest.")}
            )


class RubricCriterion(Orderable):
    """One thing a coach scores, with its weight (percent) and what each level of the
    1–5 scale means."""

    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Percent; the weights of a rubric add up to 100."),
    )
    level_1 = models.CharField("1 —", max_length=300)
    level_2 = models.CharField("2 —", max_length=300)
    level_3 = models.CharField("3 —", max_length=300)
    level_4 = models.CharField("4 —", max_length=300)
    level_5 = models.CharField("5 —", max_length=300)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("weight"),
        MultiFieldPanel(
            [FieldPanel(f"level_{level}") for level in SCALE],
            heading=_("What each level means"),
        ),
    ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"

    @property
    def levels(self) -> list[tuple[int, str]]:
        return [(level, getattr(self, f"level_{level}")) for level in SCALE]


class PracticePage(LessonPage):
    """A practice assignment placed in a course: a prompt written by enablement; the
    rep records or uploads takes and sends one for review. Completed when a coach
    approves it."""

    prompt = models.TextField(
        _("prompt"),
        help_text=_(
            "What to do, e.g. “Handle the pricing objection in under two minutes”."
        ),
    )
    rubric = models.ForeignKey(
        Rubric, on_delete=models.PROTECT, related_name="+", verbose_name=_("rubric")
    )
    max_seconds = models.PositiveIntegerField(
        _("longest take (seconds)"),
        default=120,
        validators=[MinValueValidator(10), MaxValueValidator(3600)],
        help_text=_("Longest take allowed, in seconds."),
    )
    max_takes = models.PositiveSmallIntegerField(
        _("takes allowed"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("How many takes a rep may send for review."),
    )
    allow_upload = models.BooleanField(
        _("allow uploads"),
        default=True,
        help_text=_("Reps may upload a file instead of recording."),
    )
    self_review = models.BooleanField(
        _("self-review"),
        default=True,
        help_text=_("Reps score their own take on the rubric before sending it."),
    )

    content_panels = [
        *LessonPage.content_panels,
        FieldPanel("prompt"),
        FieldPanel("rubric"),
        MultiFieldPanel(
            [
                FieldPanel("max_seconds"),
                FieldPanel("max_takes"),
                FieldPanel("allow_upload"),
                FieldPanel("self_review"),
            ],
            heading=_("Takes"),
        ),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def how_to_complete(self) -> str:
        return gettext(
            "This practice is complete once a coach approves one of your takes."
        )


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def pending(self) -> SubmissionQuerySet:
        """Waiting for a coach: requested, or a coach's review is under way."""
        return self.filter(state__in=Submission.PENDING_STATES)


class Submission(models.Model):
    """A rep's request for coaching on one recording thread: a real call with its
    context, or the practice of a prompt. Each new take goes through review; earlier
    takes and their reviews stay."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call review")
        PRACTICE = "practice", _("Practice")

    class State(models.TextChoices):
        DRAFT = "draft", _("Not sent yet")  # practice takes before the rep sends one
        REQUESTED = "requested", _("Waiting for review")
        IN_REVIEW = "in_review", _("In review")
        REVIEWED = "reviewed", _("Reviewed")

    PENDING_STATES: ClassVar[tuple[str, ...]] = (State.REQUESTED, State.IN_REVIEW)

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        RESUBMIT = "resubmit", _("Resubmit")

    # The stages of a deal, named once where the library tags its content with them.
    DealStage = DealStage

    kind = models.CharField(max_length=16, choices=Kind.choices)
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    title = models.CharField(max_length=200)
    practice = models.ForeignKey(
        PracticePage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    deal_stage = models.CharField(max_length=16, choices=DealStage.choices, blank=True)
    feedback_wanted = models.TextField(
        blank=True, help_text=_("What the rep wants feedback on.")
    )
    requested_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the coaches of the rep's team."),
    )
    state = models.CharField(max_length=16, choices=State.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    requested_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the latest take was sent for review.")
    )
    due_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Requested plus the turnaround target.")
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["rep", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.rep})"

    @property
    def is_pending(self) -> bool:
        return self.state in self.PENDING_STATES


class TakeQuerySet(models.QuerySet["Take"]):
    def sent(self) -> TakeQuerySet:
        """Takes sent for review (a practice take may wait unsent)."""
        return self.filter(sent_at__isnull=False)


class Take(models.Model):
    """One recording sent in a submission, numbered from 1."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="takes"
    )
    number = models.PositiveSmallIntegerField()
    asset = models.ForeignKey(
        "media.MediaAsset", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When it was sent for review.")
    )

    objects = TakeQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="one_take_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission} · take {self.number}"


class ReviewQuerySet(models.QuerySet["Review"]):
    def by_coaches(self) -> ReviewQuerySet:
        """Coaches' reviews, not the reps' self-reviews."""
        return self.filter(is_self_review=False)

    def submitted(self) -> ReviewQuerySet:
        """Reviews their reviewer has submitted (a draft stays private)."""
        return self.filter(state=Review.State.SUBMITTED)


class Review(models.Model):
    """A coach's review of a take (or the rep's self-review): scores per criterion, a
    summary and an outcome. A coach's draft, comments included, stays private until
    they submit it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    take = models.ForeignKey(Take, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    is_self_review = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    summary = models.TextField(blank=True)
    outcome = models.CharField(
        max_length=16, choices=Submission.Outcome.choices, blank=True
    )
    score = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Weighted 1–5, computed on the server."),
    )
    passed = models.BooleanField(null=True)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["take", "reviewer"], name="one_review_per_reviewer_per_take"
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.take} by {self.reviewer}"

    @property
    def is_submitted_by_coach(self) -> bool:
        """A coach's submitted review: what the rep, managers and programs see."""
        return not self.is_self_review and self.state == self.State.SUBMITTED


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.level}"


class Comment(models.Model):
    """A remark on a take's timeline, at a moment or over a range; replies thread
    under it. A coach's comments belong to their review and are private until it is
    submitted."""

    class Kind(models.TextChoices):
        PRAISE = "praise", _("Praise")
        IMPROVE = "improve", _("Improve")
        QUESTION = "question", _("Question")

    take = models.ForeignKey(Take, on_delete=models.CASCADE, related_name="comments")
    review = models.ForeignKey(
        Review,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, blank=True)
    start_seconds = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True
    )
    end_seconds = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start_seconds", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_seconds__isnull=True)
                | Q(end_seconds__gt=models.F("start_seconds")),
                name="comment_range_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def clean(self) -> None:
        if self.parent_id is None and self.start_seconds is None:
            raise ValidationError(_("A comment needs a time on the recording."))


class CallAnalysis(models.Model):
    """The conversation analytics of a call review's recording: who spoke when, and
    the metrics coaches read beside the rubric (talk ratio, longest monologue,
    patience...). Made by a job on the `media` queue once the take is sent; practice
    takes and lesson videos are not analysed. `analysis_version` says which version of
    media.speech made it, so that `manage.py speech_backfill` re-runs older ones."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being analysed")
        DONE = "done", _("Analysed")
        FAILED = "failed", _("Could not be analysed")

    class RepChannel(models.IntegerChoices):
        FIRST = 0, _("First (left) channel")
        SECOND = 1, _("Second (right) channel")

    take = models.OneToOneField(Take, on_delete=models.CASCADE, related_name="analysis")
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    failure_reason = models.TextField(blank=True)
    rep_channel = models.PositiveSmallIntegerField(
        choices=RepChannel.choices,
        default=RepChannel.FIRST,
        help_text=_("In a two-channel recording, the channel the rep speaks on."),
    )
    analysis_version = models.PositiveSmallIntegerField(null=True, blank=True)
    # Speech segments per channel ([[start, end], ...] in seconds) and the reason
    # when there is no audio: media.speech.Activity.to_json().
    activity = models.JSONField(default=dict, blank=True)

    speakers = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    rep_talk_ratio = models.FloatField(null=True, blank=True)
    rep_talk_seconds = models.FloatField(null=True, blank=True)
    other_talk_seconds = models.FloatField(null=True, blank=True)
    longest_monologue_seconds = models.FloatField(null=True, blank=True)
    longest_monologue_start = models.FloatField(null=True, blank=True)
    longest_customer_story_seconds = models.FloatField(null=True, blank=True)
    interactivity_per_minute = models.FloatField(null=True, blank=True)
    patience_seconds = models.FloatField(null=True, blank=True)
    silence_ratio = models.FloatField(null=True, blank=True)
    # Why some metrics are missing (one speaker, no sound, nobody speaks).
    not_available = models.TextField(blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name_plural = _("call analyses")

    def __str__(self) -> str:
        return f"Analysis of {self.take}"
