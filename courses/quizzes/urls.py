from django.urls import path

from courses.quizzes import views

urlpatterns = [
    path("<int:page_id>/start/", views.quiz_start, name="quiz_start"),
    path("attempts/<int:pk>/", views.quiz_attempt, name="quiz_attempt"),
    path("attempts/<int:pk>/save/", views.quiz_attempt_save, name="quiz_attempt_save"),
    path(
        "attempts/<int:pk>/submit/",
        views.quiz_attempt_submit,
        name="quiz_attempt_submit",
    ),
    path(
        "attempts/<int:pk>/result/",
        views.quiz_attempt_result,
        name="quiz_attempt_result",
    ),
]
