"""Question banks and quizzes. A quiz is a step of a course (a LessonPage), completed
by passing it; each attempt freezes the questions it drew, so grading, review and item
analysis always read what the person actually saw."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from courses.models import LessonPage


class QuestionBank(models.Model):
    """A named collection of questions that enablement admins keep, tag, import from
    GIFT or Moodle XML, export, and draw quizzes from.

    Banks are per language: a bank written in another language names the source
    bank it translates, and a quiz that draws from the source bank draws from it for
    readers of that language (`QuestionBank.for_language`)."""

    name = models.CharField(verbose_name=_("name"), max_length=200, unique=True)
    description = models.TextField(verbose_name=_("description"), blank=True)
    language = models.CharField(
        verbose_name=_("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language its questions are written in."),
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        verbose_name=_("translation of"),
        help_text=_(
            "The bank this one translates: quizzes that draw from that bank draw "
            "from this one for people who read Onramp in this bank's language."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("language"),
        FieldPanel("translation_of"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="one_bank_translation_per_language",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        source = self.translation_of
        if source is None:
            return
        if source.translation_of_id is not None or source.pk == self.pk:
            raise ValidationError(
                {"translation_of": gettext("Choose a bank that is not a translation.")}
            )
        if source.language == self.language:
            raise ValidationError(
                {
                    "language": gettext(
                        "A translation is in another language than its source bank."
                    )
                }
            )
        clash = QuestionBank.objects.filter(
            translation_of=source, language=self.language
        ).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(
                {
                    "translation_of": gettext(
                        "That bank already has a translation in this language."
                    )
                }
            )

    @staticmethod
    def for_language(bank_ids: set[int], language: str) -> dict[int, int]:
        """For each source bank, its translation's id in `language` (banks without
        one are left out): one query."""
        return dict(
            QuestionBank.objects.filter(
                translation_of_id__in=bank_ids, language=language
            ).values_list("translation_of_id", "pk")
        )


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Question(ClusterableModel):
    """One question in a bank. Its options carry the answer key: for choices, the
    share of the points each option earns (negative for a wrong pick in a multiple
    response question); for short answers, each accepted answer; for numeric
    questions, the value and tolerance; for matching, the pairs; for ordering, the
    items in their correct order."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple response")
        TRUE_FALSE = "truefalse", _("True / false")
        SHORT = "short", _("Short answer")
        NUMERIC = "numeric", _("Numeric")
        MATCHING = "matching", _("Matching")
        ORDERING = "ordering", _("Ordering")

    bank = models.ForeignKey(
        QuestionBank,
        verbose_name=_("bank"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(
        verbose_name=_("name"),
        max_length=255,
        help_text=_("A short name authors recognise the question by."),
    )
    text = models.TextField(
        verbose_name=_("text"), help_text=_("The question as the person reads it.")
    )
    points = models.DecimalField(
        verbose_name=_("points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    explanation = models.TextField(
        verbose_name=_("explanation"),
        blank=True,
        help_text=_("Shown after submission, whatever was answered."),
    )
    partial_credit = models.BooleanField(
        verbose_name=_("partial credit"),
        default=True,
        help_text=_(
            "Multiple response: credit for each right pick (off: all or nothing)."
        ),
    )
    shuffle_options = models.BooleanField(
        verbose_name=_("shuffle options"),
        default=True,
        help_text=_("Show the options in a new order in each attempt."),
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True)
    created_at = models.DateTimeField(
        verbose_name=_("created at"), default=timezone.now
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    # Wagtail's form for questions checks the answers of each kind (forms.py).
    from courses.quizzes.forms import QuestionForm as base_form_class

    panels = [
        FieldPanel("bank"),
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("text"),
        FieldPanel("points"),
        FieldPanel("explanation"),
        MultiFieldPanel(
            [FieldPanel("partial_credit"), FieldPanel("shuffle_options")],
            heading=_("Options"),
        ),
        FieldPanel("tags"),
        InlinePanel("options", heading=_("Answers"), min_num=1),
    ]

    class Meta:
        ordering = ["bank", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.name


class QuestionOption(Orderable):
    """An answer of a question (see Question for what it means in each kind)."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.TextField(
        verbose_name=_("text"),
        blank=True,
        help_text=_(
            "The choice; an accepted answer; the number; the left side of a "
            "pair; an item in its correct place."
        ),
    )
    match_text = models.CharField(
        verbose_name=_("match text"),
        max_length=500,
        blank=True,
        help_text=_("Matching: the right side of the pair."),
    )
    fraction = models.DecimalField(
        verbose_name=_("fraction"),
        max_digits=8,
        decimal_places=5,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("-1")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of the points this answer earns, from -1 to 1."),
    )
    tolerance = models.DecimalField(
        verbose_name=_("tolerance"),
        max_digits=14,
        decimal_places=6,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Numeric: how far from the value still counts."),
    )
    feedback = models.TextField(
        verbose_name=_("feedback"),
        blank=True,
        help_text=_("Shown to whoever chose it."),
    )

    panels = [
        FieldPanel("text"),
        FieldPanel("match_text"),
        FieldPanel("fraction"),
        FieldPanel("tolerance"),
        FieldPanel("feedback"),
    ]

    def __str__(self) -> str:
        return self.text[:60]


class QuizPage(LessonPage):
    """A quiz: a course step that is completed by passing it. Its questions are fixed
    ones and draws from banks; each attempt freezes what it drew."""

    class ShowAnswers(models.TextChoices):
        NEVER = "never", pgettext_lazy("show answers", "Never")
        AFTER_PASSING = "after_passing", _("After passing")
        AFTER_LAST_ATTEMPT = "after_last_attempt", _("After the last attempt")

    class Layout(models.TextChoices):
        ONE_PAGE = "one_page", _("All questions on one page")
        PER_QUESTION = "per_question", _("One question per page")

    pass_mark_percent = models.PositiveSmallIntegerField(
        verbose_name=_("pass mark percent"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        verbose_name=_("max attempts"),
        null=True,
        blank=True,
        help_text=_("Leave empty for unlimited attempts."),
    )
    wait_minutes = models.PositiveIntegerField(
        verbose_name=_("wait minutes"),
        default=0,
        help_text=_("Minutes to wait after an attempt before the next one."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        verbose_name=_("time limit minutes"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no time limit."),
    )
    show_answers = models.CharField(
        verbose_name=_("show answers"),
        max_length=24,
        choices=ShowAnswers.choices,
        default=ShowAnswers.AFTER_PASSING,
    )
    layout = models.CharField(
        verbose_name=_("layout"),
        max_length=16,
        choices=Layout.choices,
        default=Layout.ONE_PAGE,
    )
    shuffle_questions = models.BooleanField(
        verbose_name=_("shuffle questions"), default=False
    )

    content_panels = [
        *LessonPage.content_panels,
        InlinePanel(
            "slots",
            heading=_("Questions"),
            help_text=_(
                "Fixed questions, and draws of N questions from a bank "
                "(optionally with a tag)."
            ),
            min_num=1,
        ),
    ]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("pass_mark_percent"),
                FieldPanel("max_attempts"),
                FieldPanel("wait_minutes"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("show_answers"),
                FieldPanel("layout"),
                FieldPanel("shuffle_questions"),
            ],
            heading=_("Quiz settings"),
        ),
        *LessonPage.settings_panels,
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("quiz page")
        verbose_name_plural = _("quiz pages")

    def how_to_complete(self) -> str:
        return gettext("This quiz is complete once you pass it (%(percent)s%%).") % {
            "percent": self.pass_mark_percent
        }

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        from courses.quizzes.selectors import quiz_page_context

        context = super().get_context(request, *args, **kwargs)
        if request.user.is_authenticated:
            context.update(quiz_page_context(user=request.user, quiz=self))
        return context


class QuizSlot(Orderable):
    """A place in a quiz: a fixed question, or N questions drawn from a bank (those
    with a tag, if one is given)."""

    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="slots")
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    bank = models.ForeignKey(
        QuestionBank,
        verbose_name=_("bank"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        # A quiz draws from a source bank; its translations are found by language.
        limit_choices_to={"translation_of__isnull": True},
        help_text=_("Draw from this bank…"),
    )
    tag = models.CharField(
        verbose_name=_("tag"),
        max_length=100,
        blank=True,
        help_text=_("…with this tag…"),
    )
    draw_count = models.PositiveSmallIntegerField(
        verbose_name=_("draw count"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("…this many."),
    )

    panels = [
        FieldPanel("question"),
        FieldPanel("bank"),
        FieldPanel("tag"),
        FieldPanel("draw_count"),
    ]

    def clean(self) -> None:
        if (self.question_id is None) == (self.bank_id is None):
            raise ValidationError(
                _("Choose either a fixed question or a bank to draw from.")
            )


class QuizAttemptQuerySet(models.QuerySet["QuizAttempt"]):
    def graded(self) -> QuizAttemptQuerySet:
        """Closed and graded: submitted by the person, or expired at the time limit."""
        return self.filter(state__in=QuizAttempt.GRADED_STATES)

    def counted(self) -> QuizAttemptQuerySet:
        """Graded attempts that count toward the best score, passing, My team and
        certification: practice attempts (started after the right answers were
        shown to the person in the same cycle) are left out."""
        return self.graded().filter(practice=False)


class QuizAttempt(models.Model):
    """One try at a quiz. Its questions and their answer keys are frozen at the
    start; the server grades it on submission or when its time runs out. An
    attempt started after the right answers were shown to the person in the same
    cycle is `practice`: graded and shown, but never counted."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", pgettext_lazy("attempt", "Submitted")
        EXPIRED = (
            "expired",
            pgettext_lazy("attempt", "Expired"),
        )  # closed and graded by the server at its limit
        ABANDONED = "abandoned", _("Abandoned")  # the quiz was withdrawn meanwhile

    GRADED_STATES: ClassVar[tuple[str, ...]] = (State.SUBMITTED, State.EXPIRED)

    quiz = models.ForeignKey(
        QuizPage, null=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    quiz_title = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField()
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.IN_PROGRESS
    )
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Start plus the time limit, if there is one."),
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    passed = models.BooleanField(null=True)
    pass_mark_percent = models.PositiveSmallIntegerField(
        help_text=_("The pass mark when the attempt started.")
    )
    answers_shown_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When its owner first saw its review with the right answers."),
    )
    practice = models.BooleanField(
        default=False,
        help_text=_(
            "Started after the right answers were shown to the person in "
            "the same cycle: graded, but not counted."
        ),
    )

    objects = QuizAttemptQuerySet.as_manager()

    objects = QuizAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="one_attempt_per_number"
            ),
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(state="in_progress"),
                name="one_open_attempt_per_quiz",
            ),
        ]
        indexes = [models.Index(fields=["user", "quiz", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz_title} · attempt {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.quiz is not None and not self.quiz_title:
            self.quiz_title = self.quiz.title
        super().save(*args, **kwargs)

    @property
    def is_graded(self) -> bool:
        return self.state in self.GRADED_STATES


class AttemptQuestion(models.Model):
    """A question as it was drawn into an attempt: its frozen content and key
    (`snapshot`, never sent to the browser before submission), the option order shown
    (`option_order`), the person's `response`, and the points it earned."""

    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(
        Question, null=True, on_delete=models.SET_NULL, related_name="attempt_items"
    )
    snapshot = models.JSONField()
    option_order = models.JSONField(default=list)
    response = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="one_question_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · question {self.position}"
