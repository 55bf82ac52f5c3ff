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
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from courses.models import CoursePage
from courses.scorm.forms import PackageUploadForm
from courses.scorm.models import ScormPackage
from courses.scorm.packaging import PackageRefused
from courses.scorm.services import Imported, package_import

AUTHOR_PERMISSION = "scorm.change_scormpackage"


def _imported_message(imported: Imported, course: CoursePage | None) -> str:
    """What the upload page says after an import, in the admin's language."""
    details = {
        "title": imported.title,
        "number": imported.version.number,
        "standard": imported.standard_name,
        "count": imported.sco_count,
    }
    if course is None:
        return (
            ngettext(
                "Imported %(title)s, version %(number)s (%(standard)s, %(count)d SCO).",
                "Imported %(title)s, version %(number)s (%(standard)s, "
                "%(count)d SCOs).",
                imported.sco_count,
            )
            % details
        )
    return ngettext(
        "Imported %(title)s, version %(number)s (%(standard)s, %(count)d SCO), "
        "as a step of %(course)s.",
        "Imported %(title)s, version %(number)s (%(standard)s, %(count)d SCOs), "
        "as a step of %(course)s.",
        imported.sco_count,
    ) % {**details, "course": course.title}


def can_upload_packages(user: Any) -> bool:
    return bool(user.is_active and user.has_perm(AUTHOR_PERMISSION))


class PackageIndexView(IndexView):
    @cached_property
    def header_buttons(self) -> list[Any]:
        buttons = list(super().header_buttons)
        if can_upload_packages(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Upload a package"),
                    url=reverse("scorm_upload"),
                    icon_name="upload",
                )
            )
        return buttons


class ScormPackageViewSet(SnippetViewSet):
    model = ScormPackage
    icon = "media"
    menu_label = _("SCORM packages")
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = PackageIndexView
    search_fields = ["title"]
    search_backend_name = None
    list_display = [
        "title",
        Column("version_count", label=_("Versions")),
        Column("step_count", label=_("Steps")),
        Column("last_upload", label=_("Last upload")),
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
    page_title = _("Upload a SCORM package")
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
            form.add_error(
                "file",
                gettext("Refused, nothing was stored: %(reason)s")
                % {"reason": refused},
            )
            return self.form_invalid(form)
        messages.success(
            self.request,
            _imported_message(imported, data["course"] if imported.page else None),
        )
        return redirect(reverse("wagtailsnippets_scorm_scormpackage:list"))
