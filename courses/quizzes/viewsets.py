"""The quiz admin in Wagtail: question banks and questions as snippets (the
"Quizzes" menu), the question file import page, the Moodle XML export of a bank,
and item analysis of each quiz. Enablement admins and superusers use them; every
view checks the quizzes.add_question permission on the server."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from taggit.models import Tag
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.snippets.views.snippets import (
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from courses.quizzes.analysis import common_note, item_analysis, quizzes_for_analysis
from courses.quizzes.formats import MAX_FILE_BYTES
from courses.quizzes.forms import QuestionImportForm
from courses.quizzes.importing import (
    ImportRefused,
    bank_export_moodlexml,
    questions_import,
)
from courses.quizzes.models import Question, QuestionBank, QuizPage

AUTHOR_PERMISSION = "quizzes.add_question"
MENU_HOOK = "register_quizzes_menu_item"


def can_author_quizzes(user: Any) -> bool:
    return bool(user.is_active and user.has_perm(AUTHOR_PERMISSION))


def _require_author(request: HttpRequest) -> None:
    if not can_author_quizzes(request.user):
        raise PermissionDenied


def export_button(bank: QuestionBank, *, header: bool = False) -> Button:
    button_class = HeaderButton if header else Button
    return button_class(
        _("Export to Moodle XML"),
        url=reverse("quizzes_bank_export", args=[bank.pk]),
        icon_name="download",
        attrs={"download": ""},
        priority=40,
    )


class QuestionBankIndexView(IndexView):
    @cached_property
    def header_buttons(self) -> list[Any]:
        buttons = list(super().header_buttons)
        if can_author_quizzes(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Import questions"),
                    url=reverse("quizzes_import"),
                    icon_name="upload",
                )
            )
        return buttons

    def get_list_more_buttons(self, instance: QuestionBank) -> list[Any]:
        buttons = list(super().get_list_more_buttons(instance))
        if can_author_quizzes(self.request.user):
            buttons.append(export_button(instance))
        return buttons


class QuestionBankEditView(EditView):
    @cached_property
    def header_more_buttons(self) -> list[Any]:
        buttons = list(super().header_more_buttons)
        if can_author_quizzes(self.request.user):
            buttons.append(export_button(self.object))
        return buttons


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = _("Question banks")
    index_view_class = QuestionBankIndexView
    edit_view_class = QuestionBankEditView
    search_fields = ["name", "description"]
    search_backend_name = None
    list_display = ["name", Column("question_count", label=_("Questions"))]

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionBank]:
        return QuestionBank.objects.annotate(question_count=Count("questions"))


class QuestionFilterSet(WagtailFilterSet):
    bank = django_filters.ModelChoiceFilter(
        queryset=QuestionBank.objects.order_by("name"), label=_("Bank")
    )
    kind = django_filters.ChoiceFilter(choices=Question.Kind.choices, label=_("Kind"))
    tag = django_filters.ModelChoiceFilter(
        field_name="tagged_items__tag",
        label=_("Tag"),
        queryset=Tag.objects.filter(quizzes_questiontag_items__isnull=False)
        .distinct()
        .order_by("name"),
    )

    class Meta:
        model = Question
        fields = ["bank", "kind", "tag"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    filterset_class = QuestionFilterSet
    search_fields = ["name", "text"]
    search_backend_name = None
    list_display = ["name", "kind", "bank", "points", "updated_at"]
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        questions: QuerySet[Question] = Question.objects.select_related("bank")
        return questions.distinct()


class QuizzesViewSetGroup(SnippetViewSetGroup):
    items = (QuestionBankViewSet, QuestionViewSet)
    menu_label = _("Quizzes")
    menu_icon = "help"
    menu_order = 250
    submenu_hook = MENU_HOOK


class AuthorMenuItem(MenuItem):
    """A Quizzes menu entry shown to those who may author quizzes."""

    def is_shown(self, request: HttpRequest) -> bool:
        return can_author_quizzes(request.user)


class QuizAdminView(WagtailAdminTemplateMixin):
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        _require_author(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class QuestionImportView(QuizAdminView, FormView[QuestionImportForm]):
    """Upload a GIFT or Moodle XML file into a bank and read the report."""

    template_name = "quizzes/admin/import.html"
    form_class = QuestionImportForm
    request_body_limit = MAX_FILE_BYTES  # refused before reading (lms/uploads.py)
    page_title = _("Import questions")
    header_icon = "upload"

    def form_valid(self, form: QuestionImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            report = questions_import(
                bank_name=form.cleaned_data["bank_name"],
                data=upload.read(),
                format=form.cleaned_data["format"],
            )
        except ImportRefused as refused:
            form.add_error(
                "file",
                gettext("Nothing was imported: %(reason)s") % {"reason": refused},
            )
            return self.render_to_response(
                self.get_context_data(form=form, refused_skips=refused.skipped)
            )
        messages.success(
            self.request,
            ngettext(
                "Imported %(count)s question into “%(bank)s”; skipped %(skipped)s.",
                "Imported %(count)s questions into “%(bank)s”; skipped %(skipped)s.",
                len(report.imported),
            )
            % {
                "count": len(report.imported),
                "bank": report.bank.name,
                "skipped": len(report.skipped),
            },
        )
        return self.render_to_response(
            self.get_context_data(form=self.form_class(), report=report)
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["banks_url"] = reverse("wagtailsnippets_quizzes_questionbank:list")
        return context


def bank_export_view(request: HttpRequest, bank_id: int) -> HttpResponse:
    """The bank as a Moodle XML download."""
    _require_author(request)
    bank = get_object_or_404(QuestionBank, pk=bank_id)
    response = HttpResponse(
        bank_export_moodlexml(bank=bank), content_type="application/xml; charset=utf-8"
    )
    filename = f"{slugify(bank.name) or 'questions'}.xml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ItemAnalysisIndexView(QuizAdminView, TemplateView):
    """Every quiz with its number of graded attempts, linking to its analysis."""

    template_name = "quizzes/admin/analysis_index.html"
    page_title = _("Item analysis")
    header_icon = "table"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["quizzes"] = quizzes_for_analysis()
        return context


class ItemAnalysisView(QuizAdminView, TemplateView):
    """How each question of one quiz performed."""

    template_name = "quizzes/admin/analysis.html"
    header_icon = "table"

    @cached_property
    def quiz(self) -> QuizPage:
        return get_object_or_404(QuizPage, pk=self.kwargs["quiz_page_id"])

    def get_page_title(self) -> str:
        return gettext("Item analysis: %(title)s") % {"title": self.quiz.title}

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("quizzes_item_analysis_index"),
                "label": gettext("Item analysis"),
            },
            {"url": "", "label": self.quiz.title},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        items = item_analysis(quiz=self.quiz)
        context.update(
            quiz=self.quiz,
            items=items,
            flagged=sum(
                1 for i in items if i.everyone_right or i.negative_discrimination
            ),
            common_note=common_note(items),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.quiz.pk]),
        )
        return context


def analysis_button(page: Any, user: Any, priority: int = 60) -> Button | None:
    """The "Item analysis" button of a quiz page in the admin (None for others)."""
    if not issubclass(page.specific_class or object, QuizPage):
        return None
    if not can_author_quizzes(user):
        return None
    return Button(
        gettext("Item analysis"),
        url=reverse("quizzes_item_analysis", args=[page.pk]),
        icon_name="table",
        priority=priority,
    )
