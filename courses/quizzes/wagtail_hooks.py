from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from courses.quizzes import viewsets

register_snippet(viewsets.QuizzesViewSetGroup)


@hooks.register("register_admin_urls")
def register_quiz_admin_urls() -> list[Any]:
    return [
        path(
            "quizzes/import/",
            viewsets.QuestionImportView.as_view(),
            name="quizzes_import",
        ),
        path(
            "quizzes/banks/<int:bank_id>/export/",
            viewsets.bank_export_view,
            name="quizzes_bank_export",
        ),
        path(
            "quizzes/analysis/",
            viewsets.ItemAnalysisIndexView.as_view(),
            name="quizzes_item_analysis_index",
        ),
        path(
            "quizzes/analysis/<int:quiz_page_id>/",
            viewsets.ItemAnalysisView.as_view(),
            name="quizzes_item_analysis",
        ),
    ]


@hooks.register(viewsets.MENU_HOOK)
def register_import_menu_item() -> viewsets.AuthorMenuItem:
    return viewsets.AuthorMenuItem(
        _("Import questions"), reverse("quizzes_import"), icon_name="upload", order=10
    )


@hooks.register(viewsets.MENU_HOOK)
def register_analysis_menu_item() -> viewsets.AuthorMenuItem:
    return viewsets.AuthorMenuItem(
        _("Item analysis"),
        reverse("quizzes_item_analysis_index"),
        icon_name="table",
        order=20,
    )


@hooks.register("register_page_header_buttons")
def quiz_page_header_buttons(
    page: Any, user: Any, view_name: str = "", next_url: str | None = None
) -> list[Any]:
    button = viewsets.analysis_button(page, user)
    return [button] if button else []


@hooks.register("register_page_listing_more_buttons")
def quiz_page_listing_buttons(
    page: Any, user: Any, next_url: str | None = None
) -> list[Any]:
    button = viewsets.analysis_button(page, user)
    return [button] if button else []
