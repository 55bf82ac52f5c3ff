from __future__ import annotations

from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from automation.sequences import views
from automation.sequences.viewsets import SequenceViewSet

register_snippet(SequenceViewSet)


@hooks.register("register_admin_urls")
def register_sequence_urls() -> list:  # type: ignore[type-arg]
    urls = [
        path("<int:pk>/", views.sequence_detail, name="detail"),
        path("<int:pk>/analytics.csv", views.sequence_csv, name="csv"),
        path("<int:pk>/test/", views.sequence_test, name="test"),
        path("<int:pk>/toggle/", views.sequence_toggle, name="toggle"),
    ]
    return [path("sequences/", include((urls, "sequences_admin")))]
