from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import LessonBodyBlock
from lms.pages import SignInRequiredMixin


class CourseIndexPage(SignInRequiredMixin, Page):
    """The course catalogue: every published course, with the reader's progress."""

    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        from courses.selectors import course_cards

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_cards(user=request.user, index=self)
        return context


class CourseTag(TaggedItemBase):
    content_object = ParentalKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CoursePage(SignInRequiredMixin, Page):
    """A course: an ordered set of lessons (its child pages). Required lessons count
    toward completion; optional ones are there for whoever wants more."""

    summary = models.TextField(help_text="One or two sentences on the catalogue card.")
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        default=15, help_text="How long the whole course takes, roughly."
    )
    tags = ClusterTaggableManager(
        through=CourseTag, blank=True, help_text="Skills the course builds."
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
    subpage_types = ["courses.LessonPage"]

    def lessons(self) -> models.QuerySet[LessonPage]:
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        from courses.selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = course_outline(user=request.user, course=self)
        return context


class LessonPage(SignInRequiredMixin, Page):
    """One lesson. With a video, it is complete once 90% of the video has been
    watched (measured on the server); otherwise the reader marks it done."""

    body = StreamField(LessonBodyBlock(), use_json_field=True)
    required = models.BooleanField(
        default=True, help_text="Required lessons count toward completing the course."
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]
    settings_panels = [*Page.settings_panels, FieldPanel("required")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

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
        return super().serve(request, *args, **kwargs)

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        from courses.selectors import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(user=request.user, lesson=self))
        return context


class LessonCompletion(models.Model):
    """A lesson completed by a person, at a time: history, never a flag. Recurring
    training adds a new row in each cycle; older rows stay."""

    class How(models.TextChoices):
        READ = "read", "Marked as read"
        WATCHED = "watched", "Watched"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_completions",
    )
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="completions"
    )
    how = models.CharField(max_length=16, choices=How.choices)
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["user", "lesson", "-completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} completed {self.lesson}"


class WatchProgress(models.Model):
    """What a person has watched of a lesson video: the union of the time ranges
    their player reported, so seeking, pausing and reloading never reset it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    ranges = models.JSONField(default=list)
    watched_seconds = models.FloatField(default=0)
    position = models.FloatField(default=0, help_text="Where to resume.")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="one_watch_per_lesson"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} watched {self.watched_seconds:.0f}s of {self.lesson}"
