from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.blocks import LessonBodyBlock
from lms.lib import clock
from lms.lib.requests import signed_in_user
from lms.pages import (
    SignInRequiredMixin,
    TranslatedContentMixin,
    in_source_language_only,
    show_translated_titles,
)

# The page types that can be steps of a course. Every one is a LessonPage (so it counts
# toward completion the same way); higher layers add theirs in AppConfig.ready(), e.g.
# a quiz, which is completed by passing it.
COURSE_STEP_TYPES = ["courses.LessonPage"]

# The badge of each step kind on a course's outline ("quiz", "practice", …).
STEP_KIND_LABELS = {
    "quiz": pgettext_lazy("kind of course step", "quiz"),
    "practice": pgettext_lazy("kind of course step", "practice"),
    "scorm": pgettext_lazy("kind of course step", "SCORM"),
}


def register_course_step(page_type: str) -> None:
    if page_type not in COURSE_STEP_TYPES:
        COURSE_STEP_TYPES.append(page_type)


class CourseIndexPage(SignInRequiredMixin, TranslatedContentMixin, Page):
    """The course catalogue: every published course, with the reader's progress."""

    intro = RichTextField(blank=True, verbose_name=_("introduction"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course index page")
        verbose_name_plural = _("course index pages")

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        from courses.selectors import course_cards, show_translated_summaries

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_cards(user=signed_in_user(request), index=self)
        show_translated_titles(
            page for card in context["courses"] for page in card.pages_shown()
        )
        show_translated_summaries([card.course for card in context["courses"]])
        return context


class CourseTag(TaggedItemBase):
    content_object = ParentalKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CoursePage(SignInRequiredMixin, TranslatedContentMixin, Page):
    """A course: an ordered set of lessons (its child pages). Required lessons count
    toward completion; optional ones are there for whoever wants more."""

    summary = models.TextField(
        verbose_name=_("summary"),
        help_text=_("One or two sentences on the catalogue card."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        default=15,
        verbose_name=_("estimated minutes"),
        help_text=_("How long the whole course takes, roughly."),
    )
    tags = ClusterTaggableManager(
        through=CourseTag,
        blank=True,
        verbose_name=_("tags"),
        help_text=_("Skills the course builds."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("estimated_minutes"),
        FieldPanel("tags"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = COURSE_STEP_TYPES

    class Meta:
        verbose_name = _("course page")
        verbose_name_plural = _("course pages")

    def lessons(self) -> models.QuerySet[LessonPage]:
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        from courses.selectors import course_outline_shown, lock_reason

        user = signed_in_user(request)
        context = super().get_context(request, *args, **kwargs)
        context["outline"] = course_outline_shown(user=user, course=self)
        # The breadcrumb names the course index (the parent routing loaded): its
        # title comes with the outline's, in the same query.
        show_translated_titles([self.get_parent(), *context["outline"].pages_shown()])
        context["lock_reason"] = lock_reason(user=user, course=self)
        context["assigned"] = (
            Assignment.objects.open()
            .filter(user=user)
            .filter(models.Q(course=self) | models.Q(path__steps__course=self))
            .exists()
        )
        return context


class LessonPage(SignInRequiredMixin, TranslatedContentMixin, Page):
    """One lesson. With a video, it is complete once 90% of the video has been
    watched (measured on the server); otherwise the reader marks it done."""

    body = StreamField(LessonBodyBlock(), use_json_field=True, verbose_name=_("body"))
    required = models.BooleanField(
        default=True,
        verbose_name=_("required"),
        help_text=_("Required lessons count toward completing the course."),
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]
    settings_panels = [*Page.settings_panels, FieldPanel("required")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson page")
        verbose_name_plural = _("lesson pages")

    def how_to_complete(self) -> str:
        """What completes this step, for the reader. Steps that complete another way
        (a quiz, a practice recording) say so, and refuse "Mark as read"."""
        if self.video is not None:
            return str(
                _(
                    "This lesson is complete once you have watched %(percent)d%% "
                    "of its video."
                )
                % {"percent": 90}
            )
        return ""

    @property
    def step_kind(self) -> str:
        """ "quiz", "practice", …: the kind of a step that is not a plain lesson."""
        step_class = self.specific_class
        if step_class is None or step_class is LessonPage:
            return ""
        return step_class._meta.model_name.removesuffix("page")

    @property
    def step_kind_label(self) -> str:
        """The step kind as the outline's badge shows it, in the reader's language."""
        kind = self.step_kind
        return str(STEP_KIND_LABELS.get(kind, kind))

    @property
    def completes_by_reading(self) -> bool:
        return not self.how_to_complete()

    @property
    def video(self) -> Any:
        """The lesson's first video asset, the one whose watching completes it."""
        for block in self.body:
            if block.block_type == "video" and block.value["video"] is not None:
                return block.value["video"]
        return None

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and self.video is not None:
            from courses.services import watch_opened

            watch_opened(user=request.user, lesson=self)
        if request.user.is_authenticated and request.method == "GET":
            from courses.signals import lesson_opened

            lesson_opened.send(sender=LessonPage, user=request.user, lesson=self)
        return super().serve(request, *args, **kwargs)

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        from courses.selectors import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(user=signed_in_user(request), lesson=self))
        show_translated_titles(
            [context["course_index"], *context["outline"].pages_shown()]
        )
        return context


class LessonCompletion(models.Model):
    """A lesson completed by a person, at a time: history, never a flag. Recurring
    training adds a new row in each cycle; older rows stay."""

    class How(models.TextChoices):
        READ = "read", _("Marked as read")
        WATCHED = "watched", _("Watched")
        QUIZ_PASSED = "quiz", _("Passed the quiz")
        PRACTICE_APPROVED = "practice", _("Practice approved by a coach")
        SCORM = "scorm", _("Finished the SCORM package")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_completions",
    )
    # A deleted lesson leaves its completions in place, named by the title kept here.
    lesson = models.ForeignKey(
        LessonPage,
        null=True,
        on_delete=models.SET_NULL,
        related_name="completions",
    )
    lesson_title = models.CharField(max_length=255, blank=True)
    how = models.CharField(max_length=16, choices=How.choices)
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["user", "lesson", "-completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} completed {self.lesson or self.lesson_title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.lesson is not None and not self.lesson_title:
            self.lesson_title = self.lesson.title
        super().save(*args, **kwargs)


class WatchProgress(models.Model):
    """What a person has watched of a lesson video: the union of the time ranges
    their player reported, so seeking, pausing and reloading never reset it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    ranges = models.JSONField(default=list)
    watched_seconds = models.FloatField(default=0)
    position = models.FloatField(default=0, help_text=_("Where to resume."))
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="one_watch_per_lesson"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} watched {self.watched_seconds:.0f}s of {self.lesson}"


class LearningPath(ClusterableModel):
    """An ordered list of courses, each due some days after a rep's start date, such
    as the onboarding path "First 30 days". Rules assign it to new and moved reps."""

    title = models.CharField(max_length=200, unique=True, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        InlinePanel("steps", label=_("Steps"), min_num=1),
        InlinePanel("rules", label=_("Assign automatically to")),
    ]

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")

    def __str__(self) -> str:
        return self.title


class PathStep(Orderable):
    path = ParentalKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    course = models.ForeignKey(
        CoursePage,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=in_source_language_only,
        verbose_name=_("course"),
    )
    due_offset_days = models.PositiveSmallIntegerField(
        default=7,
        verbose_name=_("due after (days)"),
        help_text=_("Due this many days after the rep's start date."),
    )
    locked = models.BooleanField(
        default=False,
        verbose_name=_("locked"),
        help_text=_("Opens only once the previous step is complete."),
    )

    panels = [FieldPanel("course"), FieldPanel("due_offset_days"), FieldPanel("locked")]


class PathRule(Orderable):
    """Reps who join this team (or a team below it) get the path."""

    path = ParentalKey(LearningPath, on_delete=models.CASCADE, related_name="rules")
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("team"),
    )

    panels = [FieldPanel("team")]


# An open assignment: still to do, neither completed nor withdrawn (unassigned).
OPEN_ASSIGNMENT = models.Q(completed_at__isnull=True, unassigned_at__isnull=True)


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def current(self) -> AssignmentQuerySet:
        """Not withdrawn: what the person holds, done or not."""
        return self.filter(unassigned_at__isnull=True)

    def open(self) -> AssignmentQuerySet:
        """Still to do: neither completed nor withdrawn."""
        return self.filter(OPEN_ASSIGNMENT)


class Assignment(models.Model):
    """Someone has to do a course or a path, for a reason, by a date. Drives progress,
    dashboards and reminders. Unassigning keeps the row (and its history)."""

    class Reason(models.TextChoices):
        ONBOARDING = "onboarding", _("Onboarding")
        MONTHLY = "monthly", _("Recurring training")
        MANUAL = "manual", pgettext_lazy("reason for an assignment", "Assigned")
        RECERTIFICATION = "recertification", _("Recertification")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    path = models.ForeignKey(
        LearningPath, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(
        CoursePage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    # Recurring training: the campaign and the cycle this assignment belongs to, and
    # the moment from which completions count (a repeated course is done afresh).
    campaign = models.ForeignKey(
        "courses.TrainingCampaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    cycle_start = models.DateField(null=True, blank=True)
    counts_from = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    unassigned_at = models.DateTimeField(null=True, blank=True)
    # Required lessons in the course (or all the path's courses), and how many of them
    # the person has completed: kept up to date by each completion, in two queries.
    required_total = models.PositiveIntegerField(default=0)
    required_done = models.PositiveIntegerField(default=0)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "assigned_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(path__isnull=True, course__isnull=False)
                | models.Q(path__isnull=False, course__isnull=True),
                name="assignment_is_for_a_path_or_a_course",
            ),
            models.UniqueConstraint(
                fields=["user", "path"],
                condition=OPEN_ASSIGNMENT,
                name="one_open_assignment_per_path",
            ),
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=models.Q(campaign__isnull=True) & OPEN_ASSIGNMENT,
                name="one_open_assignment_per_course",
            ),
            models.UniqueConstraint(
                fields=["user", "campaign", "cycle_start"],
                condition=models.Q(campaign__isnull=False),
                name="one_assignment_per_campaign_cycle",
            ),
        ]
        indexes = [models.Index(fields=["user", "completed_at", "unassigned_at"])]

    def __str__(self) -> str:
        return f"{self.path or self.course} for {self.user}"

    @property
    def title(self) -> str:
        return str(self.path or self.course)

    @property
    def progress_percent(self) -> int:
        if not self.required_total:
            return 100 if self.completed_at else 0
        return min(100, round(100 * self.required_done / self.required_total))

    @property
    def status(self) -> str:
        if self.completed_at:
            return "completed"
        if self.due_at and self.due_at < clock.now():
            return "overdue"
        return "in_progress" if self.required_done else "not_started"

    @property
    def status_label(self) -> str:
        labels = {
            "completed": _("Completed"),
            "overdue": _("Overdue"),
            "in_progress": _("In progress"),
            "not_started": _("Not started"),
        }
        return str(labels[self.status])


class TrainingCampaign(ClusterableModel):
    """Recurring training, such as the monthly product update or the yearly privacy
    refresher: an audience, a recurrence, the course of each cycle and a due period.
    A daily job gives each person in the audience one assignment per cycle."""

    class Frequency(models.IntegerChoices):
        MONTHLY = 1, _("Every month")
        QUARTERLY = 3, _("Every three months")
        HALF_YEARLY = 6, _("Every six months")
        YEARLY = 12, _("Every year")

    title = models.CharField(max_length=200, unique=True, verbose_name=_("title"))
    active = models.BooleanField(default=True, verbose_name=_("active"))
    teams = ParentalManyToManyField(
        "accounts.Team",
        blank=True,
        related_name="+",
        verbose_name=_("teams"),
        help_text=_("Leave empty for everyone; a team includes the teams below it."),
    )
    for_reps = models.BooleanField(default=True, verbose_name=_("for reps"))
    for_coaches = models.BooleanField(default=False, verbose_name=_("for coaches"))
    for_managers = models.BooleanField(default=False, verbose_name=_("for managers"))
    frequency = models.PositiveSmallIntegerField(
        choices=Frequency.choices,
        default=Frequency.MONTHLY,
        verbose_name=_("frequency"),
    )
    starts_on = models.DateField(
        verbose_name=_("starts on"),
        help_text=_(
            "The first cycle; later ones fall on the same day of the month "
            "(or the month's last day, when it is shorter)."
        ),
    )
    course = models.ForeignKey(
        CoursePage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=in_source_language_only,
        verbose_name=_("course"),
        help_text=_("A course done again every cycle."),
    )
    newest_with_tag = models.CharField(
        max_length=100,
        blank=True,
        verbose_name=_("newest with tag"),
        help_text=_("Or: each cycle, the newest published course with this tag."),
    )
    due_days = models.PositiveSmallIntegerField(
        default=14,
        verbose_name=_("due after (days)"),
        help_text=_("Days from the start of a cycle until it is due."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("active"),
        FieldPanel("teams"),
        FieldPanel("for_reps"),
        FieldPanel("for_coaches"),
        FieldPanel("for_managers"),
        FieldPanel("frequency"),
        FieldPanel("starts_on"),
        FieldPanel("course"),
        FieldPanel("newest_with_tag"),
        FieldPanel("due_days"),
    ]

    class Meta:
        verbose_name = _("training campaign")
        verbose_name_plural = _("training campaigns")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(course__isnull=False) & models.Q(newest_with_tag="")
                )
                | (models.Q(course__isnull=True) & ~models.Q(newest_with_tag="")),
                name="campaign_has_one_kind_of_content",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def cycle_start(self, on: dt.date) -> dt.date | None:
        """The start of the cycle that `on` falls in (None before the first)."""
        if on < self.starts_on:
            return None
        months = (on.year - self.starts_on.year) * 12 + on.month - self.starts_on.month
        cycle = months // self.frequency
        while cycle >= 0:
            start = self.starts_on + relativedelta(months=cycle * self.frequency)
            if start <= on:
                return start
            cycle -= 1
        return None
