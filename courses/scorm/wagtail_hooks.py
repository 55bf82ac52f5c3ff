from __future__ import annotations

from typing import Any

from django.urls import path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from courses.scorm import viewsets

register_snippet(viewsets.ScormPackageViewSet)


@hooks.register("register_admin_urls")
def register_scorm_admin_urls() -> list[Any]:
    return [
        path(
            "scorm/upload/",
            viewsets.PackageUploadView.as_view(),
            name="scorm_upload",
        )
    ]
