from django.urls import path

from courses import views

urlpatterns = [
    path(
        "lessons/<int:page_id>/read/", views.lesson_mark_read, name="lesson_mark_read"
    ),
    path("lessons/<int:page_id>/watched/", views.lesson_watch, name="lesson_watch"),
]
