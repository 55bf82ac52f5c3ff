"""Mounted at /scorm-content/, a path of its own away from the pages: the
package's files and the bridge script (views.scorm_content, views.scorm_bridge)."""

from django.urls import path

from courses.scorm import views

urlpatterns = [
    path("bridge/<str:token>.js", views.scorm_bridge, name="scorm_bridge"),
    path("<str:token>/<path:path>", views.scorm_content, name="scorm_content"),
]
