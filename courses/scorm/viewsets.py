"""The SCORM admin in Wagtail: packages listed as snippets ("SCORM packages" menu),
and the upload page that imports a package or a new version of one through the
same service as `manage.py import_scorm`. Every view checks the
scorm.change_scormpackage permission on the server."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from courses.scorm.forms import PackageUploadForm
from courses.scorm.models import ScormPackage
from courses.scorm.packaging import PackageRefused
from courses.scorm.services import package_import

AUTHOR_PERMISSION = "scorm.change_scormpackage"


def can_upload_packages(user: Any) -> bool:
    return bool(user.is_active and user.has_perm(AUTHOR_PERMISSION))


class PackageIndexView(IndexView):
    @cached_property
    def header_buttons(self) -> list[Any]:
        buttons = list(super().header_buttons)
        if can_upload_packages(self.request.user):
            buttons.append(
                HeaderButton(
                    "Upload a package", url=reverse("scorm_upload"), icon_name="upload"
                )
            )
        return buttons


class ScormPackageViewSet(SnippetViewSet):
    model = ScormPackage
    icon = "media"
    menu_label = "SCORM packages"
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = PackageIndexView
    search_fields = ["title"]
    search_backend_name = None
    list_display = [
        "title",
        Column("version_count", label="Versions"),
        Column("step_count", label="Steps"),
        Column("last_upload", label="Last upload"),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ScormPackage]:
        return ScormPackage.objects.annotate(
            version_count=Count("versions", distinct=True),
            step_count=Count("pages", distinct=True),
            last_upload=Max("versions__uploaded_at"),
        )


class PackageUploadView(WagtailAdminTemplateMixin, FormView[PackageUploadForm]):
    """Upload a package (new, or a new version) and see what was imported."""

    template_name = "scorm/admin/upload.html"
    form_class = PackageUploadForm
    page_title = "Upload a SCORM package"
    header_icon = "upload"
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not can_upload_packages(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def form_valid(self, form: PackageUploadForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            imported = package_import(
                data=data["file"],
                title=data["title"],
                package=data["package"],
                course=data["course"],
                user=self.request.user,  # type: ignore[arg-type]
            )
        except PackageRefused as refused:
            form.add_error("file", f"Refused, nothing was stored: {refused}")
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Imported {imported.title}, version {imported.version.number} "
            f"({imported.standard_name}, {imported.sco_count} SCOs)"
            + (f", as a step of {data['course'].title}." if imported.page else "."),
        )
        return redirect(reverse("wagtailsnippets_scorm_scormpackage:list"))
