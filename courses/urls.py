from django.urls import path

from courses import views

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("assign/", views.assignment_new, name="assignment_new"),
    path("people/<int:pk>/", views.person_learning, name="person_learning"),
    path("courses/<int:page_id>/enrol/", views.course_enrol, name="course_enrol"),
    path(
        "assignments/<int:pk>/unassign/",
        views.assignment_unassign,
        name="assignment_unassign",
    ),
    path(
        "lessons/<int:page_id>/read/", views.lesson_mark_read, name="lesson_mark_read"
    ),
    path("lessons/<int:page_id>/watched/", views.lesson_watch, name="lesson_watch"),
]
