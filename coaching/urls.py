from django.urls import path

from coaching import views

urlpatterns = [
    path("my/", views.mine, name="coaching_mine"),
    path("request/", views.request_new, name="coaching_request_new"),
    path("queue/", views.queue, name="coaching_queue"),
    path("takes/<int:take_id>/", views.review, name="coaching_review"),
    path(
        "takes/<int:take_id>/comments/",
        views.comment_add,
        name="coaching_comment_add",
    ),
    path(
        "takes/<int:take_id>/review/",
        views.review_submit,
        name="coaching_review_submit",
    ),
    path(
        "takes/<int:take_id>/self-review/",
        views.self_review,
        name="coaching_self_review",
    ),
    path("takes/<int:take_id>/send/", views.take_send, name="coaching_take_send"),
    path(
        "takes/<int:take_id>/analysis/channel/",
        views.analysis_channel,
        name="coaching_analysis_channel",
    ),
    path(
        "comments/<int:comment_id>/delete/",
        views.comment_delete,
        name="coaching_comment_delete",
    ),
    path(
        "reviews/<int:review_id>/comments.vtt",
        views.review_vtt,
        name="coaching_review_vtt",
    ),
    path(
        "reviews/<int:review_id>/comments.csv",
        views.review_csv,
        name="coaching_review_csv",
    ),
    path(
        "practice/<int:page_id>/takes/",
        views.practice_take_add,
        name="coaching_practice_take_add",
    ),
]
